"""The employer's candidate page: covering note, why the person fits, next steps, the
counsellor's contact, languages by name, "internship" only for internships; interview times
proposed by the employer, accepted by the counsellor or the participant, as .ics; privacy."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from placement.accounts.models import User
from placement.audit.models import AuditEvent
from placement.employers.models import Vacancy
from placement.extensions import db
from placement.participants.models import Participant
from placement.proposals.models import InterviewSlot, Proposal
from tests.conftest import OLENA

SNAPSHOT = {
    "eligible": True,
    "score": 0.71,
    "matched_skills": ["Kommissionieren", "Staplerschein"],
    "constraints": [
        {"name": "work_permit", "met": True, "status": "flag", "detail": "", "next_step": None},
        {
            "name": "german_level",
            "met": False,
            "status": "near_miss",
            "detail": "",
            "next_step": "Berufssprachkurs B1->B2",
        },
    ],
    "distance_km": 4.2,
    "parts": {"semantic": 0.6, "skills": 0.8},
    "reasons": [],
    "missing_skills": [],
    "concepts": [],
}
PERSON = OLENA
NOTE = "Frau K. hat drei Jahre Lagererfahrung und kann ab März anfangen."


@pytest.fixture(autouse=True)
def english(client):
    client.post("/language", data={"locale": "en"})


@pytest.fixture
def setup(app, create_org, create_user, create_vacancy):
    """An invited-stage-ready proposal; returns a dict of ids (org, proposal, counsellor,
    participant user e-mail)."""

    def factory(kind="job", participant_account=True):
        org = create_org("Lager Nord GmbH")
        vacancy_id = create_vacancy(
            org, kind=kind, german_level="B2", duration_weeks=12 if kind == "internship" else None
        )
        counsellor_id, counsellor_email = create_user("counsellor")
        person_user, person_email = create_user("participant")
        from placement.proposals.services import propose

        with app.app_context():
            person = db.session.scalar(
                select(Participant).where(Participant.user_id == person_user)
            )
            for key, value in PERSON.items():
                setattr(person, key, value)
            counsellor = db.session.get(User, counsellor_id)
            item = propose(
                db.session.get(Vacancy, vacancy_id),
                person,
                counsellor,
                snapshot=SNAPSHOT,
                note=NOTE,
            )
            db.session.commit()
            return {
                "org": org,
                "proposal": item.id,
                "counsellor": counsellor_email,
                "participant": person_email,
                "counsellor_id": counsellor_id,
            }

    return factory


def _page(client, ids):
    return client.get(f"/employer/proposals/{ids['proposal']}").get_data(as_text=True)


def _future(days=7, hour=10):
    day = datetime.now() + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _local(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


# ----------------------------------------------------------------- the page


def test_employer_sees_note_fit_next_steps_contact_and_languages(login_as, client, setup):
    ids = setup()
    login_as("employer", organisation_id=ids["org"])
    page = _page(client, ids)
    assert NOTE in page
    assert "Why this person fits" in page
    assert "Skills your vacancy asks for: Kommissionieren, Staplerschein." in page
    assert "German B1, one level below the B2 asked." in page
    assert "Next steps agreed" in page
    assert "Berufssprachkurs" in page
    assert "Ausländerbehörde must allow this job" in page
    assert ids["counsellor"] in page  # the counsellor's contact
    assert "Ukrainian (C2)" in page
    assert "English (B2)" in page
    for secret in ("Olena", "Kovalenko", PERSON["email"], PERSON["phone"]):
        assert secret not in page


def test_language_names_in_german(login_as, client, setup):
    ids = setup()
    login_as("employer", organisation_id=ids["org"])
    client.post("/language", data={"locale": "de"})
    page = _page(client, ids)
    assert "Ukrainisch (C2)" in page
    assert "Englisch (B2)" in page
    assert "Warum diese Person passt" in page


def test_internship_is_offered_only_for_internships(app, login_as, client, setup):
    job = setup()
    login_as("employer", organisation_id=job["org"])
    page = _page(client, job)
    assert 'value="internship"' not in page
    response = client.post(
        f"/employer/proposals/{job['proposal']}/answer", data={"to_status": "internship"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Proposal, job["proposal"]).status == "proposed"


def test_internship_button_for_an_internship(login_as, client, setup):
    ids = setup(kind="internship")
    login_as("employer", organisation_id=ids["org"])
    assert 'value="internship"' in _page(client, ids)
    response = client.post(
        f"/employer/proposals/{ids['proposal']}/answer", data={"to_status": "internship"}
    )
    assert response.status_code == 302


# ----------------------------------------------------------------- interview times


def _invite(client, ids):
    url = f"/employer/proposals/{ids['proposal']}/answer"
    assert client.post(url, data={"to_status": "invited"}).status_code == 302


def _propose(client, ids, *times, place="Lager Nord, Tor 3, Hannover", minutes=45):
    data = {"minutes": minutes, "place": place}
    for n, value in enumerate(times, 1):
        data[f"time_{n}"] = _local(value)
    return client.post(f"/interviews/proposals/{ids['proposal']}", data=data)


def _slots(app, proposal_id):
    with app.app_context():
        return [(s.id, s.status, s.starts_at, s.decided_by_role) for s in db.session.scalars(
            select(InterviewSlot).where(InterviewSlot.proposal_id == proposal_id)
            .order_by(InterviewSlot.id))]  # fmt: skip


def test_times_need_an_invitation_first(app, login_as, client, setup):
    ids = setup()
    login_as("employer", organisation_id=ids["org"])
    assert "first invite the candidate" in _page(client, ids)
    response = _propose(client, ids, _future())
    assert response.status_code == 400
    assert "Invite the candidate to an interview first." in response.get_data(as_text=True)
    assert _slots(app, ids["proposal"]) == []


def test_bad_times_are_explained_next_to_the_field(app, login_as, client, setup):
    ids = setup()
    login_as("employer", organisation_id=ids["org"])
    _invite(client, ids)
    response = _propose(client, ids, datetime.now() - timedelta(days=1))
    assert response.status_code == 400
    assert "Interview times must be in the future." in response.get_data(as_text=True)
    response = client.post(
        f"/interviews/proposals/{ids['proposal']}",
        data={"time_1": "morgen früh", "minutes": 45, "place": "x"},
    )
    assert response.status_code == 400
    response = _propose(client, ids, _future(), minutes=5000)
    assert response.status_code == 400
    response = _propose(client, ids, _future(), place="")
    assert response.status_code == 400
    response = _propose(client, ids, _future(), place="Tor\x003")
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)
    assert _slots(app, ids["proposal"]) == []


def test_counsellor_accepts_a_time_and_everyone_gets_the_ics(app, login_as, auth, client, setup):
    ids = setup()
    login_as("employer", organisation_id=ids["org"])
    _invite(client, ids)
    first, second = _future(7, 10), _future(8, 14)
    response = _propose(client, ids, first, second)
    assert response.status_code == 302
    page = _page(client, ids)
    assert "Waiting for the counsellor or the candidate" in page
    slots = _slots(app, ids["proposal"])
    assert [s[1] for s in slots] == ["open", "open"]
    # New times replace the open ones.
    assert _propose(client, ids, first, second).status_code == 302
    slots = _slots(app, ids["proposal"])
    assert [s[1] for s in slots] == ["replaced", "replaced", "open", "open"]
    # The employer cannot accept, nor download a time not yet agreed.
    assert client.post(f"/interviews/{slots[2][0]}/accept").status_code == 403
    assert client.get(f"/interviews/{slots[2][0]}.ics").status_code == 404
    auth.logout()

    auth.login(ids["counsellor"])
    page = client.get(f"/counsellor/proposals/{ids['proposal']}").get_data(as_text=True)
    assert "Accept this time" in page
    response = client.post(f"/interviews/{slots[3][0]}/accept")
    assert response.status_code == 302
    assert [s[1] for s in _slots(app, ids["proposal"])][2:] == ["not_chosen", "accepted"]
    assert _slots(app, ids["proposal"])[3][3] == "counsellor"
    assert client.post(f"/interviews/{slots[2][0]}/accept").status_code == 302  # refused
    assert [s[1] for s in _slots(app, ids["proposal"])][2:] == ["not_chosen", "accepted"]
    ics = client.get(f"/interviews/{slots[3][0]}.ics")
    assert ics.mimetype == "text/calendar"
    event = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    assert "Olena Kovalenko" in str(event["SUMMARY"])
    auth.logout()

    login_as("employer", organisation_id=ids["org"])
    page = _page(client, ids)
    assert "accepted by the counsellor" in page
    ics = client.get(f"/interviews/{slots[3][0]}.ics")
    event = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    # Typed as German local time, stored and exported in UTC.
    start = event.decoded("DTSTART")
    from zoneinfo import ZoneInfo

    assert start == second.replace(tzinfo=ZoneInfo("Europe/Berlin"))
    assert event.decoded("DTEND") - start == timedelta(minutes=45)
    assert str(event["LOCATION"]) == "Lager Nord, Tor 3, Hannover"
    assert "Kovalenko" not in ics.get_data(as_text=True)  # no consent: the pseudonym
    assert f"K-{ids['proposal']:05d}" in str(event["SUMMARY"])
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("interview.%"))).all()  # fmt: skip
        assert sorted(actions) == ["interview.accept", "interview.propose", "interview.propose"]


def test_participant_accepts_a_time(app, login_as, auth, client, setup):
    ids = setup()
    login_as("employer", organisation_id=ids["org"])
    _invite(client, ids)
    _propose(client, ids, _future(5, 9))
    auth.logout()
    auth.login(ids["participant"])
    page = client.get("/me/proposals").get_data(as_text=True)
    assert "Interview times" in page
    (slot_id, *_rest) = _slots(app, ids["proposal"])[0]
    assert client.post(f"/interviews/{slot_id}/accept").status_code == 302
    assert _slots(app, ids["proposal"])[0][1] == "accepted"
    assert _slots(app, ids["proposal"])[0][3] == "participant"
    page = client.get("/me/proposals").get_data(as_text=True)
    assert "Add to calendar (.ics)" in page
    event = Calendar.from_ical(client.get(f"/interviews/{slot_id}.ics").data).walk("VEVENT")[0]
    assert "Lager Nord GmbH" in str(event["SUMMARY"])


def test_no_one_else_reaches_the_times(app, login_as, auth, client, setup, create_org):
    ids = setup()
    login_as("employer", organisation_id=ids["org"])
    _invite(client, ids)
    _propose(client, ids, _future())
    (slot_id, *_rest) = _slots(app, ids["proposal"])[0]
    auth.logout()
    for url in (f"/interviews/{slot_id}.ics", f"/employer/proposals/{ids['proposal']}"):
        assert client.get(url).headers["Location"].startswith("/login")
    assert client.post(f"/interviews/{slot_id}/accept").headers["Location"].startswith("/login")
    login_as("employer", organisation_id=create_org())  # another employer
    assert client.get(f"/employer/proposals/{ids['proposal']}").status_code == 404
    assert _propose(client, ids, _future(9)).status_code == 404
    assert client.get(f"/interviews/{slot_id}.ics").status_code == 404
    auth.logout()
    login_as("participant")  # another participant
    assert client.post(f"/interviews/{slot_id}/accept").status_code == 404
    assert client.get(f"/interviews/{slot_id}.ics").status_code == 404
    assert _propose(client, ids, _future(9)).status_code == 403
    assert _slots(app, ids["proposal"])[0][1] == "open"


def test_erasure_leaves_no_interview_time(app, login_as, auth, client, setup):
    from placement.participants.rights import erase_participant

    ids = setup()
    login_as("employer", organisation_id=ids["org"])
    _invite(client, ids)
    _propose(client, ids, _future())
    auth.logout()
    auth.login(ids["participant"])
    (slot_id, *_rest) = _slots(app, ids["proposal"])[0]
    assert client.post(f"/interviews/{slot_id}/accept").status_code == 302
    with app.app_context():
        person = db.session.get(Proposal, ids["proposal"]).participant
        erase_participant(person, None)
        db.session.commit()
        assert db.session.scalars(select(InterviewSlot)).all() == []
