"""Vacancy lifecycle buttons and wording notes on the employer's and the counsellor's pages."""

from __future__ import annotations

import pytest

from placement.employers.models import Vacancy
from placement.extensions import db
from tests.conftest import page_ok

BIASED = {
    "title": "Lagerhelfer (m/w/d)",
    "kind": "job",
    "status": "draft",
    "description": "Wir sind ein junges, dynamisches Team. Muttersprache: Deutsch.",
    "german_level": "C2",
    "postcode": "30159",
    "hours_per_week": 38,
}


@pytest.fixture(autouse=True)
def english(client):
    """These tests read English messages: choose English as a person would."""
    client.post("/language", data={"locale": "en"})


def _status(app, vacancy_id):
    with app.app_context():
        return db.session.get(Vacancy, vacancy_id).status


# ----------------------------------------------------------------- access


@pytest.mark.parametrize("url", ["/employer/vacancies/{id}", "/counsellor/vacancies/{id}"])
def test_anonymous_is_sent_to_login(client, create_org, create_vacancy, url):
    vacancy_id = create_vacancy(create_org())
    assert client.get(url.format(id=vacancy_id)).status_code == 302
    for status_url in ("/employer/vacancies/{id}/status", "/counsellor/vacancies/{id}/status"):
        response = client.post(status_url.format(id=vacancy_id), data={"status": "paused"})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("participant", "/employer/vacancies/{id}/status"),
        ("participant", "/counsellor/vacancies/{id}/status"),
        ("employer", "/counsellor/vacancies/{id}/status"),
        ("counsellor", "/employer/vacancies/{id}/status"),
    ],
)
def test_wrong_role_cannot_change_status(app, login_as, client, create_org, create_vacancy,
                                         role, url):  # fmt: skip
    vacancy_id = create_vacancy(create_org())
    login_as(role)
    assert client.post(url.format(id=vacancy_id), data={"status": "paused"}).status_code == 403
    assert _status(app, vacancy_id) == "published"


def test_employer_cannot_see_or_change_another_organisations_vacancy(
    app, login_as, client, create_org, create_vacancy
):
    other = create_vacancy(create_org())
    login_as("employer")
    assert client.get(f"/employer/vacancies/{other}").status_code == 404
    response = client.post(f"/employer/vacancies/{other}/status", data={"status": "paused"})
    assert response.status_code == 404
    assert _status(app, other) == "published"


# ----------------------------------------------------------------- lifecycle


def test_employer_walks_a_vacancy_through_its_lifecycle(app, login_as, client, create_org,
                                                        create_vacancy):  # fmt: skip
    org = create_org()
    vacancy_id = create_vacancy(org, status="draft")
    login_as("employer", organisation_id=org)
    url = f"/employer/vacancies/{vacancy_id}/status"
    page = client.get(f"/employer/vacancies/{vacancy_id}").get_data(as_text=True)
    assert 'name="status" value="published"' in page
    assert "Publish" in page
    for step in ("published", "paused", "published", "filled", "closed", "published"):
        response = client.post(url, data={"status": step, "confirmed": "y"})
        assert response.status_code == 302
        assert _status(app, vacancy_id) == step
    # Back to the list when the button was pressed there.
    response = client.post(url, data={"status": "paused", "next": "/employer/"})
    assert response.headers["Location"] == "/employer/"
    response = client.post(
        url, data={"status": "closed", "next": "https://evil.example/", "confirmed": "y"}
    )
    assert response.headers["Location"] == f"/employer/vacancies/{vacancy_id}"


def test_a_refused_step_is_explained(app, login_as, client, create_org, create_vacancy):
    org = create_org()
    vacancy_id = create_vacancy(org, status="filled")
    login_as("employer", organisation_id=org)
    response = client.post(f"/employer/vacancies/{vacancy_id}/status", data={"status": "paused"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This step is not possible" in page
    assert "from “Filled” to “Paused”" in page  # the statuses in words, not their codes
    assert _status(app, vacancy_id) == "filled"


def test_an_unapproved_organisation_cannot_publish(app, login_as, client, create_org,
                                                   create_vacancy):  # fmt: skip
    org = create_org(approved=False)
    vacancy_id = create_vacancy(org, status="draft")
    login_as("employer", organisation_id=org)
    page = client.get(f"/employer/vacancies/{vacancy_id}").get_data(as_text=True)
    assert 'value="published"' not in page
    assert "once the organisation is approved" in page
    response = client.post(f"/employer/vacancies/{vacancy_id}/status", data={"status": "published"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "not been approved" in page
    assert _status(app, vacancy_id) == "draft"


def test_counsellor_changes_any_vacancy(app, login_as, client, create_org, create_vacancy):
    vacancy_id = create_vacancy(create_org())
    login_as("counsellor")
    page = client.get(f"/counsellor/vacancies/{vacancy_id}").get_data(as_text=True)
    assert "Mark as filled" in page
    assert "Pause" in page
    response = client.post(
        f"/counsellor/vacancies/{vacancy_id}/status", data={"status": "filled", "confirmed": "y"}
    )
    assert response.headers["Location"] == f"/counsellor/vacancies/{vacancy_id}"
    assert _status(app, vacancy_id) == "filled"


def test_the_edit_form_offers_only_allowed_statuses(app, login_as, client, create_org,
                                                    create_vacancy):  # fmt: skip
    org = create_org()
    vacancy_id = create_vacancy(org, status="filled")
    login_as("employer", organisation_id=org)
    page = client.get(f"/employer/vacancies/{vacancy_id}/edit").get_data(as_text=True)
    assert 'value="closed"' in page
    assert 'value="published"' not in page
    data = dict(BIASED, status="published", description="Kommissionieren im Lager, Schichtarbeit.")
    response = client.post(f"/employer/vacancies/{vacancy_id}/edit", data=data)
    assert response.status_code == 400
    assert _status(app, vacancy_id) == "filled"


# ----------------------------------------------------------------- wording notes


def test_employer_sees_wording_notes_after_saving_and_the_vacancy_is_saved(
    app, login_as, client, create_org
):
    org = create_org()
    login_as("employer", organisation_id=org)
    response = client.post("/employer/vacancies/new", data=BIASED)
    assert response.status_code == 302  # a warning, never a block
    with app.app_context():
        vacancy = db.session.query(Vacancy).one()
        assert vacancy.description == BIASED["description"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "notes on the wording" in page
    assert "junges, dynamisches Team" in page  # the matched text
    assert "8 AZR 406/14" in page  # the explanation (English text of the rule)
    assert "A helpful, motivated team" in page  # the neutral alternative
    assert "Muttersprache: Deutsch" in page
    assert "the vacancy asks for C2" in page  # needless language demand
    # The notes stay on the detail page and appear on the edit form too.
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Notes on the wording (3)" in again
    edit = client.get(f"/employer/vacancies/{vacancy.id}/edit")
    assert "Notes on the wording (3)" in edit.get_data(as_text=True)


def test_notes_are_in_german_for_german_users(login_as, client, create_org):
    org = create_org()
    login_as("employer", organisation_id=org)
    client.post("/language", data={"locale": "de"})
    response = client.post("/employer/vacancies/new", data=BIASED)
    page = client.get(response.headers["Location"])
    assert "Ein hilfsbereites, motiviertes Team" in page.get_data(as_text=True)


def test_counsellor_sees_wording_notes_when_posting_for_an_employer(login_as, client, create_org):
    org = create_org()
    login_as("counsellor")
    url = f"/counsellor/organisations/{org}/vacancies/new"
    response = client.post(url, data=BIASED)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Notes on the wording (3)" in page
    assert "A helpful, motivated team" in page


def test_a_neutral_vacancy_shows_no_notes(login_as, client, create_org, create_vacancy):
    org = create_org()
    vacancy_id = create_vacancy(org)
    login_as("employer", organisation_id=org)
    page = client.get(f"/employer/vacancies/{vacancy_id}").get_data(as_text=True)
    assert "Fachkraft für Lagerlogistik" in page
    assert "Notes on the wording" not in page


@pytest.mark.parametrize(("area", "step", "path"), [
    ("employer", "filled", "fill"), ("employer", "closed", "close"),
    ("counsellor", "filled", "fill"), ("counsellor", "closed", "close"),
])  # fmt: skip
def test_filling_and_closing_ask_first(app, login_as, client, create_org, create_vacancy,
                                       area, step, path):  # fmt: skip
    org = create_org()
    vacancy_id = create_vacancy(org)  # published
    login_as(area, organisation_id=org if area == "employer" else None)
    page = client.get(f"/{area}/vacancies/{vacancy_id}").get_data(as_text=True)
    assert f'class="button danger step step-{step}"' in page
    assert f'href="/{area}/vacancies/{vacancy_id}/{path}' in page
    page = page_ok(client, f"/{area}/vacancies/{vacancy_id}/{path}")
    assert "Participants no longer see it" in page
    assert 'name="confirmed" value="y"' in page
    assert f'name="status" value="{step}"' in page
    assert 'class="danger"' in page
    # Without the confirmation the step leads to the page and changes nothing.
    url = f"/{area}/vacancies/{vacancy_id}/status"
    response = client.post(url, data={"status": step})
    assert response.headers["Location"].startswith(f"/{area}/vacancies/{vacancy_id}/{path}")
    assert _status(app, vacancy_id) == "published"
    assert client.post(url, data={"status": step, "confirmed": "y"}).status_code == 302
    assert _status(app, vacancy_id) == step


@pytest.mark.parametrize("path", ["fill", "close"])
def test_confirmation_pages_answer_like_the_step(app, login_as, auth, client, create_org,
                                                 create_vacancy, path):  # fmt: skip
    org = create_org()
    vacancy_id = create_vacancy(org)
    own = f"/employer/vacancies/{vacancy_id}/{path}"
    staff = f"/counsellor/vacancies/{vacancy_id}/{path}"
    for url in (own, staff):
        assert client.get(url).headers["Location"].startswith("/login")
    login_as("participant")
    assert (
        client.get(own).status_code
        == client.post(
            f"/employer/vacancies/{vacancy_id}/status", data={"status": "closed"}
        ).status_code
        == 403
    )
    assert client.get(staff).status_code == 403
    auth.logout()
    login_as("employer", organisation_id=create_org())  # another employer
    assert (
        client.get(own).status_code
        == client.post(
            f"/employer/vacancies/{vacancy_id}/status", data={"status": "closed"}
        ).status_code
    )
    assert client.get(own).status_code in (403, 404)
    assert client.get(staff).status_code == 403
    assert _status(app, vacancy_id) == "published"


def test_a_step_not_possible_is_explained_instead_of_asked(app, login_as, client, create_org,
                                                           create_vacancy):  # fmt: skip
    org = create_org()
    vacancy_id = create_vacancy(org, status="draft")
    login_as("employer", organisation_id=org)
    response = client.get(f"/employer/vacancies/{vacancy_id}/fill")
    assert response.headers["Location"] == f"/employer/vacancies/{vacancy_id}"
    assert "This step is not possible" in client.get(response.headers["Location"]).get_data(True)
