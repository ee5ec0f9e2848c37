"""What an admin does with accounts: invite, edit, change the role, deactivate, reactivate,
unlock, reset the second factor; and setting a password from an e-mailed link. Each step is
audit-logged (field names and roles, never passwords). Services only flush.
"""

from __future__ import annotations

import secrets

from sqlalchemy import delete

from placement.accounts import twofactor
from placement.accounts.models import LoginFailure, User
from placement.accounts.services import (
    AccountError,
    create_user,
    email_key,
    end_sessions,
    find_user,
    normalise_email,
    set_password,
)
from placement.audit.services import record
from placement.extensions import db, utcnow
from placement.vocab import ROLES


def invite_user(email: str, name: str, role: str, actor: User, organisation=None,
                locale: str | None = None) -> User:  # fmt: skip
    """An account that the person activates by setting a password from the invitation link.

    Until then nobody knows its password (a random one), and it counts as unverified.
    """
    user = create_user(email, name, role, secrets.token_urlsafe(32), organisation=organisation,
                       locale=locale, verified=False)  # fmt: skip
    if role == "participant":
        from placement.participants.services import create_participant_for_user

        create_participant_for_user(user)
    record(actor, "user.invite", "user", user.id, role=role)
    return user


def set_password_from_link(user: User, password: str, purpose: str) -> None:
    """Set the password chosen from a reset or invitation link. The link reached the person's
    mailbox, so the address counts as confirmed; other sessions end (set_password)."""
    set_password(user, password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    _clear_locks(user)
    record(user, "user.invite_accept" if purpose == "invite" else "user.password_reset", "user",
           user.id)  # fmt: skip
    db.session.flush()


def update_user(user: User, actor: User, name: str, email: str, role: str,
                organisation=None) -> list[str]:  # fmt: skip
    """Edit name, e-mail, role and organisation; returns the names of the changed fields."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    if role == "employer" and organisation is None:
        raise AccountError("an employer account belongs to an organisation")
    if user.id == actor.id and role != user.role:
        raise AccountError("you cannot change your own role")
    email = normalise_email(email)
    other = find_user(email)
    if other is not None and other.id != user.id:
        raise AccountError(f"a user with e-mail {email} exists already")
    organisation = organisation if role == "employer" else None
    changed = [
        field
        for field, old, new in (
            ("name", user.name, name.strip()),
            ("email", user.email, email),
            ("organisation", user.organisation_id, getattr(organisation, "id", None)),
        )
        if old != new
    ]
    old_role = user.role
    user.name, user.email, user.organisation = name.strip(), email, organisation
    if "email" in changed:
        end_sessions(user)  # sign-in name changed: sign in again
    if changed:
        record(actor, "user.edit", "user", user.id, fields=changed)
    if role != old_role:
        user.role = role
        end_sessions(user)  # what the person may do changes: a new session
        if role == "participant":
            from placement.participants.services import (
                create_participant_for_user,
                participant_for_user,
            )

            if participant_for_user(user) is None:
                create_participant_for_user(user)
        record(actor, "user.role", "user", user.id, before=old_role, after=role)
        changed.append("role")
    db.session.flush()
    return changed


def deactivate(user: User, actor: User) -> None:
    """The account can no longer sign in; its sessions end at once."""
    if user.id == actor.id:
        raise AccountError("you cannot deactivate your own account")
    if user.active:
        user.active = False
        end_sessions(user)
        record(actor, "user.deactivate", "user", user.id)
    db.session.flush()


def reactivate(user: User, actor: User) -> None:
    if not user.active:
        user.active = True
        record(actor, "user.reactivate", "user", user.id)
    db.session.flush()


def _clear_locks(user: User) -> int:
    """Drop the failed sign-ins kept for the account's address (from every client address)."""
    cleared = db.session.execute(
        delete(LoginFailure).where(LoginFailure.email_hash == email_key(user.email))
    )
    return cleared.rowcount


def unlock(user: User, actor: User) -> int:
    """Lift the sign-in locks after failed attempts (from every address); returns how many."""
    cleared = _clear_locks(user)
    record(actor, "user.unlock", "user", user.id, locks=cleared)
    db.session.flush()
    return cleared


def reset_second_factor(user: User, actor: User) -> None:
    """For a lost authenticator and recovery codes: the person sets it up again."""
    twofactor.disable(user)
    end_sessions(user)
    record(actor, "user.2fa_reset", "user", user.id)
    db.session.flush()
