"""Account operations: creating users, checking passwords, throttling failed logins.

Services only flush; the caller (a view or a command) commits once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from placement import limits
from placement.accounts.models import LoginFailure, User
from placement.extensions import db, utcnow
from placement.queries import contains
from placement.vocab import ROLES

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
# scrypt (Werkzeug's default parameters): a memory-hard KDF, as ASVS asks. The test suite lowers
# the cost for speed; a test checks that the default stays scrypt.
DEFAULT_PASSWORD_HASH_METHOD = "scrypt"
PASSWORD_HASH_METHOD = DEFAULT_PASSWORD_HASH_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_HASH_METHOD)


# Hash checked when the e-mail is unknown, so timing does not reveal which accounts exist.
_DUMMY_HASH = hash_password("placement-dummy-password")


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is user-facing."""


def password_problem(password: str) -> str | None:
    """Why a password is unacceptable, or None. Length only: no composition rules (ASVS 2.1)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"at most {MAX_PASSWORD_LENGTH} characters"
    return None


def account_problem(email: str, name: str) -> str | None:
    """Why an e-mail address and a name cannot make an account, or None: the limits the forms
    apply, for every entry path (forms, registration, `placement create-user`)."""
    for label, value, max_length in (("e-mail", email, 254), ("name", name, 120)):
        if not (value or "").strip():
            return f"{label} must not be empty"
        problem = limits.text_problem(value.strip(), max_length)
        if problem:
            return f"{label} {problem}"
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        return f"e-mail {email.strip()[:60]!r} is not a valid address"
    return None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str,
    name: str,
    role: str,
    password: str,
    organisation=None,
    locale: str | None = None,
    verified: bool = True,
) -> User:
    """Create a user with a scrypt password hash. ``verified=False`` for self-registration: the
    account acts only once the e-mail address is confirmed (``verify_email``)."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    problem = account_problem(email, name)
    if problem:
        raise AccountError(problem)
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
        password_hash=hash_password(password),
        organisation=organisation,
        locale=locale,
        session_token=secrets.token_hex(16),
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(f"password must have {problem}")
    user.password_hash = hash_password(password)
    user.session_token = secrets.token_hex(16)  # signs out other sessions


def end_sessions(user: User) -> None:
    """Invalidate every session of the account (sign-out, deactivation): a new token."""
    user.session_token = secrets.token_hex(16)


@dataclass
class LoginResult:
    user: User | None
    locked: bool = False
    unverified: User | None = None  # right password, e-mail address not confirmed yet


def email_key(email: str) -> str:
    """How login_failure keeps an e-mail address: a hash only."""
    return hashlib.sha256(normalise_email(email).encode("utf-8")).hexdigest()


def forget_login_failures(emails: list[str | None]) -> None:
    """Drop the failed sign-ins kept for these e-mail addresses (erasure). Only flushes."""
    keys = [email_key(e) for e in emails if e]
    if keys:
        db.session.execute(delete(LoginFailure).where(LoginFailure.email_hash.in_(keys)))


def delete_account(user: User) -> None:
    """Delete the account (erasure, Art. 17) with the failed sign-ins kept for its address.
    Rows by the account lose their author (ON DELETE SET NULL); its training progress and
    certificates go with it (CASCADE). Only flushes."""
    forget_login_failures([user.email])
    db.session.delete(user)
    db.session.flush()


def _failure_row(email: str, address: str) -> LoginFailure:
    key = email_key(email)
    row = db.session.scalar(
        select(LoginFailure).where(
            LoginFailure.email_hash == key, LoginFailure.address == address[:64]
        )
    )
    if row is None:
        try:
            with db.session.begin_nested():  # a concurrent first failure may insert it too
                row = LoginFailure(email_hash=key, address=address[:64], failures=0)
                db.session.add(row)
        except IntegrityError:
            row = db.session.scalar(
                select(LoginFailure).where(
                    LoginFailure.email_hash == key, LoginFailure.address == address[:64]
                )
            )
    return row


def authenticate(
    email: str, password: str, max_failures: int, lock_minutes: int, address: str = "-"
) -> LoginResult:
    """Check credentials, counting failures per e-mail address typed and client address.

    Known and unknown accounts get the same answers in about the same time: a password hash is
    checked in every case, and failures of an unknown address lock just as a known one does. A
    lock holds for this client address only, so an attacker cannot lock the owner out; it ends
    after ``lock_minutes``. While locked, even the right password is refused from there.
    """
    user = find_user(email)
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    now = utcnow()
    db.session.execute(
        delete(LoginFailure).where(LoginFailure.updated_at < now - timedelta(days=1))
    )
    row = _failure_row(email, address)
    row.updated_at = now
    if row.locked_until and row.locked_until > now:
        return LoginResult(None, locked=True)
    if user is None or not user.active or not ok:
        row.failures += 1
        if row.failures >= max_failures:
            row.locked_until = now + timedelta(minutes=lock_minutes)
            row.failures = 0
            return LoginResult(None, locked=True)
        return LoginResult(None)
    if row.id:
        db.session.delete(row)
    else:
        db.session.expunge(row)
    if user.email_verified_at is None:
        return LoginResult(None, unverified=user)
    user.last_login_at = now
    return LoginResult(user)


def verify_email(user: User, email: str) -> bool:
    """Confirm the account's address (the link's e-mail must still be the account's)."""
    if normalise_email(email) != user.email:
        return False
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return True


def load_user(user_id: str) -> User | None:
    """flask-login loader: the id carries a session token that a password change invalidates."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def set_locale(user: User, locale: str) -> None:
    """Remember the interface language the person chose."""
    user.locale = locale
    db.session.flush()


def users_query(search: str | None = None, role: str | None = None):
    query = select(User).order_by(User.role, func.lower(User.name))
    if role:
        query = query.where(User.role == role)
    if search:
        query = query.where(contains(search, User.name, User.email))
    return query
