"""Outreach operations: the status of an organisation, its contact log, due next steps.

Services take explicit arguments and only flush; the view commits.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from placement.accounts.models import User
from placement.audit.services import record
from placement.employers.models import Organisation
from placement.extensions import db, utcnow
from placement.outreach.models import ContactEntry
from placement.vocab import CONTACT_CHANNELS, OUTREACH_STATUSES

DUE_HORIZON_DAYS = 7  # the start page lists next steps due within a week, and all overdue ones


class OutreachError(ValueError):
    """An outreach change that is not allowed; the message is user-facing."""


def today() -> date:
    return utcnow().date()


def set_outreach_status(organisation: Organisation, status: str, actor: User) -> None:
    """Move an organisation along the outreach pipeline (contacted ... inactive)."""
    if status not in OUTREACH_STATUSES:
        raise OutreachError(f"Unknown outreach status {status!r}.")
    if status != organisation.outreach_status:
        record(actor, "organisation.outreach", "organisation", organisation.id,
               **{"from": organisation.outreach_status, "to": status})  # fmt: skip
        organisation.outreach_status = status
    db.session.flush()


def add_contact(organisation: Organisation, data: dict[str, Any], author: User) -> ContactEntry:
    """Log a contact; a next step needs a due date, and a due date a next step."""
    if data.get("channel") not in CONTACT_CHANNELS:
        raise OutreachError("Choose how the contact took place.")
    next_step = (data.get("next_step") or "").strip() or None
    if bool(next_step) != bool(data.get("due_on")):
        raise OutreachError("A next step needs a due date, and a due date a next step.")
    entry = ContactEntry(
        organisation_id=organisation.id,
        contacted_on=data.get("contacted_on") or today(),
        channel=data["channel"],
        note=(data.get("note") or "").strip(),
        next_step=next_step,
        due_on=data.get("due_on"),
        author_id=author.id,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def mark_done(entry: ContactEntry, actor: User) -> None:
    """Tick off a next step (idempotent)."""
    if not entry.next_step:
        raise OutreachError("This contact has no next step.")
    if not entry.done:
        entry.done = True
        entry.done_at = utcnow()
        entry.done_by_id = actor.id
    db.session.flush()


def contacts_query(organisation: Organisation):
    """A select() of an organisation's contact log, newest contact first."""
    return (
        select(ContactEntry)
        .where(ContactEntry.organisation_id == organisation.id)
        .order_by(ContactEntry.contacted_on.desc(), ContactEntry.id.desc())
    )


def due_next_steps(on: date | None = None, horizon_days: int = DUE_HORIZON_DAYS, limit: int = 50):
    """Open next steps due by ``on`` + horizon (overdue ones included), earliest due first."""
    until = (on or today()) + timedelta(days=horizon_days)
    return db.session.scalars(
        select(ContactEntry)
        .join(ContactEntry.organisation)
        .where(
            ContactEntry.done.is_(False),
            ContactEntry.next_step.is_not(None),
            ContactEntry.due_on <= until,
        )
        .order_by(ContactEntry.due_on, Organisation.name, ContactEntry.id)
        .limit(limit)
    ).all()
