"""Recording audit events."""

from __future__ import annotations

from sqlalchemy import select

from placement.audit.models import AuditEvent
from placement.extensions import db


def actor_stamp(actor) -> dict:
    """Who acted, as the logs store it (``actor_id``, ``actor_role``); None for the system."""
    return {"actor_id": getattr(actor, "id", None), "actor_role": getattr(actor, "role", None)}


def record(actor, action: str, subject_type: str, subject_id: int | None, **details) -> None:
    """Append an audit event; the caller's transaction commits it with the rest of the work."""
    db.session.add(
        AuditEvent(
            **actor_stamp(actor),
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            details=details or None,
        )
    )


def events_for(subject_type: str, subject_id: int, action: str | None = None):
    """A select() of the events about one record, newest first."""
    query = select(AuditEvent).where(
        AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id
    )
    if action:
        query = query.where(AuditEvent.action == action)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def events_query(actor_id: int | None = None, action: str | None = None, since=None,
                 until=None, subject_type: str | None = None,
                 subject_id: int | None = None):  # fmt: skip
    """A select() of audit events, newest first, filtered as given (``until`` is exclusive)."""
    query = select(AuditEvent)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    if subject_type:
        query = query.where(AuditEvent.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def known_actions() -> list[str]:
    """The actions recorded so far, for the viewer's filter."""
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def actor_names(events) -> dict[int, str]:
    """The names of the users who did what the events record (deleted accounts are missing)."""
    from placement.accounts.models import User

    ids = {e.actor_id for e in events if e.actor_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
