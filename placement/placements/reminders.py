"""Reminder e-mails for due follow-ups, sent exactly once per follow-up and due date.

Each reminder is claimed first (placement/claims.py), in its own committed transaction, by
inserting a row that is unique per (follow-up, due date); only then is the e-mail sent and the
row marked "sent". A second run finds the claim and sends nothing. A crash between claim and
"sent" leaves "sending": a later run retries it only after CLAIM_TIMEOUT (the crash may have come
after the e-mail left), and a "sent" row is never sent again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from placement.claims import CLAIM_TIMEOUT, claim, deliver
from placement.extensions import db, utcnow
from placement.placements.mail import Mailer
from placement.placements.models import FollowUp, Placement, Reminder

__all__ = ["CLAIM_TIMEOUT", "ReminderRun", "send_due_reminders"]


@dataclass
class ReminderRun:
    """What one run did: follow-up ids sent, skipped (claimed already) and failed."""

    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def due_reminders(now: datetime, mailer: Mailer) -> list[tuple[int, object, str, str, str]]:
    """(follow-up id, due date, recipient, subject, body) of open follow-ups due by today."""
    rows = db.session.scalars(
        select(FollowUp)
        .join(FollowUp.placement)
        .where(
            FollowUp.done_at.is_(None),
            FollowUp.due_date <= now.date(),
            Placement.status == "active",
        )
        .order_by(FollowUp.due_date, FollowUp.id)
    ).all()
    items = []
    for follow_up in rows:
        placement = follow_up.placement
        counsellor = placement.counsellor or placement.participant.counsellor
        if counsellor is None or not counsellor.email:
            continue
        items.append((follow_up.id, follow_up.due_date, counsellor.email,
                      *_message(follow_up, placement, mailer)))  # fmt: skip
    db.session.rollback()  # end the read transaction before the claims
    return items


def _message(follow_up: FollowUp, placement: Placement, mailer: Mailer) -> tuple[str, str]:
    # No name or profile content: the e-mail may travel unencrypted; the link needs a login.
    subject = f"Follow-up due {follow_up.due_date.isoformat()}: placement #{placement.id}"
    body = (
        f"A follow-up of placement #{placement.id} at {placement.organisation.name} is due on "
        f"{follow_up.due_date.isoformat()}.\n"
        f"Risk level: {placement.risk_level}.\n\n"
        f"{mailer.link(f'/counsellor/placements/{placement.id}')}\n\n"
        "Fällige Nachbetreuung - bitte melden Sie sich an, um sie zu erfassen.\n"
    )
    return subject, body


def send_due_reminders(mailer: Mailer, now: datetime | None = None, send=None) -> ReminderRun:
    """Send one e-mail per due follow-up to its counsellor, exactly once (see module doc).

    ``send(to, subject, body)`` defaults to ``mailer.send``. Commits as it goes.
    """
    now = now or utcnow()
    send = send or mailer.send
    run = ReminderRun()
    for follow_up_id, due, to, subject, body in due_reminders(now, mailer):
        key = {"follow_up_id": follow_up_id, "due_date": due}
        if not claim(Reminder, key, now, recipient=to):
            run.skipped.append(follow_up_id)
            continue
        sent = deliver(Reminder, key, now, send, to, subject, body)
        (run.sent if sent else run.failed).append(follow_up_id)
    return run
