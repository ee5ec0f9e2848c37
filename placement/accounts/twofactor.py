"""A second factor for staff: TOTP (RFC 6238, pyotp) and ten single-use recovery codes.

The secret is kept only once the person has typed a code from the authenticator (so a wrong
scan cannot lock them out). A TOTP code is accepted once: the last time step used is stored.
Recovery codes are stored as SHA-256 and used up in one conditional UPDATE. Services only flush.
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
import time

import pyotp
import qrcode
import qrcode.image.svg
from sqlalchemy import delete, select, update

from placement.accounts.models import RecoveryCode, User
from placement.extensions import db, utcnow

STAFF_ROLES = ("admin", "counsellor")
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy from paper


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_data_uri(text: str) -> str:
    """The QR code of ``text`` as an SVG data URI (no image library needed; CSP allows data:)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _matching_step(
    secret: str, code: str, after: int | None, now: float | None = None
) -> int | None:
    """The time step (this one or a neighbour, for clock drift) whose code is ``code`` and that
    comes after ``after``; None otherwise."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = int((now if now is not None else time.time()) // totp.interval)
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and secrets.compare_digest(
            totp.at(step * totp.interval), code
        ):
            return step
    return None


def _hash(code: str) -> str:
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normal.encode("ascii", "ignore")).hexdigest()


def _new_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(code)))
    db.session.flush()
    return codes


def enable(user: User, secret: str, code: str, now: float | None = None) -> list[str] | None:
    """Turn the second factor on if ``code`` fits ``secret``; returns the new recovery codes
    (shown once), or None for a wrong code."""
    step = _matching_step(secret, code, None, now)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    return _new_codes(user)


def regenerate_codes(user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    return _new_codes(user)


def disable(user: User) -> None:
    """Turn the second factor off (by the person, or by an admin after a lost device)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def verify(user: User, code: str, now: float | None = None) -> str | None:
    """Check a TOTP code or a recovery code: "totp", "recovery" or None. Each is used once."""
    if not user.totp_secret:
        return None
    step = _matching_step(user.totp_secret, code, user.totp_last_step, now)
    if step is not None:
        # Compare and set, so that the same code sent twice at once is accepted only once.
        changed = db.session.execute(
            update(User)
            .where(
                User.id == user.id,
                (User.totp_last_step.is_(None)) | (User.totp_last_step < step),
            )
            .values(totp_last_step=step)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed == 1:
            user.totp_last_step = step
            return "totp"
        return None
    row_id = db.session.scalar(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row_id is None:
        return None
    used = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == row_id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    return "recovery" if used == 1 else None


def codes_left(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def needs_setup(user: User, required: bool) -> bool:
    """Staff must set up a second factor first when the network requires it."""
    return required and user.role in STAFF_ROLES and not user.totp_enabled_at
