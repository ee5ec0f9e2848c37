"""Account operations: creating users, checking passwords, throttling failed logins.

Services only flush; the caller (a view or a command) commits once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from placement.accounts.models import User, utcnow
from placement.extensions import db
from placement.vocab import ROLES

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
# Hash checked when the e-mail is unknown, so timing does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("placement-dummy-password")


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is user-facing."""


def password_problem(password: str) -> str | None:
    """Why a password is unacceptable, or None. Length only: no composition rules (ASVS 2.1)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"at most {MAX_PASSWORD_LENGTH} characters"
    return None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str, name: str, role: str, password: str, organisation=None, locale: str | None = None
) -> User:
    """Create a user with a scrypt password hash."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    problem = password_problem(password)
    if problem:
        raise AccountError(f"password must have {problem}")
    if find_user(email) is not None:
        raise AccountError(f"a user with e-mail {normalise_email(email)} exists already")
    if role == "employer" and organisation is None:
        raise AccountError("an employer account belongs to an organisation")
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=role,
        password_hash=generate_password_hash(password),
        organisation=organisation,
        locale=locale,
        session_token=secrets.token_hex(16),
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(f"password must have {problem}")
    user.password_hash = generate_password_hash(password)
    user.session_token = secrets.token_hex(16)  # signs out other sessions


def end_sessions(user: User) -> None:
    """Invalidate every session of the account (sign-out, deactivation): a new token."""
    user.session_token = secrets.token_hex(16)


@dataclass
class LoginResult:
    user: User | None
    locked: bool = False


def authenticate(email: str, password: str, max_failures: int, lock_minutes: int) -> LoginResult:
    """Check credentials, counting failures per account and locking it for a while after too many.

    A locked account is refused even with the right password until the lock expires.
    """
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return LoginResult(None)
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        return LoginResult(None, locked=True)
    if not user.active or not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
            return LoginResult(None, locked=True)
        return LoginResult(None)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return LoginResult(user)


def load_user(user_id: str) -> User | None:
    """flask-login loader: the id carries a session token that a password change invalidates."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def users_query(search: str | None = None, role: str | None = None):
    query = select(User).order_by(User.role, func.lower(User.name))
    if role:
        query = query.where(User.role == role)
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(func.lower(User.name).like(like) | User.email.like(like))
    return query
