"""Notifications: who learns of what, the list with unread counts, marking read, each once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from placement.accounts.models import User
from placement.extensions import db
from placement.notifications.models import Notification
from placement.participants.models import Participant
from placement.proposals.models import Proposal
from tests.conftest import PASSWORD
from tests.placements.conftest import create_placement  # noqa: F401  (fixture)


@pytest.fixture
def world(app, create_org, create_user, create_vacancy):
    """An approved employer with a published vacancy and a staff account; a counsellor; a
    participant with an account, consenting, followed by the counsellor."""
    org = create_org()
    vacancy = create_vacancy(org)
    employer, employer_email = create_user("employer", organisation_id=org)
    counsellor, counsellor_email = create_user("counsellor")
    person_user, person_email = create_user("participant")
    with app.app_context():
        person = db.session.scalar(select(Participant).where(Participant.user_id == person_user))
        person.counsellor_id = counsellor
        person.consent_matching = True
        db.session.commit()
        person_id = person.id
    return {"org": org, "vacancy": vacancy, "employer": employer, "employer_email": employer_email,
            "counsellor": counsellor, "counsellor_email": counsellor_email,
            "person_user": person_user, "person_email": person_email,
            "person": person_id}  # fmt: skip


def _propose(app, world) -> int:
    from placement.employers.models import Vacancy
    from placement.proposals.services import propose

    with app.app_context():
        proposal = propose(db.session.get(Vacancy, world["vacancy"]),
                           db.session.get(Participant, world["person"]),
                           db.session.get(User, world["counsellor"]))  # fmt: skip
        db.session.commit()
        return proposal.id


def _texts(client) -> str:
    return client.get("/notifications/").get_data(as_text=True)


def _count(app, user_id) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user_id)
        )


def test_employer_learns_of_a_new_proposal_and_sees_the_count(app, client, auth, world):
    pid = _propose(app, world)
    auth.login(world["employer_email"])
    start = client.get("/employer/").get_data(as_text=True)
    assert "1 unread notification" in start
    page = _texts(client)
    assert f"A candidate (K-{pid:05d}) has been proposed for “Fachkraft für Lagerlogistik”" in page
    assert "Test Participant" not in page  # the employer sees the pseudonym only


def test_employer_answer_reaches_counsellor_and_participant_in_plain_words(
    app, client, auth, world
):
    pid = _propose(app, world)
    auth.login(world["employer_email"])
    response = client.post(f"/employer/proposals/{pid}/answer", data={"to_status": "invited"})
    assert response.status_code == 302
    auth.logout()
    auth.login(world["counsellor_email"])
    page = _texts(client)
    assert "invites Test Participant to an interview for “Fachkraft für Lagerlogistik”" in page
    assert "1 unread notification" in client.get("/counsellor/").get_data(as_text=True)
    auth.logout()
    auth.login(world["person_email"])
    page = _texts(client)
    assert "Good news:" in page
    assert "would like to meet you" in page
    assert "Your counsellor has proposed you to" in page
    assert "2 unread notifications" in client.get("/me/").get_data(as_text=True)


def test_a_decline_is_told_to_the_participant_without_discouraging_words(app, client, auth, world):
    pid = _propose(app, world)
    auth.login(world["employer_email"])
    client.post(f"/employer/proposals/{pid}/answer",
                data={"to_status": "declined", "reason": "language", "confirmed": "y"})  # fmt: skip
    with app.app_context():
        assert db.session.get(Proposal, pid).status == "declined"
    auth.logout()
    auth.login(world["person_email"])
    page = _texts(client)
    assert "did not work out this time. Your counsellor will look at other options" in page
    for word in ("declined", "rejected", "German not yet sufficient"):
        assert word not in page


def test_interest_and_consent_changes_reach_the_counsellor(app, client, auth, world):
    auth.login(world["person_email"])
    assert client.post(f"/me/vacancies/{world['vacancy']}/interest").status_code == 302
    assert client.post("/me/matching-consent", data={"give": "0"}).status_code == 302
    auth.logout()
    auth.login(world["counsellor_email"])
    page = _texts(client)
    assert "Test Participant is interested in “Fachkraft für Lagerlogistik”" in page
    assert "Test Participant no longer wants suggestions or to be proposed" in page


def test_the_counsellor_is_not_told_of_her_own_change(app, client, auth, world):
    auth.login(world["counsellor_email"])
    response = client.post(f"/counsellor/participants/{world['person']}/consents",
                           data={"organisation_id": world["org"], "agreed": "y"})  # fmt: skip
    assert response.status_code == 302
    assert _count(app, world["counsellor"]) == 0


def test_follow_ups_coming_due_are_notified_once(app, world, create_placement):  # noqa: F811
    from placement.notifications.jobs import send_notifications

    create_placement(participant_id=world["person"], organisation_id=world["org"],
                     actor_id=world["counsellor"], start_date=date(2026, 1, 1))  # fmt: skip
    now = datetime(2026, 1, 27, 9, 0)  # the 4-week follow-up is due on 29 January
    with app.app_context():
        first = send_notifications(now, send=lambda *m: None)
        second = send_notifications(now + timedelta(hours=1), send=lambda *m: None)
    assert (first["added"], second["added"]) == (1, 0)
    assert _count(app, world["counsellor"]) == 1


def test_mark_one_and_all_read_and_not_someone_elses(app, client, auth, world, create_user):
    _propose(app, world)
    with app.app_context():
        mine = db.session.scalar(
            select(Notification.id).where(Notification.user_id == world["person_user"])
        )
        theirs = db.session.scalar(
            select(Notification.id).where(Notification.user_id == world["employer"])
        )
    auth.login(world["person_email"])
    assert client.post(f"/notifications/{theirs}/read").status_code == 404
    response = client.post(f"/notifications/{mine}/read")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me/proposals")
    assert "No unread notifications" in client.get("/me/").get_data(as_text=True)
    auth.logout()
    auth.login(world["employer_email"])
    assert "1 unread notification" in client.get("/employer/").get_data(as_text=True)
    client.post("/notifications/read-all")
    assert "No unread notifications" in client.get("/employer/").get_data(as_text=True)


def test_notifications_need_a_sign_in(client):
    assert client.get("/notifications/").status_code == 302
    assert client.post("/notifications/read-all").status_code == 302


def test_mail_choice_is_saved_and_checked(app, client, auth, world):
    auth.login(world["person_email"])
    assert client.post("/notifications/settings", data={"notify_mail": "daily"}).status_code == 302
    assert client.post("/notifications/settings", data={"notify_mail": "often"}).status_code == 400
    with app.app_context():
        assert db.session.get(User, world["person_user"]).notify_mail == "daily"


def test_erasure_removes_notifications_about_and_to_the_participant(app, world):
    from placement.participants.rights import erase_participant

    _propose(app, world)
    with app.app_context():
        erase_participant(db.session.get(Participant, world["person"]),
                          db.session.get(User, world["counsellor"]))  # fmt: skip
        db.session.commit()
    assert _count(app, world["person_user"]) == 0
    assert _count(app, world["employer"]) == 0  # about her proposal: gone with it


def test_a_notification_text_survives_a_deleted_record(app, client, auth, world):
    pid = _propose(app, world)
    with app.app_context():
        from placement.proposals.models import ProposalEvent

        db.session.execute(ProposalEvent.__table__.delete())
        db.session.execute(Proposal.__table__.delete().where(Proposal.id == pid))
        db.session.commit()
    auth.login(world["employer_email"], PASSWORD)
    page = _texts(client)
    assert "has been proposed for “a vacancy”" in page


def test_the_participant_is_not_told_of_her_own_step(app, world):
    from placement.proposals.services import change_status

    pid = _propose(app, world)
    with app.app_context():
        change_status(db.session.get(Proposal, pid), "withdrawn",
                      db.session.get(User, world["person_user"]))  # fmt: skip
        db.session.commit()
        kinds = db.session.scalars(
            select(Notification.params).where(Notification.user_id == world["person_user"])
        ).all()
    assert [k["status"] for k in kinds] == ["proposed"]


def test_every_kind_leads_to_a_page_of_the_app(app):
    from placement.web.notifications.routes import TARGETS

    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {endpoint for endpoint, _arg, _param in TARGETS.values()} <= endpoints


def test_admin_start_page_and_menu_show_the_count(app, client, login_as):
    from placement.notifications.services import notify

    admin = login_as("admin")
    with app.app_context():
        notify(db.session.get(User, admin), "consent.change", change="matching.given")
        db.session.commit()
    page = client.get("/admin/").get_data(as_text=True)
    assert "1 unread notification" in page
    assert 'class="notifications-link"' in page
