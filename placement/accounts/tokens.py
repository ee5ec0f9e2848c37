"""Links to set a password, by e-mail: forgotten password ("reset") and invitation ("invite").

The link is signed and timed with the app's secret key (itsdangerous) and names the account and
a random nonce; the nonce's row (AccountToken) makes it single-use. Using a link marks the row
in one conditional UPDATE, so of two clicks at once only one succeeds. A new link of the same
purpose voids the older ones. Services only flush.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update

from placement.accounts.models import AccountToken, User
from placement.extensions import db, utcnow

MAX_AGE_SECONDS = {"reset": 2 * 3600, "invite": 7 * 24 * 3600}


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"placement-account-{purpose}")


def issue(secret_key: str, user: User, purpose: str) -> str:
    """A new link token for ``user``; earlier unused ones of the same purpose stop working."""
    if purpose not in MAX_AGE_SECONDS:
        raise ValueError(f"unknown purpose {purpose!r}")
    now = utcnow()
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    nonce = secrets.token_urlsafe(24)
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, nonce=nonce, created_at=now))
    db.session.flush()
    return _serializer(secret_key, purpose).dumps({"id": user.id, "n": nonce})


def _read(secret_key: str, token: str, purpose: str) -> tuple[int, str] | None:
    try:
        data = _serializer(secret_key, purpose).loads(token, max_age=MAX_AGE_SECONDS[purpose])
    except BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    return data["id"], str(data.get("n", ""))


def check(secret_key: str, token: str, purpose: str) -> User | None:
    """The active account of a valid, unexpired, unused link; None otherwise (nothing changes:
    the form is shown on GET, the link is used on POST)."""
    found = _read(secret_key, token, purpose)
    if found is None:
        return None
    row = db.session.scalar(
        select(AccountToken).where(
            AccountToken.nonce == found[1],
            AccountToken.user_id == found[0],
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
    )
    user = db.session.get(User, found[0]) if row is not None else None
    return user if user is not None and user.active else None


def use(secret_key: str, token: str, purpose: str) -> User | None:
    """Mark the link used and return its account, once; None if invalid, expired or used."""
    user = check(secret_key, token, purpose)
    if user is None:
        return None
    _user_id, nonce = _read(secret_key, token, purpose)  # type: ignore[misc]
    marked = db.session.execute(
        update(AccountToken)
        .where(AccountToken.nonce == nonce, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    return user if marked == 1 else None
