"""The admin invites users, edits them, changes roles, deactivates, reactivates and unlocks;
each step is audit-logged; nobody else may."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from placement.accounts.models import User
from placement.audit.models import AuditEvent
from placement.extensions import db
from placement.participants.models import Participant
from tests.conftest import PASSWORD
from tests.web.conftest import link_path

NEW = "a passphrase of my own choice"


def _user(app, email) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def _actions(app, user_id) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_type == "user",
                                            AuditEvent.subject_id == user_id)
            .order_by(AuditEvent.id)))  # fmt: skip


def _invite(client, **data):
    values = {"name": "Eva Arbeit", "email": "eva@firma.example", "role": "counsellor",
              "organisation_id": "0"}  # fmt: skip
    values.update(data)
    return client.post("/admin/users/new", data=values)


def test_invited_user_sets_own_password_and_counts_as_verified(app, client, auth, login_as,
                                                               outbox):  # fmt: skip
    login_as("admin")
    response = _invite(client)
    assert response.status_code == 302
    invited = _user(app, "eva@firma.example")
    assert invited.email_verified_at is None
    assert [to for to, _s, _b in outbox] == ["eva@firma.example"]
    assert 'type="password"' not in client.get("/admin/users/new").get_data(as_text=True)
    auth.logout()
    path = link_path(outbox[0][2])
    assert "Welcome, Eva Arbeit" in client.get(path).get_data(as_text=True)
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert _user(app, "eva@firma.example").email_verified_at is not None
    assert auth.login("eva@firma.example", NEW).status_code == 302
    assert client.get("/counsellor/").status_code == 200
    auth.logout()
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 400
    assert _actions(app, invited.id)[:2] == ["user.invite", "user.invite_accept"]


def test_invited_employer_needs_an_organisation_and_participant_gets_a_profile(
    app, client, login_as, create_org, outbox
):
    login_as("admin")
    refused = _invite(client, role="employer", email="boss@firma.example")
    assert refused.status_code == 400
    assert "An employer account belongs to an organisation." in refused.get_data(as_text=True)
    org = create_org()
    assert _invite(client, role="employer", email="boss@firma.example",
                   organisation_id=str(org)).status_code == 302  # fmt: skip
    assert _user(app, "boss@firma.example").organisation_id == org
    assert _invite(client, role="participant", email="p@example.org").status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "p@example.org"))
        assert db.session.scalar(select(Participant).where(Participant.user_id == user.id))


def test_inviting_an_existing_address_is_refused_at_the_field(client, login_as, create_user,
                                                              outbox):  # fmt: skip
    _uid, email = create_user("counsellor")
    login_as("admin")
    response = _invite(client, email=email)
    assert response.status_code == 400
    assert "An account with this e-mail address exists already." in response.get_data(True)
    assert outbox == []


def test_resend_invitation_voids_the_first_link(app, client, login_as, outbox):
    login_as("admin")
    _invite(client)
    uid = _user(app, "eva@firma.example").id
    assert client.post(f"/admin/users/{uid}/invite").status_code == 302
    first, second = link_path(outbox[0][2]), link_path(outbox[1][2])
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200


def test_edit_and_role_change_are_audited_and_end_sessions(app, client, login_as, create_user,
                                                           create_org):  # fmt: skip
    uid, email = create_user("counsellor")
    other = app.test_client()
    other.post("/login", data={"email": email, "password": PASSWORD})
    login_as("admin")
    org = create_org()
    assert client.get(f"/admin/users/{uid}").status_code == 200
    response = client.post(
        f"/admin/users/{uid}",
        data={
            "name": "Neuer Name",
            "email": email,
            "role": "employer",
            "organisation_id": str(org),
        },
    )
    assert response.status_code == 302
    user = _user(app, email)
    assert (user.name, user.role, user.organisation_id) == ("Neuer Name", "employer", org)
    assert _actions(app, uid)[-2:] == ["user.edit", "user.role"]
    assert other.get("/counsellor/").status_code == 302  # signed out: a new session is needed


def test_edit_errors_are_shown_next_to_the_field(client, login_as, create_user):
    uid, _email = create_user("counsellor")
    _other, taken = create_user("counsellor")
    login_as("admin")
    response = client.post(
        f"/admin/users/{uid}",
        data={"name": "X", "email": taken, "role": "counsellor", "organisation_id": "0"},
    )
    assert response.status_code == 400
    assert "An account with this e-mail address exists already." in response.get_data(True)
    bad = client.post(
        f"/admin/users/{uid}",
        data={"name": "", "email": "not-an-address", "role": "boss", "organisation_id": "0"},
    )
    assert bad.status_code == 400


def test_deactivate_ends_sessions_and_reactivate_allows_sign_in(app, client, login_as,
                                                                create_user):  # fmt: skip
    uid, email = create_user("participant")
    other = app.test_client()
    other.post("/login", data={"email": email, "password": PASSWORD})
    assert other.get("/me/").status_code == 200
    login_as("admin")
    assert client.post(f"/admin/users/{uid}/deactivate").status_code == 302
    assert other.get("/me/").status_code == 302
    assert other.post("/login", data={"email": email, "password": PASSWORD}).status_code == 401
    assert client.post(f"/admin/users/{uid}/reactivate").status_code == 302
    assert other.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    assert _actions(app, uid) == ["user.login", "user.deactivate", "user.reactivate", "user.login"]


def test_admin_cannot_deactivate_or_demote_themselves(app, client, login_as):
    admin = login_as("admin")
    client.post(f"/admin/users/{admin}/deactivate")
    with app.app_context():
        assert db.session.get(User, admin).active
    email = _user_by_id(app, admin).email
    response = client.post(
        f"/admin/users/{admin}",
        data={"name": "Admin", "email": email, "role": "counsellor", "organisation_id": "0"},
    )
    assert response.status_code == 400
    assert "You cannot change your own role." in response.get_data(True)


def _user_by_id(app, uid) -> User:
    with app.app_context():
        user = db.session.get(User, uid)
        db.session.expunge(user)
        return user


def test_unlock_lifts_the_lock_after_failed_sign_ins(app, client, login_as, create_user):
    uid, email = create_user("counsellor")
    locked = app.test_client()
    for _ in range(3):
        locked.post("/login", data={"email": email, "password": "wrong password!"})
    assert locked.post("/login", data={"email": email, "password": PASSWORD}).status_code == 429
    login_as("admin")
    assert "Lift the sign-in locks" in client.get(f"/admin/users/{uid}").get_data(True)
    assert client.post(f"/admin/users/{uid}/unlock").status_code == 302
    assert locked.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    assert "user.unlock" in _actions(app, uid)


URLS = [("get", "/admin/users/new"), ("get", "/admin/users/{uid}"),
        ("post", "/admin/users/{uid}/deactivate"), ("post", "/admin/users/{uid}/reactivate"),
        ("post", "/admin/users/{uid}/unlock"), ("post", "/admin/users/{uid}/invite"),
        ("post", "/admin/users/{uid}/second-factor/reset"), ("get", "/admin/audit/")]  # fmt: skip


@pytest.mark.parametrize("role", ["counsellor", "employer", "participant"])
def test_only_admins(app, client, login_as, create_user, role):
    uid, _email = create_user("counsellor")
    login_as(role)
    for method, url in URLS:
        response = getattr(client, method)(url.format(uid=uid))
        assert response.status_code == 403, url
    assert _user_by_id(app, uid).active


def test_anonymous_is_sent_to_sign_in(client, create_user):
    uid, _email = create_user("counsellor")
    for method, url in URLS:
        response = getattr(client, method)(url.format(uid=uid))
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]


def test_unknown_user_is_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/users/99999").status_code == 404
    assert client.post("/admin/users/99999/deactivate").status_code == 404
