"""Interview times and a "no" to "still interested?" reach the people concerned: in the app,
by e-mail where they chose so, in their language, without the participant's name in e-mails."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from placement.accounts.models import User, utcnow
from placement.extensions import db
from placement.notifications.models import Notification
from placement.participants.models import Participant
from placement.proposals.models import InterviewSlot, Proposal
from tests.conftest import PASSWORD
from tests.notifications.test_mails import send_notification_mails
from tests.notifications.test_notifications import _propose, _texts, world  # noqa: F401


def _kinds(app, user_id) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Notification.kind)
                .where(Notification.user_id == user_id)
                .order_by(Notification.id)
            )
        )


def _invited_with_times(app, world) -> tuple[int, list[int]]:  # noqa: F811
    from placement.proposals.interviews import propose_times
    from placement.proposals.services import change_status

    pid = _propose(app, world)
    with app.app_context():
        proposal = db.session.get(Proposal, pid)
        employer = db.session.get(User, world["employer"])
        change_status(proposal, "invited", employer)
        start = (utcnow() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
        slots = propose_times(proposal, employer, [start, start + timedelta(days=1)], 45,
                              "Lagerstraße 1")  # fmt: skip
        db.session.commit()
        return pid, [s.id for s in slots]


def test_proposed_times_reach_the_counsellor_and_the_participant(app, client, auth, world):  # noqa: F811
    _invited_with_times(app, world)
    assert _kinds(app, world["counsellor"])[-1] == "interview.times"
    assert _kinds(app, world["person_user"])[-1] == "interview.times.you"
    assert "interview.times" not in " ".join(_kinds(app, world["employer"]))  # not her own step
    auth.login(world["person_email"], PASSWORD)
    page = _texts(client)
    assert "proposed times for your interview for “Fachkraft für Lagerlogistik”" in page
    auth.logout()
    auth.login(world["counsellor_email"], PASSWORD)
    assert "proposed interview times for Test Participant" in _texts(client)


def test_a_new_offer_is_told_again_the_same_offer_once(app, world):  # noqa: F811
    from placement.proposals.interviews import propose_times

    pid, _slots = _invited_with_times(app, world)
    with app.app_context():
        start = (utcnow() + timedelta(days=5)).replace(microsecond=0)
        propose_times(db.session.get(Proposal, pid), db.session.get(User, world["employer"]),
                      [start], 30, "Video call")  # fmt: skip
        db.session.commit()
    assert _kinds(app, world["person_user"]).count("interview.times.you") == 2


def test_the_participant_picking_a_time_tells_employer_and_counsellor(app, client, auth, world):  # noqa: F811
    from placement.proposals.interviews import accept_time

    _pid, slots = _invited_with_times(app, world)
    with app.app_context():
        accept_time(db.session.get(InterviewSlot, slots[0]),
                    db.session.get(User, world["person_user"]))  # fmt: skip
        db.session.commit()
    assert _kinds(app, world["employer"])[-1] == "interview.fixed.employer"
    assert _kinds(app, world["counsellor"])[-1] == "interview.fixed"
    assert "interview.fixed.you" not in _kinds(app, world["person_user"])  # her own step
    auth.login(world["employer_email"], PASSWORD)
    page = _texts(client)
    assert "The interview with candidate" in page
    assert "is fixed" in page
    assert "Test Participant" not in page  # no consent to share her identity
    auth.logout()
    auth.login(world["counsellor_email"], PASSWORD)
    assert "The interview of Test Participant at" in _texts(client)


def test_the_counsellor_accepting_tells_the_employer_and_the_participant(app, world):  # noqa: F811
    from placement.proposals.interviews import accept_time

    _pid, slots = _invited_with_times(app, world)
    with app.app_context():
        accept_time(db.session.get(InterviewSlot, slots[1]),
                    db.session.get(User, world["counsellor"]))  # fmt: skip
        db.session.commit()
    assert _kinds(app, world["employer"])[-1] == "interview.fixed.employer"
    assert _kinds(app, world["person_user"])[-1] == "interview.fixed.you"
    assert "interview.fixed" not in _kinds(app, world["counsellor"])


def test_interview_mails_follow_the_choice_and_the_language(app, world):  # noqa: F811
    from placement.proposals.interviews import accept_time

    with app.app_context():
        db.session.get(User, world["person_user"]).locale = "de"
        db.session.get(User, world["employer"]).notify_mail = "none"
        db.session.commit()
    _pid, slots = _invited_with_times(app, world)
    with app.app_context():
        accept_time(db.session.get(InterviewSlot, slots[0]),
                    db.session.get(User, world["counsellor"]))  # fmt: skip
        db.session.commit()
    outbox = []
    with app.app_context():
        send_notification_mails(utcnow() + timedelta(minutes=1), send=lambda *m: outbox.append(m))
    mails = {to: body for to, _s, body in outbox}
    assert world["employer_email"] not in mails  # chose no e-mails
    assert "Vorstellungsgespräch" in mails[world["person_email"]]
    assert "proposed interview times for a participant" in mails[world["counsellor_email"]]
    assert "Test Participant" not in mails[world["counsellor_email"]]  # her own greets her


def test_a_no_to_still_interested_tells_the_counsellor(app, client, auth, world):  # noqa: F811
    from placement.participants.activity import answer

    with app.app_context():
        person = db.session.get(Participant, world["person"])
        answer(person, "yes", db.session.get(User, world["person_user"]))
        db.session.commit()
    assert "interest.no" not in _kinds(app, world["counsellor"])
    auth.login(world["person_email"], PASSWORD)
    client.post("/me/still-interested", data={"answer": "no"})
    assert _kinds(app, world["counsellor"])[-1] == "interest.no"
    auth.logout()
    auth.login(world["counsellor_email"], PASSWORD)
    assert "Test Participant does not want suggestions at the moment" in _texts(client)
    with app.app_context():  # the counsellor recording a no herself is not told of it
        person = db.session.get(Participant, world["person"])
        answer(person, "no", db.session.get(User, world["counsellor"]))
        db.session.commit()
    assert _kinds(app, world["counsellor"]).count("interest.no") == 1
