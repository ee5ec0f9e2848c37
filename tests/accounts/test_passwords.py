"""Passwords are stored with a memory-hard KDF in production (the suite uses a cheaper one)."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from placement.accounts import services

PRODUCTION_HASH_METHOD = services.DEFAULT_PASSWORD_HASH_METHOD


def test_production_hash_is_scrypt():
    assert PRODUCTION_HASH_METHOD == "scrypt"
    stored = generate_password_hash("a long enough password", method=PRODUCTION_HASH_METHOD)
    assert stored.startswith("scrypt:")
    assert check_password_hash(stored, "a long enough password")


def test_accounts_use_the_configured_method(app, create_user, monkeypatch):
    monkeypatch.setattr(services, "PASSWORD_HASH_METHOD", PRODUCTION_HASH_METHOD)
    from placement.accounts.models import User
    from placement.extensions import db

    user_id, _ = create_user("counsellor")
    with app.app_context():
        assert db.session.get(User, user_id).password_hash.startswith("scrypt:")
