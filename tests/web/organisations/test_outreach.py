"""The counsellors' employer CRM: outreach status, contact log, due next steps on the start page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from placement.employers.models import Organisation
from placement.extensions import db
from placement.outreach.models import ContactEntry
from placement.outreach.services import today


@pytest.fixture(autouse=True)
def english(client):
    """These tests read English messages: choose English as a person would."""
    client.post("/language", data={"locale": "en"})


def _contact(org_id, **data):
    values = {"contacted_on": today().isoformat(), "channel": "phone", "note": "Erstgespräch"}
    values.update(data)
    return values


def _add(app, org_id, author_id, next_step=None, due_in=None, done=False, **extra):
    from placement.accounts.models import User
    from placement.outreach.services import add_contact, mark_done

    with app.app_context():
        entry = add_contact(
            db.session.get(Organisation, org_id),
            {"channel": "visit", "next_step": next_step,
             "due_on": today() + timedelta(days=due_in) if due_in is not None else None, **extra},
            db.session.get(User, author_id),
        )  # fmt: skip
        if done:
            mark_done(entry, db.session.get(User, author_id))
        db.session.commit()
        return entry.id


# ----------------------------------------------------------------- access

URLS = [
    ("get", "/counsellor/organisations/{id}"),
    ("post", "/counsellor/organisations/{id}/outreach"),
    ("post", "/counsellor/organisations/{id}/contacts"),
    ("post", "/counsellor/organisations/{id}/contacts/{entry}/done"),
]


@pytest.mark.parametrize(("method", "url"), URLS)
def test_anonymous_is_sent_to_login(app, client, create_org, create_user, method, url):
    org = create_org()
    entry = _add(app, org, create_user("counsellor")[0], "Anrufen", 1)
    response = getattr(client, method)(url.format(id=org, entry=entry))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", ["employer", "participant"])
@pytest.mark.parametrize(("method", "url"), URLS)
def test_employers_and_participants_cannot_reach_the_crm(
    app, login_as, client, create_org, create_user, role, method, url
):
    org = create_org()
    entry = _add(app, org, create_user("counsellor")[0], "Anrufen", 1)
    login_as(role, organisation_id=org if role == "employer" else None)
    response = getattr(client, method)(
        url.format(id=org, entry=entry), data={"outreach_status": "inactive", "channel": "phone"}
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Organisation, org).outreach_status == "contacted"
        assert db.session.get(ContactEntry, entry).done is False


def test_an_entry_of_another_organisation_is_not_found(app, login_as, client, create_org,
                                                      create_user):  # fmt: skip
    org, other = create_org(), create_org()
    entry = _add(app, other, create_user("counsellor")[0], "Anrufen", 1)
    login_as("counsellor")
    response = client.post(f"/counsellor/organisations/{org}/contacts/{entry}/done")
    assert response.status_code == 404
    assert client.get("/counsellor/organisations/99999").status_code == 404


# ----------------------------------------------------------------- organisation page


def test_the_organisation_page_shows_profile_log_and_vacancies(
    app, login_as, client, create_org, create_user, create_vacancy
):
    org = create_org("Pflegeheim Sonnenhof", city="Hannover", contact_name="Frau Yilmaz")
    create_vacancy(org, title="Pflegehilfskraft (m/w/d)")
    author = create_user("counsellor")[0]
    _add(app, org, author, "Schulungsangebot schicken", 3, note="Interesse an Praktika")
    login_as("counsellor")
    page = client.get(f"/counsellor/organisations/{org}").get_data(as_text=True)
    for text in ("Pflegeheim Sonnenhof", "Frau Yilmaz", "Interesse an Praktika",
                 "Schulungsangebot schicken", "Pflegehilfskraft (m/w/d)", "Mark done"):  # fmt: skip
        assert text in page
    assert 'name="outreach_status"' in page
    listing = client.get("/counsellor/organisations").get_data(as_text=True)
    assert f'href="/counsellor/organisations/{org}"' in listing


def test_counsellor_changes_the_outreach_status(app, login_as, client, create_org):
    org = create_org()
    login_as("counsellor")
    url = f"/counsellor/organisations/{org}/outreach"
    assert client.post(url, data={"outreach_status": "hosting_interns"}).status_code == 302
    assert client.post(url, data={"outreach_status": "bogus"}).status_code == 400
    with app.app_context():
        assert db.session.get(Organisation, org).outreach_status == "hosting_interns"


def test_counsellor_logs_a_contact_with_a_next_step(app, login_as, client, create_org):
    org = create_org()
    user_id = login_as("counsellor")
    due = (today() + timedelta(days=5)).isoformat()
    data = _contact(org, channel="event", next_step="Betrieb besuchen", due_on=due)
    assert client.post(f"/counsellor/organisations/{org}/contacts", data=data).status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(ContactEntry))
        assert (entry.channel, entry.next_step, entry.due_on.isoformat()) == (
            "event",
            "Betrieb besuchen",
            due,
        )
        assert entry.author_id == user_id
        assert entry.done is False


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"next_step": "Anrufen"}, "due_on", "needs a due date"),
        ({"due_on": "2030-01-01"}, "next_step", "Describe the next step"),
        ({"channel": "pigeon"}, "channel", "Not a valid choice"),
        ({"contacted_on": ""}, "contacted_on", "This field is required"),
    ],
)
def test_contact_errors_are_shown_next_to_the_field(app, login_as, client, create_org, data,
                                                    field, message):  # fmt: skip
    org = create_org()
    login_as("counsellor")
    response = client.post(f"/counsellor/organisations/{org}/contacts", data=_contact(org, **data))
    assert response.status_code == 400
    assert f'id="{field}-error" role="alert">' in response.get_data(as_text=True)
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ContactEntry)) is None


def test_marking_a_next_step_done(app, login_as, client, create_org):
    org = create_org()
    user_id = login_as("counsellor")
    entry = _add(app, org, user_id, "Angebot schicken", 0)
    without_step = _add(app, org, user_id)
    url = f"/counsellor/organisations/{org}/contacts/{{}}/done"
    assert client.post(url.format(entry)).status_code == 302
    assert client.post(url.format(without_step)).status_code == 302
    with app.app_context():
        done = db.session.get(ContactEntry, entry)
        assert done.done
        assert done.done_by_id == user_id
        assert done.done_at is not None
        assert db.session.get(ContactEntry, without_step).done is False


# ----------------------------------------------------------------- due list on the start page


def test_start_page_lists_due_and_overdue_steps_by_due_date(app, login_as, client, create_org,
                                                           create_user):  # fmt: skip
    author = create_user("counsellor")[0]
    a, b = create_org("Alpha Logistik"), create_org("Beta Pflege")
    _add(app, a, author, "Vertrag nachfassen", 2)
    _add(app, b, author, "Rückruf überfällig", -3)
    _add(app, a, author, "Heute anrufen", 0)
    _add(app, b, author, "Später besuchen", 30)  # not due yet
    _add(app, a, author, "Schon erledigt", -1, done=True)
    login_as("counsellor")
    page = client.get("/counsellor/").get_data(as_text=True)
    section = page[page.index("Next steps with employers") : page.index("Employers awaiting")]
    order = [section.index(t) for t in ("Rückruf überfällig", "Heute anrufen",
                                          "Vertrag nachfassen")]  # fmt: skip
    assert order == sorted(order)
    assert "Später besuchen" not in section
    assert "Schon erledigt" not in section
    assert section.count('class="overdue"') == 1
    assert "(overdue)" in section.split("Heute anrufen")[0]
    assert f'href="/counsellor/organisations/{b}"' in section


def test_start_page_without_due_steps(login_as, client):
    login_as("counsellor")
    page = client.get("/counsellor/").get_data(as_text=True)
    assert "No next steps due this week." in page
