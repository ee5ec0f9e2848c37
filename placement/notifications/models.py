"""A notification to one user, and the claim of each e-mail that carries notifications.

A notification stores ids and codes only (``params``); its text is written when it is shown,
in the reader's language, from the records as they are then. So an erased participant leaves no
name behind, and a counsellor sees the current title of a vacancy.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from placement.claims import ClaimColumns
from placement.columns import now_stamp, parent_ref
from placement.extensions import db


class Notification(db.Model):
    __tablename__ = "notification"
    # One notification per event and user: the same key twice is the same event.
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_notification_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = parent_ref("user")
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "proposal.new", see texts.py
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # The participant it is about, so that erasure removes it with her record.
    participant_id: Mapped[int | None] = parent_ref("participant")
    key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = now_stamp(index=True)
    read_at: Mapped[datetime | None]
    # The e-mail that carried it (set once, when that e-mail is claimed).
    mail_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_mail.id", ondelete="SET NULL"), index=True
    )


class NotificationMail(ClaimColumns, db.Model):
    """One e-mail with notifications: "each:<notification id>" or "digest:<date>" per user,
    claimed before sending (placement/claims.py) so that it leaves exactly once."""

    __tablename__ = "notification_mail"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_notification_mail_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str | None] = mapped_column(String(254))
