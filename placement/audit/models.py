"""Audit events. Rows are only ever inserted; they hold no profile contents or passwords.

The one exception is erasure (GDPR Art. 17, participants/rights.py): events about an erased
person, her records or by her account keep when, which action and which role, but lose actor,
subject and details, so that they identify nobody.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from placement.columns import now_stamp, user_ref
from placement.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = now_stamp(index=True)
    actor_id: Mapped[int | None] = user_ref()
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40), index=True)  # e.g. "participant.view"
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(index=True)
    details: Mapped[dict | None] = mapped_column(JSON)
