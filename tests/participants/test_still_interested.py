"""Still interested? Inactive participants are asked (banner on the next visit, one e-mail from
the background job), their answer is stored, "no" pauses suggestions, counsellors see who has
not answered and who said no."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from placement.accounts.models import User, utcnow
from placement.extensions import db
from placement.participants.models import InterestCheck, Participant
from placement.placements.mail import Mailer, MailError

QUESTION = "Do you still want job suggestions?"


@pytest.fixture(autouse=True)
def english(client):
    client.post("/language", data={"locale": "en"})


def _person(app, user_id=None, participant_id=None, **values) -> int:
    with app.app_context():
        person = (
            db.session.get(Participant, participant_id)
            if participant_id
            else db.session.scalar(select(Participant).where(Participant.user_id == user_id))
        )
        for key, value in values.items():
            setattr(person, key, value)
        db.session.commit()
        return person.id


EXTRA = ("created_at", "last_active_at", "counsellor_id", "phase")


@pytest.fixture
def make_person(app, create_participant):
    """A participant with the extra values a profile form does not set; returns the id."""

    def factory(**values):
        pid = create_participant(**{k: v for k, v in values.items() if k not in EXTRA})
        return _person(app, participant_id=pid, **{k: v for k, v in values.items() if k in EXTRA})

    return factory


def _away(days):
    return utcnow() - timedelta(days=days)


def _job(app):
    """What the reminders job passes: the app's mail settings and PLACEMENT_INACTIVITY_DAYS."""
    return Mailer.from_app(app), app.config["PLACEMENT_INACTIVITY_DAYS"]


def _checks(app, pid):
    with app.app_context():
        return [(c.answer, c.mail_status) for c in db.session.scalars(
            select(InterestCheck).where(InterestCheck.participant_id == pid)
            .order_by(InterestCheck.id))]  # fmt: skip


def _participant(app, login_as, days_away):
    user_id = login_as("participant")
    pid = _person(app, user_id, created_at=_away(400), last_active_at=_away(days_away),
                  consent_matching=True)  # fmt: skip
    return user_id, pid


# ----------------------------------------------------------------- the participant


def test_after_90_days_the_next_visit_asks(app, login_as, client):
    _, pid = _participant(app, login_as, 91)
    page = client.get("/me/").get_data(as_text=True)
    assert QUESTION in page
    assert _checks(app, pid) == [(None, None)]
    with app.app_context():
        assert utcnow() - db.session.get(Participant, pid).last_active_at < timedelta(minutes=1)
    # The question stays until answered, also on other pages and later visits.
    assert QUESTION in client.get("/me/proposals").get_data(as_text=True)
    assert len(_checks(app, pid)) == 1


def test_a_visit_is_activity_not_a_change_of_the_profile(app, login_as, client):
    """The visit is counted, but the profile's last change stays: nothing the matching sees
    changed, so no serving process rebuilds its pools or judges its lists again."""
    _, pid = _participant(app, login_as, 3)
    with app.app_context():
        changed = db.session.get(Participant, pid).updated_at
    client.get("/me/")
    with app.app_context():
        person = db.session.get(Participant, pid)
        assert utcnow() - person.last_active_at < timedelta(minutes=1)
        assert person.updated_at == changed


def test_an_active_participant_is_not_asked(app, login_as, client):
    _, pid = _participant(app, login_as, 89)
    assert QUESTION not in client.get("/me/").get_data(as_text=True)
    assert _checks(app, pid) == []


def test_the_number_of_days_is_configurable(make_app, auth, create_user):
    app = make_app(PLACEMENT_INACTIVITY_DAYS=30)
    client = app.test_client()
    client.post("/language", data={"locale": "en"})
    user_id, email = create_user("participant")
    _person(app, user_id, created_at=_away(400), last_active_at=_away(31))
    client.post("/login", data={"email": email, "password": "correct horse battery staple"})
    assert QUESTION in client.get("/me/").get_data(as_text=True)


def test_no_pauses_suggestions_and_yes_resumes_them(app, login_as, client, create_org,
                                                    create_vacancy):  # fmt: skip
    create_vacancy(create_org())
    _, pid = _participant(app, login_as, 120)
    client.get("/me/")
    response = client.post("/me/still-interested", data={"answer": "no"})
    assert response.status_code == 302
    assert _checks(app, pid) == [("no", None)]
    with app.app_context():
        assert db.session.get(Participant, pid).wants_suggestions is False
    page = client.get("/me/suggestions").get_data(as_text=True)
    assert "Your suggestions are paused" in page
    assert QUESTION not in client.get("/me/").get_data(as_text=True)
    assert client.post("/me/still-interested", data={"answer": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.get(Participant, pid).wants_suggestions is True
    assert "Your suggestions are paused" not in client.get("/me/suggestions").get_data(True)


def test_a_missing_answer_is_explained(app, login_as, client):
    _participant(app, login_as, 120)
    response = client.post("/me/still-interested", data={"answer": "vielleicht"})
    assert response.status_code == 400
    assert "Please choose yes or no." in response.get_data(as_text=True)


def test_the_question_in_german(app, login_as, client):
    _participant(app, login_as, 120)
    client.post("/language", data={"locale": "de"})
    assert "Möchten Sie weiterhin Stellenvorschläge bekommen?" in client.get("/me/").get_data(True)


def test_only_participants_answer(login_as, client):
    login_as("employer")
    assert client.get("/me/still-interested").status_code == 403
    assert client.post("/me/still-interested", data={"answer": "no"}).status_code == 403


# ----------------------------------------------------------------- the e-mail, once


def _mailbox():
    sent = []

    def send(to, subject, body):
        sent.append((to, subject, body))

    return sent, send


def test_the_job_mails_each_inactive_participant_once(app, make_person):
    from placement.participants.activity import send_interest_mails

    away = make_person(email="away@mail.example", created_at=_away(200))
    make_person(email="here@mail.example", last_active_at=_away(3))
    make_person(email="placed@mail.example", created_at=_away(200), phase=5)
    no_mail = make_person(email=None, created_at=_away(200))
    sent, send = _mailbox()
    with app.app_context():
        first = send_interest_mails(*_job(app), send=send)
        second = send_interest_mails(*_job(app), send=send)
    assert [to for to, *_ in sent] == ["away@mail.example"]
    assert first.sent == [away]
    assert first.no_address == [no_mail]
    assert second.sent == []
    assert "/me/still-interested" in sent[0][2]
    assert _checks(app, away) == [(None, "sent")]
    assert _checks(app, no_mail) == [(None, "none")]


def test_a_second_worker_finds_the_claim(app, make_person):
    """Two workers read the same due list; the second's claim fails, nothing is sent twice."""
    from placement.participants import activity

    make_person(email="away@mail.example", created_at=_away(200))
    sent, send = _mailbox()
    with app.app_context():
        due = activity.due_participants(utcnow(), 90)
        original = activity.due_participants
        activity.due_participants = lambda now, days: list(due)
        try:
            first = activity.send_interest_mails(*_job(app), send=send)
            second = activity.send_interest_mails(*_job(app), send=send)
        finally:
            activity.due_participants = original
    assert len(sent) == 1
    assert len(first.sent) == 1
    assert second.skipped == first.sent


def test_a_failed_mail_is_tried_again(app, make_person):
    from placement.participants.activity import send_interest_mails

    pid = make_person(email="away@mail.example", created_at=_away(200))

    def broken(to, subject, body):
        raise MailError("smtp down")

    sent, send = _mailbox()
    with app.app_context():
        assert send_interest_mails(*_job(app), send=broken).failed == [pid]
        assert send_interest_mails(*_job(app), send=send).sent == [pid]
    assert len(sent) == 1


def test_the_mail_is_in_the_persons_language(app, create_user):
    from placement.participants.activity import send_interest_mails

    user_id, _ = create_user("participant")
    with app.app_context():
        db.session.get(User, user_id).locale = "de"
        db.session.commit()
    _person(app, user_id, created_at=_away(200), email="olena@mail.example")
    sent, send = _mailbox()
    with app.app_context():
        send_interest_mails(*_job(app), send=send)
    assert sent[0][1] == "Möchten Sie weiterhin Stellenvorschläge bekommen?"


def test_the_reminders_job_asks_too(app, make_person, monkeypatch):
    from placement.placements.jobs import run_reminders

    make_person(email="away@mail.example", created_at=_away(200))
    sent, send = _mailbox()
    monkeypatch.setattr(Mailer, "send", lambda _mailer, *message: send(*message))
    with app.app_context():
        result = run_reminders()
    assert len(result["still_interested"]["sent"]) == 1
    assert len(sent) == 1


# ----------------------------------------------------------------- the counsellors' list


def test_counsellor_sees_who_has_not_answered_and_who_said_no(app, login_as, auth, client,
                                                              make_person):  # fmt: skip
    from placement.participants.activity import send_interest_mails

    counsellor_id = login_as("counsellor")
    silent = make_person(first_name="Silent", counsellor_id=counsellor_id,
                                email="s@mail.example", created_at=_away(200))  # fmt: skip
    said_no = make_person(first_name="Saidno", counsellor_id=counsellor_id,
                                 email="n@mail.example", created_at=_away(200))  # fmt: skip
    said_yes = make_person(first_name="Saidyes", counsellor_id=counsellor_id,
                                  email="y@mail.example", created_at=_away(200))  # fmt: skip
    make_person(first_name="Otherone", email="o@mail.example", created_at=_away(200))
    _sent, send = _mailbox()
    with app.app_context():
        send_interest_mails(*_job(app), send=send)
    assert "not answered" in client.get("/counsellor/").get_data(as_text=True)
    for pid, answer in ((said_no, "no"), (said_yes, "yes")):
        response = client.post(f"/counsellor/still-interested/{pid}", data={"answer": answer})
        assert response.status_code == 302
    page = client.get("/counsellor/still-interested").get_data(as_text=True)
    assert "Silent Test</a>" in page
    assert "No answer yet" in page
    assert "by e-mail" in page
    assert "Saidno Test</a>" in page
    assert "No: suggestions paused" in page
    assert "Saidyes Test</a>" not in page
    assert "Otherone Test</a>" not in page  # not my participant
    assert "Otherone Test</a>" in client.get("/counsellor/still-interested?all=1").get_data(True)
    assert _checks(app, said_yes) == [("yes", "sent")]
    assert _checks(app, silent) == [(None, "sent")]


@pytest.mark.parametrize("role", ["participant", "employer"])
def test_the_list_is_for_staff_only(login_as, client, make_person, role):
    pid = make_person()
    assert client.get("/counsellor/still-interested").headers["Location"].startswith("/login")
    login_as(role)
    assert client.get("/counsellor/still-interested").status_code == 403
    response = client.post(f"/counsellor/still-interested/{pid}", data={"answer": "no"})
    assert response.status_code == 403


def test_erasure_leaves_no_question_behind(app, make_person):
    from placement.participants.activity import send_interest_mails
    from placement.participants.rights import erase_participant

    pid = make_person(email="away@mail.example", created_at=_away(200))
    _sent, send = _mailbox()
    with app.app_context():
        send_interest_mails(*_job(app), send=send)
        erase_participant(db.session.get(Participant, pid), None)
        db.session.commit()
        assert db.session.scalars(select(InterestCheck)).all() == []
