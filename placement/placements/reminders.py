"""Reminder e-mails for due follow-ups, sent exactly once per follow-up and due date.

Each reminder is claimed first, in its own committed transaction, by inserting a row that is
unique per (follow-up, due date); only then is the e-mail sent and the row marked "sent". A
second run finds the claim and sends nothing. A crash between claim and "sent" leaves
"sending": a later run retries it only after CLAIM_TIMEOUT (the crash may have come after the
e-mail left), and a "sent" row is never sent again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from placement.extensions import db, utcnow
from placement.placements.mail import MailError, send_mail
from placement.placements.models import FollowUp, Placement, Reminder

CLAIM_TIMEOUT = timedelta(minutes=30)


@dataclass
class ReminderRun:
    """What one run did: follow-up ids sent, skipped (claimed already) and failed."""

    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _claim(follow_up_id: int, due, recipient: str, now: datetime) -> bool:
    """Claim the reminder in its own transaction; False if another run has it or sent it.

    Runs outside requests (a command, the worker, the demo's scheduler), so it commits itself:
    the claim must be kept before the mail goes out and whatever happens afterwards, which is
    what makes each reminder go out exactly once (docs/architecture.md)."""
    try:
        db.session.add(Reminder(follow_up_id=follow_up_id, due_date=due, recipient=recipient,
                                status="sending", claimed_at=now))  # fmt: skip
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
    # Taken over only if it failed, or its claim is older than the timeout; never once "sent".
    claimed = db.session.execute(
        update(Reminder)
        .where(
            Reminder.follow_up_id == follow_up_id,
            Reminder.due_date == due,
            Reminder.status != "sent",
            (Reminder.status == "failed") | (Reminder.claimed_at < now - CLAIM_TIMEOUT),
        )
        .values(status="sending", claimed_at=now, attempts=Reminder.attempts + 1, error=None)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _finish(follow_up_id: int, due, now: datetime, error: str | None = None) -> None:
    values = {"status": "failed", "error": error[:200]} if error else {"status": "sent",
                                                                        "sent_at": now}  # fmt: skip
    db.session.execute(
        update(Reminder)
        .where(Reminder.follow_up_id == follow_up_id, Reminder.due_date == due)
        .values(**values)
    )
    db.session.commit()


def due_reminders(now: datetime) -> list[tuple[int, object, str, str, str]]:
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
                      *_message(follow_up, placement)))  # fmt: skip
    db.session.rollback()  # end the read transaction before the claims
    return items


def _message(follow_up: FollowUp, placement: Placement) -> tuple[str, str]:
    # No name or profile content: the e-mail may travel unencrypted; the link needs a login.
    base = (current_app.config.get("PLACEMENT_BASE_URL") or "").rstrip("/")
    subject = f"Follow-up due {follow_up.due_date.isoformat()}: placement #{placement.id}"
    body = (
        f"A follow-up of placement #{placement.id} at {placement.organisation.name} is due on "
        f"{follow_up.due_date.isoformat()}.\n"
        f"Risk level: {placement.risk_level}.\n\n"
        f"{base}/counsellor/placements/{placement.id}\n\n"
        "Fällige Nachbetreuung - bitte melden Sie sich an, um sie zu erfassen.\n"
    )
    return subject, body


def send_due_reminders(now: datetime | None = None, send=None) -> ReminderRun:
    """Send one e-mail per due follow-up to its counsellor, exactly once (see module doc).

    ``send(to, subject, body)`` defaults to the configured mail backend. Commits as it goes.
    """
    now = now or utcnow()
    send = send or send_mail
    run = ReminderRun()
    for follow_up_id, due, to, subject, body in due_reminders(now):
        if not _claim(follow_up_id, due, to, now):
            run.skipped.append(follow_up_id)
            continue
        try:
            send(to, subject, body)
        except MailError as error:
            _finish(follow_up_id, due, now, error=str(error) or "mail error")
            run.failed.append(follow_up_id)
            continue
        _finish(follow_up_id, due, now)
        run.sent.append(follow_up_id)
    return run
