"""A placement of a participant with an employer, its follow-ups and the reminders sent.

A placement starts with a schedule of follow-ups (4 weeks, 3, 6 and 12 months by default);
each follow-up records what the counsellor learned. Risk is a flag for the counsellor about the
job, never a score on the person.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placement.claims import ClaimColumns
from placement.columns import now_stamp, parent_ref, update_stamp, user_ref
from placement.extensions import db

if TYPE_CHECKING:
    from placement.accounts.models import User
    from placement.employers.models import Organisation, Vacancy
    from placement.participants.models import Participant
    from placement.proposals.models import Proposal


class Placement(db.Model):
    """A participant in work (or an internship) with an organisation, followed up over a year."""

    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = parent_ref("participant")
    organisation_id: Mapped[int] = parent_ref("organisation")
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancy.id", ondelete="SET NULL"))
    # One placement per proposal at most: what makes "hired" idempotent.
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal.id", ondelete="SET NULL"), unique=True
    )
    # The counsellor who follows the placement up and receives its reminders.
    counsellor_id: Mapped[int | None] = user_ref(index=True)
    source: Mapped[str] = mapped_column(String(12), default="counsellor")  # | "proposal"
    title: Mapped[str] = mapped_column(String(200))
    occupation: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date]
    contract_type: Mapped[str] = mapped_column(String(20))
    contract_end: Mapped[date | None]
    hours_per_week: Mapped[int | None]
    wage_band: Mapped[str | None] = mapped_column(String(20))
    # The participant's phase before this placement: 4 = entry into work, 5 = a change of job.
    phase_at_start: Mapped[int] = mapped_column(default=4)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    end_date: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(String(30))
    risk_level: Mapped[str] = mapped_column(String(10), default="low")
    risk_signals: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = user_ref()
    created_at: Mapped[datetime] = now_stamp()
    updated_at: Mapped[datetime] = update_stamp()

    participant: Mapped[Participant] = relationship()
    organisation: Mapped[Organisation] = relationship()
    vacancy: Mapped[Vacancy | None] = relationship()
    proposal: Mapped[Proposal | None] = relationship()
    counsellor: Mapped[User | None] = relationship(foreign_keys=[counsellor_id])
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="placement",
        cascade="all, delete-orphan",
        order_by="(FollowUp.due_date, FollowUp.id)",
    )

    @property
    def active(self) -> bool:
        return self.status == "active"

    def __repr__(self) -> str:
        return f"<Placement {self.id} {self.status}>"


class FollowUp(db.Model):
    """One due follow-up of a placement and, once done, what the counsellor learned."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = parent_ref("placement")
    due_date: Mapped[date] = mapped_column(index=True)
    # "4w", "3m" ... from the schedule, "risk" when a risk brought it forward, "extra" if added.
    label: Mapped[str] = mapped_column(String(12))
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = user_ref()
    contact_made: Mapped[bool | None]
    still_employed: Mapped[bool | None]
    hours_per_week: Mapped[int | None]
    satisfaction_participant: Mapped[int | None]
    satisfaction_employer: Mapped[int | None]
    risk_signals: Mapped[list[str]] = mapped_column(JSON, default=list)
    support: Mapped[list[str]] = mapped_column(JSON, default=list)
    support_due: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")

    placement: Mapped[Placement] = relationship(back_populates="follow_ups")
    done_by: Mapped[User | None] = relationship()

    @property
    def done(self) -> bool:
        return self.done_at is not None


class Reminder(ClaimColumns, db.Model):
    """A reminder e-mail for one follow-up and due date, claimed before it is sent.

    The unique pair (follow_up_id, due_date) makes a second run find the claim instead of
    sending again; "sending" left by a crash is retried only after a timeout.
    """

    __tablename__ = "follow_up_reminder"
    __table_args__ = (
        UniqueConstraint("follow_up_id", "due_date", name="uq_follow_up_reminder_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(ForeignKey("follow_up.id", ondelete="CASCADE"))
    due_date: Mapped[date]
    recipient: Mapped[str | None] = mapped_column(String(254))
