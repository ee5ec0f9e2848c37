"""Employer self-registration: one transaction for organisation and account, errors per field."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from placement.accounts.models import User
from placement.employers.models import Organisation
from placement.extensions import db

FORM = {
    "name": "Spedition Nord GmbH",
    "sector": "Logistik",
    "postcode": "30159",
    "city": "Hannover",
    "your_name": "Petra Lange",
    "email": "Petra.Lange@spedition-nord.example",
    "contact_phone": "0511 123456",
    "password": "ein langer satz als passwort",
    "confirm": "ein langer satz als passwort",
}


@pytest.fixture(autouse=True)
def english(client):
    """These tests read English messages: choose English as a person would."""
    client.post("/language", data={"locale": "en"})


def _counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Organisation.id))),
            db.session.scalar(select(func.count(User.id))),
        )


def test_the_form_is_public(client):
    page = client.get("/register/employer")
    assert page.status_code == 200
    assert 'name="your_name"' in page.get_data(as_text=True)


def test_registration_creates_unapproved_organisation_and_signs_in(app, client):
    response = client.post("/register/employer", data=FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == "/employer/"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == FORM["email"].lower()))
        assert user.role == "employer"
        org = user.organisation
        assert org.name == "Spedition Nord GmbH"
        assert org.approved is False
        assert org.contact_name == "Petra Lange"
        assert org.contact_email == FORM["email"].lower()
        assert user.locale == "en"
    page = client.get("/employer/")
    assert page.status_code == 200
    assert "not approved yet" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("password", "zu kurz", "At least 12 characters"),
        ("confirm", "ein anderer langer satz", "The passwords differ"),
        ("email", "keine-adresse", "Invalid email"),
        ("name", "", "This field is required"),
        ("postcode", "3015", "five digits"),
    ],
)
def test_errors_are_shown_next_to_the_field_and_nothing_is_stored(app, client, field, value,
                                                                  message):  # fmt: skip
    data = dict(FORM, **{field: value})
    if field == "password":
        data["confirm"] = value
    response = client.post("/register/employer", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error" role="alert">([^<]*)</p>', page)
    assert error
    assert message in error.group(1)
    assert re.search(rf'aria-describedby="[^"]*{field}-error"', page)
    assert _counts(app) == (0, 0)


def test_a_known_email_is_a_field_error(app, client, create_user):
    create_user("counsellor", email="petra.lange@spedition-nord.example")
    before = _counts(app)
    response = client.post("/register/employer", data=FORM)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'id="email-error" role="alert">[^<]*exists already', page)
    assert _counts(app) == before  # no organisation without its account


def test_a_race_on_the_email_rolls_back_the_organisation(app):
    from placement.accounts.services import AccountError
    from placement.employers.services import register_employer

    with app.app_context():
        register_employer({"name": "Eins"}, "A", "a@x.example", "ein langer satz als passwort")
        db.session.commit()
        with pytest.raises(AccountError):
            register_employer({"name": "Zwei"}, "B", "A@x.example", "ein langer satz als passwort")
        db.session.rollback()
    assert _counts(app) == (1, 1)


def test_registration_needs_a_csrf_token(csrf_app):
    client = csrf_app.test_client()
    assert client.post("/register/employer", data=FORM).status_code == 400
    page = client.get("/register/employer").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/register/employer", data=dict(FORM, csrf_token=token)).status_code == 302


def test_signed_in_users_are_sent_to_their_start_page(login_as, client):
    login_as("counsellor")
    response = client.get("/register/employer")
    assert response.status_code == 302


def test_the_new_organisation_awaits_approval_by_a_counsellor(app, client, auth, create_user):
    client.post("/register/employer", data=FORM)
    auth.logout()
    _, email = create_user("counsellor")
    auth.login(email)
    assert "Spedition Nord GmbH" in client.get("/counsellor/").get_data(as_text=True)
