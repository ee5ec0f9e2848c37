"""Exactly-once sending: claim a row first, in its own committed transaction, then send.

Used by the follow-up reminders and the notification e-mails. A claim table has a unique key
(the columns of ``key``) and the columns ``status`` ("sending" | "sent" | "failed"),
``attempts``, ``claimed_at``, ``sent_at`` and ``error``. Inserting the claim commits before the
e-mail leaves; a second sender hits the unique key and sends nothing. A crash between claim and
"sent" leaves "sending": it is taken over only after ``timeout`` (the crash may have come after
the e-mail left), a "failed" claim at the next run, and a "sent" one never.

These functions run outside requests (a command, the worker, the demo's scheduler), so they
commit themselves: the claim must be kept before the mail goes out, whatever happens afterwards,
which is what makes each e-mail go out exactly once (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from placement.columns import now_stamp
from placement.extensions import db
from placement.placements.mail import MailError

CLAIM_TIMEOUT = timedelta(minutes=30)


class ClaimColumns:
    """The columns every claim table has, besides its unique key (a declarative mixin)."""

    status: Mapped[str] = mapped_column(String(10), default="sending")  # | "sent" | "failed"
    attempts: Mapped[int] = mapped_column(default=1)
    claimed_at: Mapped[datetime] = now_stamp()
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(200))


def _where(model, key: dict[str, Any]) -> list:
    return [getattr(model, column) == value for column, value in key.items()]


def claim(model, key: dict[str, Any], now: datetime, timeout: timedelta = CLAIM_TIMEOUT,
          **values: Any) -> bool:  # fmt: skip
    """Claim the row of ``key`` in its own transaction; False if another sender has it or sent
    it. ``values`` fill the other columns of a new claim. Commits."""
    try:
        db.session.add(model(**key, **values, status="sending", claimed_at=now))
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
    # Taken over only if it failed, or its claim is older than the timeout; never once "sent".
    claimed = db.session.execute(
        update(model)
        .where(
            *_where(model, key),
            model.status != "sent",
            (model.status == "failed") | (model.claimed_at < now - timeout),
        )
        .values(status="sending", claimed_at=now, attempts=model.attempts + 1, error=None)
    ).rowcount
    db.session.commit()
    return claimed == 1


def finish(model, key: dict[str, Any], now: datetime, error: str | None = None) -> None:
    """Mark the claim "sent" (or "failed" with the error, to be retried). Commits."""
    values = {"status": "failed", "error": error[:200]} if error else {"status": "sent",
                                                                        "sent_at": now}  # fmt: skip
    db.session.execute(update(model).where(*_where(model, key)).values(**values))
    db.session.commit()


def deliver(model, key: dict[str, Any], now: datetime, send: Callable[[str, str, str], None],
            to: str, subject: str, body: str) -> bool:  # fmt: skip
    """Send the e-mail of a claimed row and mark the claim; False if the mail backend failed
    (the claim is then "failed" and retried at the next run). Commits."""
    try:
        send(to, subject, body)
    except MailError as error:
        finish(model, key, now, error=str(error) or "mail error")
        return False
    finish(model, key, now)
    return True
