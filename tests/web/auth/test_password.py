"""Forgotten password: a timed, single-use link by e-mail; the same answer for any address."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD
from tests.web.conftest import link_path

NEW = "a brand new passphrase for me"


def _ask(client, email):
    """Ask for a link, then let the background job (a thread without Redis) send it."""
    from placement.accounts import jobs

    response = client.post("/password/forgot", data={"email": email})
    response.close()  # as a server does once the answer is sent: the job starts then
    jobs.wait(30)
    return response


def _page(response) -> str:
    """The page, but for the form's CSRF token (signed with the time to the second)."""
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "csrf", response.get_data(as_text=True))


def test_known_and_unknown_addresses_get_the_same_answer(client, create_user, outbox):
    _uid, email = create_user("counsellor")
    known, unknown = _ask(client, email), _ask(client, "nobody@nowhere.example")
    assert known.status_code == unknown.status_code == 200

    assert _page(known) == _page(unknown)
    assert [to for to, _s, _b in outbox] == [email]


def test_the_request_does_the_same_work_for_any_address(app, client, create_user, outbox,
                                                        monkeypatch):  # fmt: skip
    """No e-mail, no link and no lookup inside the request: both only queue the address; the
    job then sends exactly one e-mail, with a working link, for the known address only."""
    from placement.accounts import jobs
    from placement.accounts.models import AccountToken
    from placement.extensions import db

    queued = []
    monkeypatch.setattr(jobs, "queue_reset_link", lambda *args: queued.append(args))
    _uid, email = create_user("participant")
    known = client.post("/password/forgot", data={"email": email})
    unknown = client.post("/password/forgot", data={"email": "nobody@nowhere.example"})
    assert _page(known) == _page(unknown)
    assert outbox == []
    with app.app_context():
        assert db.session.query(AccountToken).count() == 0  # no link issued in the request
    assert [address for address, _base in queued] == [email, "nobody@nowhere.example"]
    assert queued[0][1] == queued[1][1]
    with app.app_context():
        assert [jobs.run_reset_link(*args) for args in queued] == [True, False]
    assert [to for to, _s, _b in outbox] == [email]
    path = link_path(outbox[0][2])
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302


def test_with_redis_the_link_goes_through_the_queue(make_app, create_user, outbox,
                                                    monkeypatch):  # fmt: skip
    from placement.accounts import jobs
    from placement.placements import queue

    enqueued = []

    class FakeQueue:
        def enqueue(self, func, *args, **options):
            enqueued.append((func, args, options))

    monkeypatch.setattr(queue, "queue", lambda url: FakeQueue())
    app = make_app(PLACEMENT_REDIS_URL="redis://127.0.0.1:1/0")
    client = app.test_client()
    client.post("/password/forgot", data={"email": "nobody@nowhere.example"})
    ((func, args, options),) = enqueued
    assert (func, args[0]) == (jobs.run_reset_link, "nobody@nowhere.example")
    assert options["result_ttl"] == 0  # the address does not stay in Redis
    assert outbox == []


@pytest.mark.parametrize("role", ["admin", "counsellor", "employer", "participant"])
def test_every_role_can_set_a_new_password_once(client, auth, create_user, create_org, outbox,
                                                role):  # fmt: skip
    _uid, email = create_user(role, organisation_id=create_org() if role == "employer" else None)
    _ask(client, email)
    path = link_path(outbox[-1][2])
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert auth.login(email, PASSWORD).status_code == 401  # the old password is gone
    assert auth.login(email, NEW).status_code == 302
    auth.logout()
    again = client.post(path, data={"password": "yet another passphrase", "confirm": "x" * 20})
    assert again.status_code == 400
    assert "not valid any more" in again.get_data(as_text=True)
    assert auth.login(email, NEW).status_code == 302


def test_an_expired_link_is_refused(client, auth, create_user, outbox, monkeypatch):
    from placement.accounts import tokens

    _uid, email = create_user("participant")
    _ask(client, email)
    monkeypatch.setitem(tokens.MAX_AGE_SECONDS, "reset", -1)
    response = client.post(link_path(outbox[-1][2]), data={"password": NEW, "confirm": NEW})
    assert response.status_code == 400
    assert auth.login(email, NEW).status_code == 401


def test_a_newer_link_voids_the_older_and_a_forged_one_fails(client, create_user, outbox):
    _uid, email = create_user("counsellor")
    _ask(client, email)
    _ask(client, email)
    first, second = link_path(outbox[0][2]), link_path(outbox[1][2])
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200
    assert client.get(second[:-3] + "abc").status_code == 400
    assert client.get("/password/reset/garbage").status_code == 400


def test_bad_new_password_is_shown_next_to_the_field(client, create_user, outbox):
    _uid, email = create_user("counsellor")
    _ask(client, email)
    path = link_path(outbox[-1][2])
    short = client.post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 400
    assert "At least 12 characters." in short.get_data(as_text=True)
    differ = client.post(path, data={"password": NEW, "confirm": NEW + "!"})
    assert "The passwords differ." in differ.get_data(as_text=True)
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302


def test_reset_signs_out_other_sessions(app, client, auth, create_user, outbox):
    _uid, email = create_user("counsellor")
    other = app.test_client()
    other.post("/login", data={"email": email, "password": PASSWORD})
    assert other.get("/counsellor/").status_code == 200
    _ask(client, email)
    client.post(link_path(outbox[-1][2]), data={"password": NEW, "confirm": NEW})
    assert other.get("/counsellor/").status_code == 302


def test_deactivated_accounts_get_no_link(app, client, create_user, outbox):
    from placement.accounts.models import User
    from placement.extensions import db

    uid, email = create_user("counsellor")
    with app.app_context():
        db.session.get(User, uid).active = False
        db.session.commit()
    assert _ask(client, email).status_code == 200
    assert outbox == []


def test_the_form_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [_ask(client, "someone@test.example").status_code for _ in range(6)]
    assert codes[:5] == [200] * 5
    assert codes[5] == 429


def test_sign_in_page_links_to_it(client):
    assert "/password/forgot" in client.get("/login").get_data(as_text=True)
