"""A second factor for staff: setup with a QR code, sign-in with a code or a recovery code
(each once), required by PLACEMENT_REQUIRE_2FA, reset by an admin."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from tests.conftest import PASSWORD


def _setup(client) -> tuple[str, list[str]]:
    """Turn the second factor on for the signed-in user; (secret, recovery codes)."""
    page = client.get("/account/security/setup").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page
    secret = re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)
    wrong = client.post("/account/security/setup", data={"code": "000000"})
    assert wrong.status_code == 400
    assert "This code is not right" in wrong.get_data(as_text=True)
    done = client.post("/account/security/setup", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def _next_code(secret: str) -> str:
    """The code of the next time step (the current one was used by the setup)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


@pytest.fixture
def staff(client, auth, create_user):
    """A counsellor with the second factor on, signed out: (email, secret, recovery codes)."""
    _uid, email = create_user("counsellor")
    auth.login(email)
    secret, codes = _setup(client)
    auth.logout()
    return email, secret, codes


def test_sign_in_needs_the_code_after_the_password(client, auth, staff):
    email, secret, _codes = staff
    response = auth.login(email)
    assert response.headers["Location"].endswith("/login/second-factor")
    assert client.get("/counsellor/").status_code == 302  # not signed in yet
    wrong = client.post("/login/second-factor", data={"code": "123456"})
    assert wrong.status_code == 401
    code = _next_code(secret)
    assert client.post("/login/second-factor", data={"code": code}).status_code == 302
    assert client.get("/counsellor/").status_code == 200
    auth.logout()
    auth.login(email)
    replay = client.post("/login/second-factor", data={"code": code})
    assert replay.status_code == 401  # a code works once


def test_a_recovery_code_works_once(client, auth, staff):
    email, _secret, codes = staff
    auth.login(email)
    assert client.post("/login/second-factor", data={"code": codes[0].upper()}).status_code == 302
    auth.logout()
    auth.login(email)
    assert client.post("/login/second-factor", data={"code": codes[0]}).status_code == 401
    assert client.post("/login/second-factor", data={"code": codes[1]}).status_code == 302
    assert "8 recovery codes left" in client.get("/account/security").get_data(as_text=True)


def test_five_wrong_codes_start_over(client, auth, staff):
    email, _secret, _codes = staff
    auth.login(email)
    for _ in range(4):
        assert client.post("/login/second-factor", data={"code": "111111"}).status_code == 401
    last = client.post("/login/second-factor", data={"code": "111111"})
    assert last.headers["Location"].endswith("/login")
    assert client.get("/login/second-factor").headers["Location"].endswith("/login")


def test_the_second_step_cannot_be_reached_without_the_password(client):
    response = client.get("/login/second-factor")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_new_recovery_codes_and_turning_off_need_a_current_code(client, auth, staff):
    email, secret, codes = staff
    auth.login(email)
    client.post("/login/second-factor", data={"code": codes[0]})
    refused = client.post("/account/security/recovery-codes", data={"code": "000000"})
    assert refused.status_code == 302
    fresh = client.post("/account/security/recovery-codes", data={"code": _next_code(secret)})
    new_codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", fresh.get_data(as_text=True))
    assert len(new_codes) == 10
    assert not set(new_codes) & set(codes)
    client.post("/account/security/disable", data={"code": new_codes[0]})
    auth.logout()
    assert auth.login(email).headers["Location"].endswith("/")  # no second step any more


@pytest.mark.parametrize("role", ["counsellor", "admin"])
def test_required_setting_sends_staff_to_setup_first(make_app, create_user, role):
    app = make_app(PLACEMENT_REQUIRE_2FA=True)
    client = app.test_client()
    _uid, email = create_user(role)
    client.post("/login", data={"email": email, "password": PASSWORD})
    response = client.get("/counsellor/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/security/setup")
    _setup(client)
    assert client.get("/counsellor/").status_code == 200
    page = client.get("/account/security").get_data(as_text=True)
    assert "Turn the second factor off" not in page  # required: cannot be switched off


def test_required_setting_leaves_employers_and_participants_alone(make_app, create_user,
                                                                  create_org):  # fmt: skip
    app = make_app(PLACEMENT_REQUIRE_2FA=True)
    client = app.test_client()
    _uid, email = create_user("participant")
    client.post("/login", data={"email": email, "password": PASSWORD})
    assert client.get("/me/").status_code == 200
    assert client.get("/account/security/setup").status_code == 404


def test_admin_resets_a_lost_second_factor(app, client, auth, staff, login_as):
    from sqlalchemy import select

    from placement.accounts.models import User
    from placement.extensions import db

    email, _secret, _codes = staff
    with app.app_context():
        uid = db.session.scalar(select(User.id).where(User.email == email))
    login_as("admin")
    assert client.post(f"/admin/users/{uid}/second-factor/reset").status_code == 302
    auth.logout()
    assert auth.login(email).headers["Location"].endswith("/")  # password alone again


def test_staff_find_the_setup_from_their_start_page(client, login_as):
    login_as("counsellor")
    assert "/account/security" in client.get("/counsellor/").get_data(as_text=True)
