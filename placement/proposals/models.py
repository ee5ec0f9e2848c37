"""Consent, shortlists, proposals with their history, notes, and the log of shown match lists."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placement.columns import now_stamp, parent_ref, update_stamp, user_ref
from placement.extensions import db

if TYPE_CHECKING:
    from placement.accounts.models import User
    from placement.employers.models import Organisation, Vacancy
    from placement.participants.models import Participant


class Consent(db.Model):
    """A participant's consent to share their profile with one named employer.

    Withdrawing sets ``withdrawn_at``; the row stays as evidence of what was allowed when.
    """

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = parent_ref("participant")
    organisation_id: Mapped[int] = parent_ref("organisation")
    given_at: Mapped[datetime] = now_stamp()
    recorded_by_id: Mapped[int | None] = user_ref()
    withdrawn_at: Mapped[datetime | None]

    participant: Mapped[Participant] = relationship()
    organisation: Mapped[Organisation] = relationship()

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class ShortlistEntry(db.Model):
    """A participant a counsellor keeps in view for a vacancy."""

    __tablename__ = "shortlist_entry"
    __table_args__ = (UniqueConstraint("vacancy_id", "participant_id", name="uq_shortlist_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = parent_ref("vacancy")
    participant_id: Mapped[int] = parent_ref("participant")
    added_by_id: Mapped[int | None] = user_ref()
    added_at: Mapped[datetime] = now_stamp()

    vacancy: Mapped[Vacancy] = relationship()
    participant: Mapped[Participant] = relationship()


class Proposal(db.Model):
    """A participant proposed to an employer for a vacancy; moves through PROPOSAL_FLOW."""

    __tablename__ = "proposal"
    __table_args__ = (UniqueConstraint("vacancy_id", "participant_id", name="uq_proposal_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = parent_ref("vacancy")
    participant_id: Mapped[int] = parent_ref("participant")
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consent.id", ondelete="SET NULL"))
    proposed_by_id: Mapped[int | None] = user_ref()
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    decline_reason: Mapped[str | None] = mapped_column(String(40))
    # The match as the counsellor saw it when proposing: score parts, reasons (no profile text).
    match_snapshot: Mapped[dict | None] = mapped_column(JSON)
    # The counsellor's covering note to the employer, written when proposing (shown to them).
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = now_stamp()
    updated_at: Mapped[datetime] = update_stamp()

    vacancy: Mapped[Vacancy] = relationship()
    participant: Mapped[Participant] = relationship()
    proposed_by: Mapped[User | None] = relationship()
    events: Mapped[list[ProposalEvent]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalEvent.id"
    )


class ProposalEvent(db.Model):
    """One status change of a proposal: who, when, from, to, why."""

    __tablename__ = "proposal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = parent_ref("proposal")
    at: Mapped[datetime] = now_stamp()
    actor_id: Mapped[int | None] = user_ref()
    actor_role: Mapped[str | None] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40))

    proposal: Mapped[Proposal] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Note(db.Model):
    """A counsellor's note on a participant, optionally about one proposal."""

    __tablename__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = parent_ref("participant")
    proposal_id: Mapped[int | None] = parent_ref("proposal")
    author_id: Mapped[int | None] = user_ref()
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = now_stamp()

    author: Mapped[User | None] = relationship()


class InterviewSlot(db.Model):
    """An interview time the employer proposes for a proposal; the counsellor or the
    participant accepts one of them. Times are stored in UTC."""

    __tablename__ = "interview_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = parent_ref("proposal")
    starts_at: Mapped[datetime]
    minutes: Mapped[int] = mapped_column(default=45)
    place: Mapped[str] = mapped_column(String(300))
    # "open" -> "accepted" | "not_chosen" (another was accepted) | "replaced" (new times)
    status: Mapped[str] = mapped_column(String(12), default="open")
    proposed_by_id: Mapped[int | None] = user_ref()
    created_at: Mapped[datetime] = now_stamp()
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = user_ref()
    decided_by_role: Mapped[str | None] = mapped_column(String(20))

    proposal: Mapped[Proposal] = relationship()


# MatchLog lives with the matching app code (placement/matches/models.py); this import keeps
# placement/matches/services.py (issue 13) working until it imports it from there.
from placement.matches.models import MatchLog  # noqa: E402, F401
