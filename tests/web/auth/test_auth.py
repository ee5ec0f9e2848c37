"""Signing in and out, throttling, CSRF, cookies, redirects, language."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, run_in_threads


def test_login_and_logout(client, auth, create_user):
    _, email = create_user("counsellor")
    response = auth.login(email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/counsellor/"
    assert auth.logout().status_code == 302
    assert client.get("/counsellor/").status_code == 302  # back to the login page


def test_wrong_password_is_refused_with_message(auth, create_user):
    _, email = create_user("counsellor")
    response = auth.login(email, "wrong password here")
    assert response.status_code == 401
    assert "E-mail or password is wrong." in response.get_data(as_text=True)


def test_unknown_email_gets_the_same_answer(auth):
    assert auth.login("nobody@test.example", "some long password").status_code == 401


def test_login_throttled_after_repeated_failures(auth, create_user):
    _, email = create_user("counsellor")
    for _ in range(2):
        assert auth.login(email, "wrong password here").status_code == 401
    assert auth.login(email, "wrong password here").status_code == 429  # third failure locks
    # Locked: even the right password is refused until the lock expires.
    assert auth.login(email, PASSWORD).status_code == 429


def test_lock_expires(app, auth, create_user):
    from datetime import timedelta

    from sqlalchemy import update

    from placement.accounts.models import LoginFailure, utcnow
    from placement.extensions import db

    _user_id, email = create_user("counsellor")
    for _ in range(3):
        auth.login(email, "wrong password here")
    assert auth.login(email, PASSWORD).status_code == 429
    with app.app_context():
        db.session.execute(
            update(LoginFailure).values(locked_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    assert auth.login(email, PASSWORD).status_code == 302


def test_csrf_token_required(csrf_app, create_user):
    client = csrf_app.test_client()
    _, email = create_user("counsellor")
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/counsellor/").status_code == 302  # not signed in


def test_csrf_rejects_state_change_when_signed_in(csrf_app, create_user, create_org):
    import re

    client = csrf_app.test_client()
    _, email = create_user("counsellor")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert ok.status_code == 302
    org_id = create_org(approved=False)
    forged = client.post(f"/counsellor/organisations/{org_id}/approve", data={"approve": "1"})
    assert forged.status_code == 400


def test_session_cookie_flags(client, auth, create_user):
    _, email = create_user("counsellor")
    cookie = auth.login(email).headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_next_redirect_must_stay_on_site(client, create_user, target):
    _, email = create_user("counsellor")
    response = client.post(f"/login?next={target}", data={"email": email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_next_redirect_to_local_page(client, create_user):
    _, email = create_user("counsellor")
    response = client.post(
        "/login?next=/counsellor/vacancies", data={"email": email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/counsellor/vacancies"


def test_german_by_default_english_switchable(make_app):
    from placement.config import DEFAULTS

    assert DEFAULTS["DEFAULT_LOCALE"] == "de"
    client = make_app(BABEL_DEFAULT_LOCALE="de").test_client()
    assert "Anmelden" in client.get("/login").get_data(as_text=True)
    assert "E-Mail-Adresse oder Passwort ist falsch" in client.post(
        "/login", data={"email": "x@test.example", "password": "p" * 12}
    ).get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def test_password_policy(app):
    from placement.accounts.services import AccountError, create_user

    with app.app_context(), pytest.raises(AccountError, match="12 characters"):
        create_user("short@test.example", "Short", "counsellor", "elevenchars")


def test_login_attempts_are_rate_limited_per_address(make_app):
    """Beyond the per-account lock: many attempts from one address are slowed down (429)."""
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [
        client.post(
            "/login", data={"email": f"x{i}@test.example", "password": "p" * 12}
        ).status_code
        for i in range(21)
    ]
    assert statuses[:20] == [401] * 20  # unknown accounts: each refused, none locked
    assert statuses[20] == 429
    assert client.get("/login").status_code == 200  # reading the form is not limited


def test_employer_registration_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [client.post("/register/employer", data={}).status_code for _ in range(11)]
    assert codes[:10] == [400] * 10 or 429 not in codes[:10]
    assert codes[10] == 429


def _login_from(client, address, email, password):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})  # fmt: skip


def test_a_lock_does_not_lock_the_owner_out(app, create_user):
    """An attacker's failures lock that attacker's address, not the account."""
    _, email = create_user("counsellor")
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(5):
        _login_from(attacker, "198.51.100.9", email, "wrong password here")
    assert _login_from(attacker, "198.51.100.9", email, PASSWORD).status_code == 429
    assert _login_from(owner, "203.0.113.5", email, PASSWORD).status_code == 302


def test_known_and_unknown_accounts_get_the_same_answers(app, create_user):
    _, email = create_user("counsellor")
    answers = {}
    for who in (email, "nobody-here@test.example"):
        client = app.test_client()
        answers[who] = [
            (r.status_code, "wrong" in r.get_data(as_text=True), "Too many" in r.get_data(True))
            for r in (_login_from(client, "192.0.2.1", who, "wrong password here")
                      for _ in range(5))
        ]  # fmt: skip
    assert answers[email] == answers["nobody-here@test.example"]
    assert answers[email][-1][0] == 429


def test_deactivated_account_sessions_end(app, client, auth, create_user):
    from placement.accounts.models import User
    from placement.extensions import db
    from placement.participants.rights import deactivate_account

    user_id, email = create_user("counsellor")
    auth.login(email)
    assert client.get("/counsellor/").status_code == 200
    with app.app_context():
        deactivate_account(db.session.get(User, user_id))
        db.session.commit()
    assert client.get("/counsellor/").status_code == 302


def test_concurrent_first_failures_of_one_pair_do_not_fail(app):
    """Two failures of a new e-mail/address pair at once both count; neither is a 500."""
    import threading

    from sqlalchemy import select

    from placement.accounts.models import LoginFailure
    from placement.accounts.services import authenticate
    from placement.extensions import db

    barrier = threading.Barrier(2, timeout=30)
    errors = []

    def fail():
        with app.app_context():
            try:
                barrier.wait()
                authenticate("same@test.example", "wrong password here", 5, 15, "192.0.2.77")
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - the test reports any error
                errors.append(exc)
            finally:
                db.session.remove()

    run_in_threads(fail, fail)
    assert errors == []
    with app.app_context():
        rows = db.session.scalars(select(LoginFailure)).all()
        assert len(rows) == 1
        assert rows[0].failures >= 1
