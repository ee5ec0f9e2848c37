"""Each role's access rules: anonymous, wrong role and other owner, for every protected area."""

from __future__ import annotations

import pytest

from placement.extensions import db

STAFF_PAGES = [
    "/counsellor/",
    "/counsellor/participants",
    "/counsellor/vacancies",
    "/counsellor/organisations",
    "/counsellor/participants/new",
]


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/users/new", "/employer/", "/me/", "/me/edit", *STAFF_PAGES]
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("participant", "/admin/"),
        ("participant", "/employer/"),
        ("participant", "/counsellor/"),
        ("employer", "/admin/"),
        ("employer", "/counsellor/participants"),
        ("employer", "/me/"),
        ("counsellor", "/admin/users/new"),
        ("counsellor", "/employer/"),
        ("counsellor", "/me/"),
        ("admin", "/me/"),
    ],
)
def test_wrong_role_is_forbidden(login_as, client, role, url):
    login_as(role)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", STAFF_PAGES)
@pytest.mark.parametrize("role", ["counsellor", "admin"])
def test_staff_pages_open_to_staff(login_as, client, role, url):
    login_as(role)
    assert client.get(url).status_code == 200


def test_employer_sees_only_own_vacancies(login_as, client, create_org, create_vacancy):
    own = create_org("Eigene GmbH")
    other = create_org("Andere AG")
    create_vacancy(own, title="Lagerhelfer Eigene")
    other_id = create_vacancy(other, title="Pflegefachkraft Andere")
    login_as("employer", organisation_id=own)
    page = client.get("/employer/").get_data(as_text=True)
    assert "Lagerhelfer Eigene" in page
    assert "Pflegefachkraft Andere" not in page
    # Another organisation's vacancy: no data, whether reading or writing.
    assert client.get(f"/employer/vacancies/{other_id}/edit").status_code == 404
    forged = client.post(
        f"/employer/vacancies/{other_id}/edit",
        data={
            "title": "gekapert",
            "kind": "job",
            "description": "x" * 30,
            "postcode": "30159",
            "hours_per_week": 10,
            "status": "draft",
        },
    )
    assert forged.status_code == 404


def test_employer_edits_own_vacancy(app, login_as, client, create_org, create_vacancy):
    from placement.employers.models import Vacancy

    org = create_org()
    vacancy_id = create_vacancy(org)
    login_as("employer", organisation_id=org)
    response = client.post(
        f"/employer/vacancies/{vacancy_id}/edit",
        data={
            "title": "Lagerhelfer/in (m/w/d)",
            "kind": "job",
            "status": "published",
            "description": "Kommissionieren und Verpacken im Lager.",
            "postcode": "30159",
            "hours_per_week": 30,
            "german_level": "A2",
            "skills": "Kommissionieren\nScanner",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        assert vacancy.title == "Lagerhelfer/in (m/w/d)"
        assert vacancy.skills == ["Kommissionieren", "Scanner"]
        assert vacancy.german_level == "A2"


def test_unapproved_employer_cannot_publish(app, login_as, client, create_org):
    from sqlalchemy import func, select

    from placement.employers.models import Vacancy

    org = create_org(approved=False)
    login_as("employer", organisation_id=org)
    data = {
        "title": "Koch/Köchin",
        "kind": "job",
        "status": "published",
        "postcode": "30159",
        "description": "Zubereitung warmer Speisen in unserer Kantine.",
        "hours_per_week": 39,
    }
    response = client.post("/employer/vacancies/new", data=data)
    assert response.status_code == 400
    assert "not been approved" in response.get_data(as_text=True) or "genehmigt" in (
        response.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(Vacancy.id))) == 0  # nothing half-written
    data["status"] = "draft"
    assert client.post("/employer/vacancies/new", data=data).status_code == 302


def test_participant_sees_only_own_profile(app, client, auth, create_user, create_participant):
    from placement.participants.models import Participant

    _, email = create_user("participant")
    other_id = create_participant(first_name="Ahmad", last_name="Fremd")
    auth.login(email)
    page = client.get("/me/").get_data(as_text=True)
    assert "Ahmad" not in page
    # The staff pages with another participant's id are closed to participants.
    assert client.get(f"/counsellor/participants/{other_id}").status_code == 403
    with app.app_context():
        assert db.session.get(Participant, other_id).first_name == "Ahmad"


def test_participant_edits_own_profile(app, client, auth, create_user):
    from sqlalchemy import select

    from placement.participants.models import Participant

    user_id, email = create_user("participant")
    auth.login(email)
    response = client.post(
        "/me/edit",
        data={
            "first_name": "Olena",
            "last_name": "K",
            "profile_language": "uk",
            "profile_text": "Медсестра, 10 років досвіду.",
            "german_level": "B1",
            "work_permit": "employment",
            "phase": "4",
            "postcode": "30451",
            "languages-0-code": "uk",
            "languages-0-level": "native",
            "qualifications-0-title": "Медична сестра",
            "qualifications-0-country": "ua",
            "qualifications-0-recognition": "in_process",
            "skills": "Grundpflege, Wundversorgung",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        person = db.session.scalar(select(Participant).where(Participant.user_id == user_id))
        assert person.profile_text.startswith("Медсестра")
        assert person.languages == [{"code": "uk", "level": "native"}]
        assert person.qualifications[0].country == "UA"
        assert person.recognition == "in_process"
        assert person.skills == ["Grundpflege", "Wundversorgung"]


def test_counsellor_view_of_profile_is_logged(app, login_as, client, create_participant):
    from sqlalchemy import select

    from placement.audit.models import AuditEvent

    counsellor_id = login_as("counsellor")
    person = create_participant()
    assert client.get(f"/counsellor/participants/{person}").status_code == 200
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant.view")
        ).all()
        assert [(e.actor_id, e.subject_id) for e in events] == [(counsellor_id, person)]


def test_missing_records_answer_404(login_as, client):
    login_as("counsellor")
    assert client.get("/counsellor/participants/999").status_code == 404
    assert client.get("/counsellor/vacancies/999").status_code == 404


def test_counsellor_posts_for_employer_and_approves(app, login_as, client, create_org):
    from placement.employers.models import Organisation

    org = create_org(approved=False)
    login_as("counsellor")
    assert (
        client.post(f"/counsellor/organisations/{org}/approve", data={"approve": "1"}).status_code
        == 302
    )
    response = client.post(
        f"/counsellor/organisations/{org}/vacancies/new",
        data={
            "title": "Praktikum Pflege",
            "kind": "internship",
            "status": "published",
            "description": "Orientierungspraktikum in der Altenpflege.",
            "postcode": "30159",
            "hours_per_week": 30,
            "duration_weeks": 6,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, org).vacancies[0].kind == "internship"


def test_admin_creates_users(app, login_as, client, create_org):
    from placement.accounts.services import find_user

    login_as("admin")
    org = create_org()
    response = client.post(
        "/admin/users/new",
        data={
            "name": "Eva Arbeit",
            "email": "eva@firma.example",
            "role": "employer",
            "organisation_id": org,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert find_user("eva@firma.example").organisation_id == org
