"""The audit log viewer: admins filter by who, what, when and which record, page by page."""

from __future__ import annotations

from datetime import datetime

from placement.audit.models import AuditEvent
from placement.extensions import db


def _events(app, actor_id):
    """35 events: 30 views of participant 7 in March, 5 role changes of user 3 in April."""
    with app.app_context():
        for day in range(30):
            db.session.add(AuditEvent(at=datetime(2026, 3, 1 + day % 28, 10), actor_id=actor_id,
                                      actor_role="counsellor", action="participant.view",
                                      subject_type="participant", subject_id=7))  # fmt: skip
        change = {"before": "counsellor", "after": "admin"}
        for n in range(5):
            db.session.add(AuditEvent(at=datetime(2026, 4, 2 + n, 9), actor_id=None,
                                      action="user.role", subject_type="user", subject_id=3,
                                      details=change))  # fmt: skip
        db.session.commit()


def _rows(page: str) -> int:
    return page.count('<td class="date">')


def test_filters_and_paging(app, client, login_as, create_user):
    counsellor, email = create_user("counsellor")
    _events(app, counsellor)
    login_as("admin")  # adds one "Signed in" event of the admin
    page = client.get("/admin/audit/").get_data(as_text=True)
    assert "36 entries" in page
    assert _rows(page) == 25
    assert "Page 1 of 2" in page
    assert _rows(client.get("/admin/audit/?page=2").get_data(as_text=True)) == 11
    by_actor = client.get(f"/admin/audit/?actor={email}").get_data(as_text=True)
    assert "30 entries" in by_actor
    assert "Viewed a profile" in by_actor
    by_action = client.get("/admin/audit/?action=user.role").get_data(as_text=True)
    assert "5 entries" in by_action
    assert "Placement counsellor → Administrator" in by_action
    assert "user.role" not in by_action.split("<table")[1]  # words, not codes
    dated = client.get("/admin/audit/?since=2026-04-03&until=2026-04-04").get_data(as_text=True)
    assert "2 entries" in dated
    target = client.get("/admin/audit/?subject_type=participant&subject_id=7")
    assert "30 entries" in target.get_data(as_text=True)


def test_bad_filters_are_explained(app, client, login_as):
    login_as("admin")
    reversed_dates = client.get("/admin/audit/?since=2026-04-05&until=2026-04-01")
    assert reversed_dates.status_code == 400
    assert "The end lies before the start." in reversed_dates.get_data(as_text=True)
    assert client.get("/admin/audit/?since=yesterday").status_code == 400
    nul = client.get("/admin/audit/?actor=a%00b@example.org")
    assert nul.status_code == 400
    assert "control character" in nul.get_data(as_text=True)
    assert client.get("/admin/audit/?subject_id=99999999999999").status_code == 400
    unknown = client.get("/admin/audit/?actor=nobody@nowhere.example").get_data(as_text=True)
    assert "No account has this e-mail address." in unknown
    assert "0 entries" in unknown


def test_admin_user_page_lists_the_accounts_events(app, client, login_as, create_user):
    uid, _email = create_user("counsellor")
    login_as("admin")
    client.post(f"/admin/users/{uid}/deactivate")
    page = client.get(f"/admin/users/{uid}").get_data(as_text=True)
    assert "Deactivated an account" in page
