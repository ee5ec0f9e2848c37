"""Recording follow-ups: risk escalation, ending a placement, the counsellor's start page."""

from __future__ import annotations

from datetime import date, timedelta

from placement.extensions import db
from placement.placements.models import Placement
from placement.placements.risk import risk_level
from placement.placements.services import today


def test_risk_level_rules():
    assert risk_level([]) == "low"
    assert risk_level(["language"]) == "medium"
    assert risk_level(["language", "commute"]) == "high"
    assert risk_level(["conflict"]) == "high"
    assert risk_level(["unknown-signal"]) == "low"


def _record(client, pid, fid, **data):
    return client.post(f"/counsellor/placements/{pid}/follow-ups/{fid}", data=data)


def _first_open(app, pid):
    with app.app_context():
        return next(f.id for f in db.session.get(Placement, pid).follow_ups if not f.done)


def test_high_risk_brings_next_follow_up_within_14_days(app, client, login_as, create_placement):
    login_as("counsellor")
    start = today() - timedelta(days=30)
    pid = create_placement(start_date=start)
    fid = _first_open(app, pid)
    response = _record(client, pid, fid, still_employed="yes", contact_made="y",
                       risk_signals=["conflict"], note="Streit im Team")  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(Placement, pid)
        assert item.risk_level == "high"
        assert item.risk_signals == ["conflict"]
        open_dates = [f.due_date for f in item.follow_ups if not f.done]
        # The 3-month follow-up would be ~60 days away: a risk check comes within 14 days.
        assert min(open_dates) == today() + timedelta(days=14)
        assert any(f.label == "risk" for f in item.follow_ups)
        assert item.status == "active"


def test_medium_risk_within_30_days_and_clean_follow_up_lowers(app, client, login_as,
                                                                create_placement):  # fmt: skip
    login_as("counsellor")
    pid = create_placement(start_date=today() - timedelta(days=30))
    due = str(today() + timedelta(days=60))
    _record(client, pid, _first_open(app, pid), still_employed="yes", risk_signals=["language"],
            support=["berufssprachkurs"], support_due=due)  # fmt: skip
    with app.app_context():
        item = db.session.get(Placement, pid)
        assert item.risk_level == "medium"
        assert min(f.due_date for f in item.follow_ups if not f.done) == today() + timedelta(30)
        assert item.follow_ups[0].support == ["berufssprachkurs"]
    _record(client, pid, _first_open(app, pid), still_employed="yes")
    with app.app_context():
        assert db.session.get(Placement, pid).risk_level == "low"


def test_permit_expiring_is_a_signal_by_itself(app, create_placement, create_participant):
    person = create_participant(permit_expires=today() + timedelta(days=60))
    pid = create_placement(participant_id=person, start_date=today(), on=today())
    with app.app_context():
        item = db.session.get(Placement, pid)
        assert item.risk_level == "high"
        assert item.risk_signals == ["permit_expiring"]
        assert min(f.due_date for f in item.follow_ups) <= today() + timedelta(days=14)


def test_not_employed_ends_the_placement(app, client, login_as, create_placement):
    login_as("counsellor")
    pid = create_placement(start_date=date(2026, 1, 15))
    fid = _first_open(app, pid)
    missing = _record(client, pid, fid, still_employed="no")
    assert missing.status_code == 400
    assert b"Say when the employment ended." in missing.data
    ok = _record(client, pid, fid, still_employed="no", ended_on="2026-03-31",
                 end_reason="dismissed_probation")  # fmt: skip
    assert ok.status_code == 302
    with app.app_context():
        item = db.session.get(Placement, pid)
        assert (item.status, item.end_date, item.end_reason) == (
            "ended",
            date(2026, 3, 31),
            "dismissed_probation",
        )
        assert [f.done for f in item.follow_ups] == [True]  # open follow-ups dropped
        assert item.participant.phase == 4


def test_support_needs_a_due_date(app, client, login_as, create_placement):
    login_as("counsellor")
    pid = create_placement()
    response = _record(client, pid, _first_open(app, pid), still_employed="yes",
                       support=["coaching"])  # fmt: skip
    assert response.status_code == 400
    assert b"Support agreed needs a due date." in response.data


def test_start_page_lists_due_follow_ups_by_urgency(app, client, login_as, create_placement,
                                                    create_participant):  # fmt: skip
    me = login_as("counsellor")
    low_overdue = create_participant(first_name="Ana")
    high_due = create_participant(first_name="Bilal")
    high_overdue = create_participant(first_name="Chiara")
    later = create_participant(first_name="Dmytro")
    not_mine = create_participant(first_name="Ewa")
    weeks = timedelta(weeks=1)
    create_placement(participant_id=low_overdue, start_date=today() - 5 * weeks, actor_id=me)
    create_placement(participant_id=high_due, start_date=today() - 4 * weeks + timedelta(3),
                     actor_id=me)  # fmt: skip
    create_placement(participant_id=high_overdue, start_date=today() - 6 * weeks, actor_id=me)
    create_placement(participant_id=later, start_date=today(), actor_id=me)
    create_placement(participant_id=not_mine, start_date=today() - timedelta(weeks=5))
    with app.app_context():
        for item in db.session.scalars(db.select(Placement)):
            if item.participant.first_name in ("Bilal", "Chiara"):
                item.risk_level = "high"
        db.session.commit()
    page = client.get("/counsellor/").get_data(as_text=True)
    section = page[page.index("Follow-ups due") :]
    order = [section.index(name) for name in ("Chiara", "Ana", "Bilal")]
    assert order == sorted(order)  # overdue (high, then low) before due; high risk first
    assert "Dmytro" not in section.split("</table>")[0]
    assert "Ewa" not in section.split("</table>")[0]
