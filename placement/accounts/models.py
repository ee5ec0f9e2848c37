"""Account models."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placement.columns import now_stamp, parent_ref
from placement.extensions import db, utcnow  # noqa: F401 (utcnow: imported from here)

if TYPE_CHECKING:
    from placement.employers.models import Organisation


class User(UserMixin, db.Model):
    """A person who signs in: admin, counsellor, employer staff or participant."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = now_stamp()
    last_login_at: Mapped[datetime | None]
    # Bumped on password change so that other sessions are signed out.
    session_token: Mapped[str] = mapped_column(String(64))
    # Self-registered accounts act only once the address is confirmed; staff-made ones are set.
    email_verified_at: Mapped[datetime | None]
    # Notification e-mails: "each" (one per notification), "daily" (a digest) or "none".
    notify_mail: Mapped[str] = mapped_column(String(10), default="each")
    # Second factor (TOTP, RFC 6238): the secret once confirmed, and the last time step used,
    # so that a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    organisation: Mapped[Organisation | None] = relationship(back_populates="staff")

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginFailure(db.Model):
    """Failed sign-ins per e-mail address typed and client address: a lock here slows one
    attacker down without locking the owner out (who signs in from elsewhere), and works the
    same for unknown e-mail addresses, so the answer does not tell which accounts exist. The
    e-mail is kept as a hash only."""

    __tablename__ = "login_failure"
    __table_args__ = (UniqueConstraint("email_hash", "address", name="uq_login_failure_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = now_stamp(index=True)


class AccountToken(db.Model):
    """A link sent by e-mail to set a password: "reset" (forgotten password) or "invite".

    The link itself is signed and timed (itsdangerous) and carries ``nonce``; this row makes it
    single-use: it is marked used in one conditional UPDATE, so two clicks cannot both succeed.
    """

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = parent_ref("user")
    purpose: Mapped[str] = mapped_column(String(10))
    nonce: Mapped[str] = mapped_column(String(43), unique=True)
    created_at: Mapped[datetime] = now_stamp()
    used_at: Mapped[datetime | None]


class RecoveryCode(db.Model):
    """A single-use code that replaces the authenticator once; only its SHA-256 is stored (the
    codes are random, 50 bits each, so a fast hash suffices)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = parent_ref("user")
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
