"""The contact log of an organisation: each contact with an optional next step and its due date."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placement.columns import now_stamp, parent_ref, user_ref
from placement.extensions import db

if TYPE_CHECKING:
    from placement.accounts.models import User
    from placement.employers.models import Organisation


class ContactEntry(db.Model):
    """One contact of a counsellor with an employer: when, how, what, and what comes next."""

    __tablename__ = "contact_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = parent_ref("organisation")
    contacted_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(10))  # vocab.CONTACT_CHANNELS
    note: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str | None] = mapped_column(String(300))
    due_on: Mapped[date | None] = mapped_column(index=True)
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = user_ref()
    author_id: Mapped[int | None] = user_ref()
    created_at: Mapped[datetime] = now_stamp()

    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])

    @property
    def open_step(self) -> bool:
        return bool(self.next_step) and not self.done

    def __repr__(self) -> str:
        return f"<ContactEntry {self.id} org={self.organisation_id}>"
