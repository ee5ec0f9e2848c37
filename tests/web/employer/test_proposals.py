"""Employers' view of proposed candidates: pseudonymised until consent, every view logged,
answers recorded, never another organisation's proposals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from placement.audit.models import AuditEvent
from placement.extensions import db
from placement.proposals.models import Proposal, ProposalEvent

PERSON = {
    "first_name": "Olena",
    "last_name": "Kovalenko",
    "email": "olena.k@mail.example",
    "phone": "0170 5550101",
    "consent_matching": True,
    "german_level": "B1",
    "skills": ["Kommissionieren", "Staplerschein"],
    "languages": [{"code": "uk", "level": "native"}, {"code": "en", "level": "B2"}],
    "qualifications": [
        {
            "title": "Fachkraft Lagerwirtschaft",
            "country": "UA",
            "year": 2015,
            "recognition": "partial",
            "reference_occupation": "Fachkraft für Lagerlogistik",
        }
    ],
    "hours_per_week": 30,
    "postcode": "30451",
    "street": "Limmerstraße 1",
}
IDENTITY = ("Olena", "Kovalenko", "olena.k@mail.example", "0170 5550101")


@pytest.fixture(autouse=True)
def english(client):
    """These tests read English messages: choose English as a person would."""
    client.post("/language", data={"locale": "en"})


@pytest.fixture
def proposal(app, create_org, create_user, create_vacancy, create_participant):
    """A proposal for a published vacancy; returns (organisation id, proposal id)."""
    from placement.accounts.models import User
    from placement.employers.models import Vacancy
    from placement.participants.models import Participant
    from placement.proposals.services import propose

    org = create_org("Lager Nord GmbH")
    vacancy_id = create_vacancy(org, title="Fachkraft für Lagerlogistik (m/w/d)")
    counsellor_id, _ = create_user("counsellor")
    person_id = create_participant(**{k: v for k, v in PERSON.items() if k != "street"})
    with app.app_context():
        item = propose(
            db.session.get(Vacancy, vacancy_id),
            db.session.get(Participant, person_id),
            db.session.get(User, counsellor_id),
        )
        db.session.commit()
        return org, item.id


def _consent(app, proposal_id, give=True):
    from placement.accounts.models import User
    from placement.proposals.services import give_consent, withdraw_consent

    with app.app_context():
        item = db.session.get(Proposal, proposal_id)
        staff = db.session.scalar(select(User).where(User.role == "counsellor"))
        (give_consent if give else withdraw_consent)(
            item.participant, item.vacancy.organisation, staff
        )
        db.session.commit()


def _views(app, proposal_id):
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant.view")
        ).all()
        return [e for e in events if (e.details or {}).get("proposal") == proposal_id]


# ----------------------------------------------------------------- access


@pytest.mark.parametrize(
    "url", ["/employer/proposals/", "/employer/proposals/{id}", "/employer/proposals/{id}/answer"]
)
def test_anonymous_is_sent_to_login(client, proposal, url):
    _, proposal_id = proposal
    method = client.post if url.endswith("answer") else client.get
    response = method(url.format(id=proposal_id), data={"to_status": "invited"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", ["participant", "counsellor", "admin"])
def test_other_roles_cannot_use_the_employer_pages(app, login_as, client, proposal, role):
    _, proposal_id = proposal
    login_as(role)
    assert client.get("/employer/proposals/").status_code == 403
    assert client.get(f"/employer/proposals/{proposal_id}").status_code == 403
    response = client.post(f"/employer/proposals/{proposal_id}/answer", data={"to_status": "hired"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).status == "proposed"


def test_another_employer_never_sees_the_proposal(app, login_as, client, create_org, proposal):
    _, proposal_id = proposal
    login_as("employer", organisation_id=create_org("Andere AG"))
    listing = client.get("/employer/proposals/").get_data(as_text=True)
    assert f"K-{proposal_id:05d}" not in listing
    assert client.get(f"/employer/proposals/{proposal_id}").status_code == 404
    response = client.post(
        f"/employer/proposals/{proposal_id}/answer", data={"to_status": "invited"}
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).status == "proposed"
    assert _views(app, proposal_id) == []


# ----------------------------------------------------------------- pseudonym and consent


def test_before_consent_only_pseudonym_and_job_facts(app, login_as, client, proposal):
    org, proposal_id = proposal
    user_id = login_as("employer", organisation_id=org)
    listing = client.get("/employer/proposals/").get_data(as_text=True)
    assert f"K-{proposal_id:05d}" in listing
    assert "Olena" not in listing
    page = client.get(f"/employer/proposals/{proposal_id}").get_data(as_text=True)
    for secret in IDENTITY:
        assert secret not in page
    assert "UA" not in page
    assert "first language" not in page
    for fact in ("B1", "Kommissionieren", "Staplerschein", "Fachkraft für Lagerlogistik",
                 "Partly recognised", "30", "km"):  # fmt: skip
        assert fact in page
    # The title as written names institute, city or country: only with consent (issue 11).
    assert "Fachkraft Lagerwirtschaft" not in page
    assert "has not (yet) agreed" in page
    views = _views(app, proposal_id)
    assert len(views) == 1
    assert views[0].actor_id == user_id
    assert views[0].actor_role == "employer"
    assert views[0].details == {"proposal": proposal_id, "identity": False}


def test_after_consent_name_and_contact_are_shown(app, login_as, client, proposal):
    org, proposal_id = proposal
    _consent(app, proposal_id)
    login_as("employer", organisation_id=org)
    page = client.get(f"/employer/proposals/{proposal_id}").get_data(as_text=True)
    assert "Olena Kovalenko" in page
    assert "Fachkraft Lagerwirtschaft" in page
    assert "olena.k@mail.example" in page
    assert "0170 5550101" in page
    assert "Limmer" not in page  # never the exact address
    assert _views(app, proposal_id)[0].details["identity"] is True
    # Withdrawn consent: the identity is hidden again.
    _consent(app, proposal_id, give=False)
    page = client.get(f"/employer/proposals/{proposal_id}").get_data(as_text=True)
    assert "Kovalenko" not in page
    assert len(_views(app, proposal_id)) == 2


def test_before_consent_no_origin_in_qualification_or_language_order(
    app, login_as, client, proposal
):
    from placement.participants.models import Participant

    org, proposal_id = proposal
    with app.app_context():
        person = db.session.get(Proposal, proposal_id).participant
        person = db.session.get(Participant, person.id)
        person.qualifications[0].title = "دبلوم التمريض – المعهد الصحي بحلب"
        person.languages = [{"code": "ar", "level": "native"}, {"code": "en", "level": "B2"},
                            {"code": "de", "level": "B1"}]  # fmt: skip
        db.session.commit()
    login_as("employer", organisation_id=org)
    page = client.get(f"/employer/proposals/{proposal_id}").get_data(as_text=True)
    assert "حلب" not in page
    assert "المعهد" not in page
    assert "Fachkraft für Lagerlogistik" in page
    languages = page.split("Languages")[1].split("</dd>")[0]
    # Fixed order (by code: ar, de, en), not the order the person listed them in.
    assert languages.index("Arabic") < languages.index("German") < languages.index("English")


def test_consent_for_another_employer_does_not_count(app, login_as, client, create_org, proposal):
    from placement.accounts.models import User
    from placement.employers.models import Organisation
    from placement.proposals.services import give_consent

    org, proposal_id = proposal
    other = create_org("Andere AG")
    with app.app_context():
        item = db.session.get(Proposal, proposal_id)
        staff = db.session.scalar(select(User).where(User.role == "counsellor"))
        give_consent(item.participant, db.session.get(Organisation, other), staff)
        db.session.commit()
    login_as("employer", organisation_id=org)
    page = client.get(f"/employer/proposals/{proposal_id}").get_data(as_text=True)
    assert "Kovalenko" not in page


# ----------------------------------------------------------------- answers


def test_answers_are_recorded(app, login_as, client, proposal):
    org, proposal_id = proposal
    user_id = login_as("employer", organisation_id=org)
    url = f"/employer/proposals/{proposal_id}/answer"
    assert client.post(url, data={"to_status": "invited"}).status_code == 302
    # "Internship offered" is for internships only (tests/employers/test_candidate_page.py).
    assert client.post(url, data={"to_status": "internship"}).status_code == 400
    assert client.post(url, data={"to_status": "hired"}).status_code == 302
    with app.app_context():
        item = db.session.get(Proposal, proposal_id)
        assert item.status == "hired"
        steps = [(e.from_status, e.to_status, e.actor_id) for e in item.events]
        assert steps == [
            (None, "proposed", steps[0][2]),
            ("proposed", "invited", user_id),
            ("invited", "hired", user_id),
        ]
        answers = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "proposal.answer")
        ).all()
        assert [a.details["status"] for a in answers] == ["invited", "hired"]
    page = client.get(f"/employer/proposals/{proposal_id}").get_data(as_text=True)
    assert "no further answer is possible" in page


def test_declining_needs_a_reason_from_the_list(app, login_as, client, proposal):
    org, proposal_id = proposal
    login_as("employer", organisation_id=org)
    url = f"/employer/proposals/{proposal_id}/answer"
    response = client.post(url, data={"to_status": "declined", "confirmed": "y"})
    assert response.status_code == 400
    assert 'id="reason-error" role="alert">Choose a reason' in response.get_data(as_text=True)
    response = client.post(url, data={"to_status": "declined", "reason": "made-up",
                                      "confirmed": "y"})  # fmt: skip
    assert response.status_code == 400
    response = client.post(url, data={"to_status": "declined", "reason": "language",
                                      "confirmed": "y"})  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(Proposal, proposal_id)
        assert (item.status, item.decline_reason) == ("declined", "language")
        event = db.session.scalar(
            select(ProposalEvent).where(ProposalEvent.to_status == "declined")
        )
        assert event.reason == "language"
        assert event.actor_role == "employer"


def test_illegal_answers_are_refused_with_a_clear_message(app, login_as, client, proposal):
    org, proposal_id = proposal
    login_as("employer", organisation_id=org)
    url = f"/employer/proposals/{proposal_id}/answer"
    client.post(url, data={"to_status": "declined", "reason": "position_filled", "confirmed": "y"})
    response = client.post(url, data={"to_status": "hired"})
    assert response.status_code == 400
    assert "it cannot be changed to “Hired”" in response.get_data(as_text=True)
    # An employer cannot withdraw or reset a proposal either.
    for status in ("withdrawn", "proposed"):
        assert client.post(url, data={"to_status": status}).status_code == 400
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).status == "declined"
        assert len(db.session.get(Proposal, proposal_id).events) == 2


# ----------------------------------------------------------------- declining asks first


def test_decline_asks_first_and_looks_destructive(app, login_as, client, proposal):
    org, proposal_id = proposal
    login_as("employer", organisation_id=org)
    page = client.get(f"/employer/proposals/{proposal_id}").get_data(as_text=True)
    decline_link = f'href="/employer/proposals/{proposal_id}/decline"'
    assert decline_link in page
    assert f'class="button danger" {decline_link}' in page  # not like the positive buttons
    response = client.get(f"/employer/proposals/{proposal_id}/decline")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "What will happen when you confirm" in page
    assert 'name="reason"' in page
    assert 'name="confirmed" value="y"' in page
    assert 'name="csrf_token"' in page
    assert f'href="/employer/proposals/{proposal_id}">Cancel' in page
    # Posting the answer without the confirmation leads there and changes nothing.
    url = f"/employer/proposals/{proposal_id}/answer"
    response = client.post(url, data={"to_status": "declined", "reason": "language"})
    assert response.headers["Location"].startswith(f"/employer/proposals/{proposal_id}/decline")
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).status == "proposed"
    # A confirmation without a reason shows the page again with the message at the field.
    response = client.post(url, data={"to_status": "declined", "confirmed": "y"})
    assert response.status_code == 400
    assert "What will happen when you confirm" in response.get_data(as_text=True)
    response = client.post(url, data={"to_status": "declined", "reason": "language",
                                      "confirmed": "y"})  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).status == "declined"
    # Once declined there is nothing left to confirm.
    response = client.get(f"/employer/proposals/{proposal_id}/decline")
    assert response.headers["Location"] == f"/employer/proposals/{proposal_id}"


def test_decline_page_access_is_that_of_answering(login_as, client, create_org, proposal,
                                                  refused):  # fmt: skip
    org, proposal_id = proposal
    url = f"/employer/proposals/{proposal_id}/decline"
    refused(url, "counsellor", "participant")
    login_as("employer", organisation_id=create_org("Andere AG"))
    assert client.get(url).status_code == 404
