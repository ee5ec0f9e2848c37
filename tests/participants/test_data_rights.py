"""Download all my data (fresh login), and erasure that keeps only anonymous counts."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from placement.extensions import db
from tests.conftest import PASSWORD
from tests.pdf import pdf_text


def _setup_history(app, participant_id, other_id, vacancy_id, counsellor_id, employer_id):
    from placement.accounts.models import User
    from placement.audit.services import record
    from placement.employers.models import Vacancy
    from placement.participants.models import Participant
    from placement.proposals import services

    with app.app_context():
        counsellor = db.session.get(User, counsellor_id)
        person = db.session.get(Participant, participant_id)
        vacancy = db.session.get(Vacancy, vacancy_id)
        services.give_consent(person, vacancy.organisation, db.session.get(User, person.user_id))
        proposal = services.propose(vacancy, person, counsellor)
        services.change_status(proposal, "hired", db.session.get(User, employer_id))
        services.add_note(person, counsellor, "Hat Staplerschein; Gespräch lief gut.")
        other = db.session.get(Participant, other_id)
        services.add_note(other, counsellor, "Notiz zu jemand anderem")
        services.propose(vacancy, other, counsellor)
        record(counsellor, "participant.view", "participant", person.id)
        db.session.commit()


def test_export_needs_fresh_password(participant_login, client, confirm_password):
    participant_login()
    response = client.get("/me/data/export.json")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/confirm-password")
    assert confirm_password("wrong password here").status_code == 401
    assert client.get("/me/data/export.json").status_code == 302
    response = confirm_password()
    assert response.status_code == 302
    assert response.headers["Location"] == "/me/data"
    assert client.get("/me/data/export.json").status_code == 200


def test_fresh_password_expires(participant_login, client, confirm_password, monkeypatch):
    import time

    participant_login()
    confirm_password()
    later = time.time() + 11 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/me/data/export.json").status_code == 302


def test_export_contains_all_sections_and_nothing_of_others(
    participant_login,
    client,
    app,
    confirm_password,
    create_org,
    create_vacancy,
    create_user,
    create_participant,
):
    org = create_org("Lager Nord GmbH")
    vacancy_id = create_vacancy(org, title="Kommissionierer")
    counsellor_id, _ = create_user("counsellor")
    employer_id, _ = create_user("employer", organisation_id=org)
    other_id = create_participant(
        first_name="Fremde", last_name="Person", email="f@x.example", consent_matching=True
    )
    _, participant_id, email = participant_login(
        skills=["Staplerschein"],
        qualifications=[
            {"title": "Lagerlogistik-Diplom", "country": "UA", "recognition": "partial"}
        ],
    )
    _setup_history(app, participant_id, other_id, vacancy_id, counsellor_id, employer_id)
    client.post(f"/me/vacancies/{vacancy_id}/interest")
    client.get("/me/suggestions")  # a logged match list
    confirm_password()
    response = client.get("/me/data/export.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    for section in (
        "account",
        "profile",
        "consents",
        "interests",
        "proposals",
        "notes",
        "profile_views",
        "match_lists",
    ):
        assert data[section], section
    assert data["account"]["email"] == email
    assert data["profile"]["skills"] == ["Staplerschein"]
    assert data["profile"]["qualifications"][0]["title"] == "Lagerlogistik-Diplom"
    assert data["consents"][0]["employer"] == "Lager Nord GmbH"
    assert data["interests"][0]["title"] == "Kommissionierer"
    assert [e["to"] for e in data["proposals"][0]["history"]] == ["proposed", "hired"]
    assert [n["text"] for n in data["notes"]] == ["Hat Staplerschein; Gespräch lief gut."]
    assert data["profile_views"][0]["role"] == "counsellor"
    text = response.get_data(as_text=True)
    assert "Fremde" not in text
    assert "f@x.example" not in text
    assert "jemand anderem" not in text


def test_erasure_removes_personal_data_keeps_counts(
    participant_login,
    client,
    app,
    auth,
    confirm_password,
    create_org,
    create_vacancy,
    create_user,
    create_participant,
):
    from placement.accounts.models import User
    from placement.participants.models import Participant, Qualification
    from placement.participants.rights import outcome_counts
    from placement.proposals.models import Consent, Note, Proposal, ProposalEvent

    org = create_org()
    vacancy_id = create_vacancy(org)
    counsellor_id, _ = create_user("counsellor")
    employer_id, _ = create_user("employer", organisation_id=org)
    other_id = create_participant(consent_matching=True)
    user_id, participant_id, email = participant_login(
        first_name="Olena",
        last_name="Kovalenko",
        profile_text="Pflegekraft aus Kyjiw",
        qualifications=[{"title": "Diplom", "recognition": "partial"}],
    )
    _setup_history(app, participant_id, other_id, vacancy_id, counsellor_id, employer_id)
    client.post(f"/me/vacancies/{vacancy_id}/interest")
    with app.app_context():
        before = outcome_counts()
    assert before["participants"] == 2
    assert before["placements"] == 1

    assert client.post("/me/data/delete", data={"confirm": "y"}).status_code == 302  # not fresh
    with app.app_context():
        assert db.session.get(Participant, participant_id) is not None
    confirm_password()
    assert client.post("/me/data/delete", data={}).status_code == 400  # not confirmed
    response = client.post("/me/data/delete", data={"confirm": "y"})
    assert response.status_code == 302

    with app.app_context():
        assert db.session.get(Participant, participant_id) is None
        for model in (Consent, Proposal, Note, Qualification):
            rows = db.session.scalars(select(model)).all()
            assert all(getattr(r, "participant_id", None) != participant_id for r in rows)
        assert db.session.scalar(select(func.count(ProposalEvent.id))) == 1  # the other's
        assert db.session.get(User, user_id) is None  # the account is gone too
        assert outcome_counts() == before
        assert db.session.scalar(select(func.count(Note.id))) == 1
    # the session is gone and the old credentials no longer work
    assert client.get("/me/").status_code == 302
    assert auth.login(email, PASSWORD).status_code == 401


def test_erased_views_do_not_reach_a_new_profile(
    participant_login, client, app, auth, confirm_password, create_user
):
    from placement.accounts.models import User
    from placement.audit.services import record

    counsellor_id, _ = create_user("counsellor")
    _, participant_id, _ = participant_login()
    with app.app_context():
        record(
            db.session.get(User, counsellor_id), "participant.view", "participant", participant_id
        )
        db.session.commit()
    confirm_password()
    client.post("/me/data/delete", data={"confirm": "y"})
    participant_login()  # on SQLite the new profile may get the same id
    page = client.get("/me/views").get_data(as_text=True)
    assert "Nobody has viewed your profile yet." in page


def test_data_pages_render_after_fresh_login(participant_login, client, confirm_password):
    participant_login()
    assert 'href="/me/data/view"' in client.get("/me/data").get_data(as_text=True)
    assert client.get("/me/data/delete").status_code == 302
    confirm_password()
    page = client.get("/me/data/delete").get_data(as_text=True)
    assert 'name="confirm"' in page
    assert "cannot be undone" in page


def test_confirm_password_ignores_foreign_next(participant_login, client):
    participant_login()
    response = client.post(
        "/confirm-password", data={"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"


# The data as a readable page and a PDF ------------------------------------------------------


@pytest.fixture
def history(participant_login, client, app, create_org, create_vacancy, create_user,
            create_participant):  # fmt: skip
    """A participant with a proposal (hired), a consent, notes and a profile view; another
    participant with a note that must never show."""
    org = create_org("Lager Nord GmbH")
    vacancy_id = create_vacancy(org, title="Kommissionierer")
    counsellor_id, _ = create_user("counsellor")
    employer_id, _ = create_user("employer", organisation_id=org)
    other_id = create_participant(first_name="Fremde", last_name="Person", consent_matching=True)
    _, participant_id, _ = participant_login(
        first_name="Olena", last_name="Kovalenko", work_permit="approval_required",
        languages=[{"code": "uk", "level": "native"}],
        qualifications=[{"title": "Lagerlogistik-Diplom", "country": "UA",
                         "recognition": "partial"}],
    )  # fmt: skip
    _setup_history(app, participant_id, other_id, vacancy_id, counsellor_id, employer_id)
    return participant_id


def test_data_page_in_words_with_downloads(history, client, app, confirm_password):
    response = client.get("/me/data/view")
    assert response.headers["Location"].startswith("/confirm-password")
    assert "next=/me/data/view" in response.headers["Location"]
    confirm_password()
    response = client.get("/me/data/view")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    for text in ("All my data", "Olena", "Lager Nord GmbH", "Kommissionierer", "Hired",
                 "Partly recognised", "Beschäftigung nur mit Genehmigung der Ausländerbehörde",
                 "Ukrainian (first language)", "Hat Staplerschein; Gespräch lief gut.",
                 "Placement counsellor", "Lists of suggestions I appeared in"):  # fmt: skip
        assert text in page.replace("&#39;", "'"), text
    for code in ("approval_required", "partial", "hired", '"uk"'):  # codes turned into words
        assert code not in page, code
    assert "Fremde" not in page
    assert "jemand anderem" not in page
    # The downloads are offered on this page, and it leads back to "My data".
    assert 'href="/me/data/export.pdf" download' in page
    assert 'href="/me/data/export.json" download' in page
    assert 'href="/me/data"' in page


def test_data_page_in_german(history, client, app, confirm_password):
    from placement.accounts.models import User

    with app.app_context():
        for user in db.session.scalars(select(User).where(User.role == "participant")):
            user.locale = "de"
        db.session.commit()
    confirm_password()
    page = client.get("/me/data/view").get_data(as_text=True)
    for text in ("Alle meine Daten", "Meine Vorschläge", "Eingestellt", "Teilweise anerkannt",
                 "Ukrainisch (Erstsprache)", "Als PDF herunterladen"):  # fmt: skip
        assert text in page, text
    response = client.get("/me/data/export.pdf")
    assert 'filename="meine-daten.pdf"' in response.headers["Content-Disposition"]
    assert b"/Title (Meine Daten)" in response.data


def test_data_pdf(history, client, app, confirm_password):
    from placement.audit.models import AuditEvent

    confirm_password()
    response = client.get("/me/data/export.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert 'filename="my-data.pdf"' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    client.get("/me/data/export.json")
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant.export")
        ).all()
        assert [e.details["format"] for e in events] == ["pdf", "json"]


def test_data_pdf_holds_the_sections(history, app):
    """The PDF's text (built-in font: its text can be read back) has every section in words."""

    from placement.accounts.models import User
    from placement.participants.data_pdf import data_pdf
    from placement.participants.models import Participant
    from placement.participants.rights import personal_data
    from placement.web.participant import data_report

    with app.test_request_context():
        person = db.session.get(Participant, history)
        person.user.locale = "en"
        from flask_login import login_user

        login_user(db.session.get(User, person.user_id))
        data = personal_data(person)
        body = data_pdf("My data", ["For: Olena Kovalenko"], data_report.sections(data),
                        footer="My data", fonts=None)  # fmt: skip
    text = pdf_text(body)
    for expected in ("My profile", "Qualifications", "Lagerlogistik-Diplom", "Hired",
                     "Hat Staplerschein; Gespräch lief gut.", "Who viewed my profile",
                     "Employers who may see my name", "Lager Nord GmbH"):  # fmt: skip
        assert expected in text, expected
    assert "Fremde" not in text


def test_downloads_without_fresh_password_lead_back_to_the_data_page(
    history, client, confirm_password
):
    for url in ("/me/data/export.pdf", "/me/data/export.json"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"] == "/confirm-password?next=/me/data/view"
    response = client.post("/confirm-password", data={"password": PASSWORD,
                                                     "next": "/me/data/view"})  # fmt: skip
    assert response.headers["Location"] == "/me/data/view"


@pytest.mark.parametrize("url", ["/me/data/view", "/me/data/export.pdf"])
def test_data_pages_are_the_participants_own(refused, url):
    refused(url, "counsellor", "employer", "admin")
