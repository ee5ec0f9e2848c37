"""Issue 11: redirects, sessions, body size, caching, proxies and rate limits across workers."""

from __future__ import annotations

import pytest

from placement.extensions import db
from tests.conftest import PASSWORD

REDIS_URL = "redis://127.0.0.1:6379/11"


def _redis():
    try:
        from redis import Redis

        client = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
        client.ping()
        return client
    except Exception:
        return None


@pytest.mark.parametrize(
    "target",
    ["////evil.example", "//evil.example", "/\\evil.example", "https://evil.example/",
     "/\\/evil.example", "javascript:alert(1)", "evil.example"],
)  # fmt: skip
def test_login_next_stays_on_site(client, create_user, target):
    _, email = create_user("counsellor")
    response = client.post(
        "/login", query_string={"next": target}, data={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_next_keeps_a_same_site_path(client, create_user):
    _, email = create_user("counsellor")
    response = client.post(
        "/login", query_string={"next": "/counsellor/?page=2"},
        data={"email": email, "password": PASSWORD},
    )  # fmt: skip
    assert response.headers["Location"] == "/counsellor/?page=2"


@pytest.mark.parametrize("target", ["////evil.example", "/\\evil.example"])
def test_language_next_stays_on_site(client, target):
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_crlf_in_next_is_a_clean_400(client, create_user):
    _, email = create_user("counsellor")
    response = client.post(
        "/login", query_string={"next": "/x\r\nSet-Cookie: a=b"},
        data={"email": email, "password": PASSWORD},
    )  # fmt: skip
    assert response.status_code == 400
    assert "a=b" not in response.headers.get("Set-Cookie", "")


def test_cookie_captured_before_logout_is_void(app, client, auth, create_user):
    _, email = create_user("counsellor")
    auth.login(email)
    assert client.get("/counsellor/").status_code == 200
    captured = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", captured)
    assert thief.get("/counsellor/").status_code == 302  # to the login page


def test_body_over_the_limit_gets_413_unread(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post(
        "/login", data={"email": "a@b.example", "password": "x" * 5000}
    )
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_personal_pages_are_not_stored(client, login_as):
    login_as("counsellor")
    assert client.get("/counsellor/").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("where", ["field name", "query"])
def test_nul_byte_outside_a_form_field_is_a_clean_400(client, login_as, where):
    login_as("counsellor")
    if where == "field name":
        response = client.post("/language", data={"loc\x00ale": "en", "next": "/"})
    else:
        response = client.get("/counsellor/participants", query_string={"q": "a\x00b"})
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)


def test_nul_byte_in_a_form_field_is_an_error_at_the_field(app, client, login_as):
    """The form comes back with the message next to the field and what was typed elsewhere;
    nothing is written."""
    from sqlalchemy import func, select

    from placement.participants.models import Participant

    login_as("counsellor")
    response = client.post("/counsellor/participants/new", data={
        "first_name": "Ol\x00ena", "last_name": "Kowalska", "work_permit": "employment",
    })  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="first_name-error" role="alert">This field contains a control character' in page
    assert 'value="Kowalska"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Participant.id))) == 0


def test_nul_byte_in_a_value_read_outside_a_form_changes_nothing(client, login_as):
    login_as("counsellor")
    assert client.post("/language", data={"locale": "de\x00", "next": "/"}).status_code == 302
    assert '<html lang="en"' in client.get("/counsellor/").get_data(as_text=True)


def _login_statuses(app, address: str, n: int) -> list[int]:
    # Another e-mail each time: the lock per e-mail and address must not be what answers 429.
    client = app.test_client()
    return [
        client.post(
            "/login", data={"email": f"nobody{i}@test.example", "password": "wrong password 1"},
            headers={"X-Forwarded-For": address},
        ).status_code
        for i in range(n)
    ]  # fmt: skip


@pytest.mark.skipif(_redis() is None, reason="Redis on 127.0.0.1:6379 not reachable")
def test_rate_limit_is_shared_through_redis_and_counts_the_forwarded_client(make_app):
    """Two app instances (as two workers) share one count in Redis; behind one trusted proxy
    the client's address from X-Forwarded-For is what is counted."""
    _redis().flushdb()
    extra = dict(RATELIMIT_ENABLED=True, PLACEMENT_REDIS_URL=REDIS_URL, PLACEMENT_PROXY_HOPS=1)
    first = make_app(**extra)
    assert _login_statuses(first, "203.0.113.7", 20) == [401] * 20
    second = make_app(**extra)  # another worker: a fresh process-local state
    assert _login_statuses(second, "203.0.113.7", 1) == [429]
    assert _login_statuses(second, "203.0.113.8", 1) == [401]  # another client
    assert _redis().dbsize() > 0
    _redis().flushdb()


def test_forwarded_header_is_ignored_without_proxy_hops(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    statuses = [s for a in range(21) for s in _login_statuses(app, f"198.51.100.{a}", 1)]
    assert statuses[-1] == 429  # all counted as the one real peer
