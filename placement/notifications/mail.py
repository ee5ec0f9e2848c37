"""Notification e-mails: one per notification ("each") or one digest a day ("daily").

Each e-mail is claimed before it is sent (placement/claims.py, as the follow-up reminders are):
a row unique per user and key ("each:<notification id>", "digest:<date>"). The winner of the
claim then attaches the notifications to it in one conditional UPDATE (only those not attached
yet), so a notification travels in one e-mail at most, even when two workers run at once.
Texts are in the recipient's language and carry no participant name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from placement.accounts.models import User
from placement.claims import CLAIM_TIMEOUT, claim, deliver, finish
from placement.extensions import db, utcnow
from placement.notifications.models import Notification, NotificationMail
from placement.notifications.texts import describe
from placement.placements.mail import Mailer

# Unread notifications older than this are not mailed any more (e.g. after switching from
# "none" to "each"): the person sees them in the app.
MAIL_WINDOW = timedelta(days=3)


@dataclass
class MailRun:
    """What one run did: e-mail keys sent, skipped (claimed by another run) and failed."""

    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _pending(now: datetime) -> list[tuple[int, str, int]]:
    """(user id, mail choice, notification id) of unread notifications not mailed yet."""
    rows = db.session.execute(
        select(User.id, User.notify_mail, Notification.id)
        .join(Notification, Notification.user_id == User.id)
        .where(
            User.active.is_(True),
            User.notify_mail.in_(("each", "daily")),
            Notification.mail_id.is_(None),
            Notification.read_at.is_(None),
            Notification.created_at <= now,
            Notification.created_at > now - MAIL_WINDOW,
        )
        .order_by(User.id, Notification.id)
    ).all()
    db.session.rollback()  # end the read transaction before the claims
    return [tuple(row) for row in rows]


def _retryable(now: datetime) -> list[tuple[int, str]]:
    """E-mails that failed, or whose claim is older than the timeout (a crash): tried again."""
    rows = db.session.execute(
        select(NotificationMail.user_id, NotificationMail.key).where(
            (NotificationMail.status == "failed")
            | (
                (NotificationMail.status == "sending")
                & (NotificationMail.claimed_at < now - CLAIM_TIMEOUT)
            )
        )
    ).all()
    db.session.rollback()
    return [tuple(row) for row in rows]


def _attach(user_id: int, key: str, notification_ids: list[int]) -> list[Notification]:
    """Attach the notifications to the claimed e-mail (those nobody attached yet) and return
    every notification this e-mail carries (also those attached before a crash). Commits."""
    mail_id = db.session.scalar(
        select(NotificationMail.id).where(
            NotificationMail.user_id == user_id, NotificationMail.key == key
        )
    )
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_(notification_ids), Notification.mail_id.is_(None))
        .values(mail_id=mail_id)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.mail_id == mail_id).order_by(Notification.id)
        )
    )


def _message(user: User, items: list[Notification], digest: bool, mailer: Mailer
             ) -> tuple[str, str]:  # fmt: skip
    with force_locale(mailer.locale(user.locale)):
        lines = [f"- {describe(item, for_mail=True)}" for item in items]
        if digest:
            subject = _("placement: %(n)d new notifications today", n=len(items))
        else:
            subject = _("placement: %(text)s", text=describe(items[0], for_mail=True))
        body = "\n".join(
            [
                _("Hello %(name)s,", name=user.name),
                "",
                _("news in placement:") if digest else _("there is news in placement:"),
                *lines,
                "",
                _("Sign in to see the details: %(link)s", link=mailer.link("/notifications")),
                "",
                _("You can choose on that page whether and how often we write to you."),
            ]
        )
    if len(subject) > 150:
        subject = subject[:149] + "…"
    return subject, body + "\n"


def send_notification_mails(mailer: Mailer, now: datetime | None = None, send=None,
                            digest_hour: int = 7) -> MailRun:  # fmt: skip
    """Send the e-mails that are due now: each notification of "each" users, and the day's
    digest of "daily" users from ``digest_hour`` (UTC, PLACEMENT_DIGEST_HOUR) on; ``send(to,
    subject, body)`` defaults to ``mailer.send``. Commits as it goes."""
    now = now or utcnow()
    send = send or mailer.send
    run = MailRun()
    groups: dict[tuple[int, str], list[int]] = {}
    for user_id, choice, notification_id in _pending(now):
        if choice == "each":
            groups[(user_id, f"each:{notification_id}")] = [notification_id]
        elif now.hour >= digest_hour:
            groups.setdefault((user_id, f"digest:{now.date().isoformat()}"), []).append(
                notification_id
            )
    for user_id, key in _retryable(now):
        groups.setdefault((user_id, key), [])
    for (user_id, key), ids in groups.items():
        user = db.session.get(User, user_id)
        claim_key = {"user_id": user_id, "key": key}
        if user is None or not claim(NotificationMail, claim_key, now, recipient=user.email):
            run.skipped.append(key)
            continue
        items = _attach(user_id, key, ids)
        if not items:  # nothing left to carry
            finish(NotificationMail, claim_key, now)
            continue
        message = _message(user, items, key.startswith("digest:"), mailer)
        sent = deliver(NotificationMail, claim_key, now, send, user.email, *message)
        (run.sent if sent else run.failed).append(key)
    return run
