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


@pytest.fixture
def mail_app(make_app, tmp_path):
    return make_app(PLACEMENT_MAIL_BACKEND="file", PLACEMENT_MAIL_FILE=str(tmp_path / "mail.log"))


def _mails(app) -> str:
    """The bodies of the messages sent (decoded: long lines are wrapped on the wire)."""
    from email import message_from_string, policy
    from pathlib import Path

    path = Path(app.config["PLACEMENT_MAIL_FILE"])
    raw = path.read_text(encoding="utf-8") if path.exists() else ""
    chunks = [c for c in raw.split("=" * 72 + "\n") if c.strip()]
    return "\n".join(message_from_string(c, policy=policy.default).get_content() for c in chunks)


def _link(app) -> str:
    return re.findall(r"http://[^\s]+/register/verify/[^\s]+", _mails(app))[-1]


def test_registration_creates_unapproved_organisation_and_asks_to_verify(mail_app):
    client = mail_app.test_client()
    client.post("/language", data={"locale": "en"})
    response = client.post("/register/employer", data=FORM)
    assert response.status_code == 200
    assert "Check your e-mail" in response.get_data(as_text=True)
    with mail_app.app_context():
        user = db.session.scalar(select(User).where(User.email == FORM["email"].lower()))
        assert user.role == "employer"
        assert user.email_verified_at is None
        org = user.organisation
        assert org.name == "Spedition Nord GmbH"
        assert org.approved is False
        assert org.contact_name == "Petra Lange"
        assert org.contact_email == FORM["email"].lower()
        assert user.locale == "en"
    # Not signed in, and cannot act before the address is confirmed.
    assert client.get("/employer/").status_code == 302
    login = {"email": FORM["email"], "password": FORM["password"]}
    response = client.post("/login", data=login)
    assert response.status_code == 403
    assert "Confirm your e-mail address first" in response.get_data(as_text=True)
    assert client.get("/employer/").status_code == 302
    # The link from the e-mail confirms it; then signing in works.
    link = _link(mail_app)
    assert client.get(link.replace("http://127.0.0.1:5000", "")).status_code == 302
    assert client.post("/login", data=login).status_code == 302
    page = client.get("/employer/")
    assert page.status_code == 200
    assert "not approved yet" in page.get_data(as_text=True)


def test_a_forged_or_foreign_link_does_not_verify(mail_app):
    client = mail_app.test_client()
    client.post("/register/employer", data=FORM)
    token = _link(mail_app).rsplit("/", 1)[1]
    assert client.get(f"/register/verify/{token[:-2]}xx").status_code == 400
    with mail_app.app_context():
        user = db.session.scalar(select(User).where(User.email == FORM["email"].lower()))
        user.email = "other@spedition-nord.example"  # the address changed since the link
        db.session.commit()
    assert client.get(f"/register/verify/{token}").status_code == 400
    with mail_app.app_context():
        assert db.session.scalar(select(User.email_verified_at)) is None


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


def test_a_known_email_gets_the_same_page_and_an_email(mail_app):
    """The form does not tell which addresses have accounts; the owner is told by e-mail."""
    from placement.accounts.services import create_user

    with mail_app.app_context():
        create_user("petra.lange@spedition-nord.example", "P", "counsellor", "x" * 12)
        db.session.commit()
    before = _counts(mail_app)
    client = mail_app.test_client()
    client.post("/language", data={"locale": "en"})
    response = client.post("/register/employer", data=FORM)
    assert response.status_code == 200
    assert "Check your e-mail" in response.get_data(as_text=True)
    assert "exists" not in response.get_data(as_text=True)
    assert _counts(mail_app) == before  # nothing stored
    assert "You have an account already" in _mails(mail_app)
    # With another field invalid, the answer names that field only.
    response = client.post("/register/employer", data=dict(FORM, postcode="1"))
    assert response.status_code == 400
    assert "exists" not in response.get_data(as_text=True)


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
    assert client.post("/register/employer", data=dict(FORM, csrf_token=token)).status_code == 200


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


def test_counsellors_see_possible_duplicates_when_approving(app, client, login_as, create_org):
    first = create_org(name="Hoffmann Bau GmbH", city="Hannover")
    client.post("/register/employer", data=dict(FORM, name="HOFFMANN-BAU gmbh"))
    create_org(name="Müller Bau GmbH")
    login_as("counsellor")
    page = client.get("/counsellor/organisations").get_data(as_text=True)
    hints = re.findall(r'<p class="notice duplicate-hint">(.*?)</p>', page, re.S)
    assert len(hints) == 1
    assert f"/outreach/organisations/{first}" in hints[0] or "Hoffmann Bau GmbH" in hints[0]
    assert "Müller" not in hints[0]
