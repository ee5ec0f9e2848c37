"""Participant profiles and foreign qualifications.

Protected attributes (origin, nationality, religion, gender, age, family status) are not stored
here at all: the profile holds what matching and counselling need (GDPR Art. 5 minimisation).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placement.columns import now_stamp, parent_ref, update_stamp, user_ref
from placement.extensions import db

if TYPE_CHECKING:
    from placement.accounts.models import User
    from placement.employers.models import Vacancy


class Participant(db.Model):
    """A person looking for work (phase 4) or placed and followed up (phase 5)."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = user_ref(unique=True)
    counsellor_id: Mapped[int | None] = user_ref(index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    # [{"code": "uk", "level": "native"}, {"code": "en", "level": "B1"}]
    languages: Mapped[list[dict]] = mapped_column(JSON, default=list)
    german_level: Mapped[str | None] = mapped_column(String(2))
    work_permit: Mapped[str] = mapped_column(String(20), default="any_work")
    permit_expires: Mapped[date | None]
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    desired_occupations: Mapped[list[str]] = mapped_column(JSON, default=list)
    profile_text: Mapped[str] = mapped_column(Text, default="")
    profile_language: Mapped[str | None] = mapped_column(String(5))
    postcode: Mapped[str | None] = mapped_column(String(5))
    max_commute_km: Mapped[int | None]
    hours_per_week: Mapped[int | None]
    earliest_start: Mapped[date | None]
    phase: Mapped[int] = mapped_column(default=4)
    # Phase 5: {"employer": str, "title": str, "since": "YYYY-MM-DD"}
    current_job: Mapped[dict | None] = mapped_column(JSON)
    # Occupation concepts set by a counsellor to correct the engine's detection.
    concepts: Mapped[list[str] | None] = mapped_column(JSON)
    consent_matching: Mapped[bool] = mapped_column(default=False)
    consent_contact: Mapped[bool] = mapped_column(default=False)
    # "Still interested?": the person's own last use of the app, and whether they want
    # suggestions (False after they said no: suggestions pause until they say yes again).
    last_active_at: Mapped[datetime | None]
    wants_suggestions: Mapped[bool] = mapped_column(default=True)
    external_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = now_stamp()
    updated_at: Mapped[datetime] = update_stamp()

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    counsellor: Mapped[User | None] = relationship(foreign_keys=[counsellor_id])
    qualifications: Mapped[list[Qualification]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", order_by="Qualification.id"
    )
    interests: Mapped[list[Interest]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", order_by="Interest.id"
    )

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def recognition(self) -> str:
        """The most advanced recognition state over all qualifications (for the engine)."""
        order = ["recognised", "partial", "in_process", "not_applied", "not_needed"]
        states = [q.recognition for q in self.qualifications]
        for state in order:
            if state in states:
                return state
        return "not_needed"

    def __repr__(self) -> str:
        return f"<Participant {self.id}>"


# The stamp each match page reads (matches/pools.py), count and last change of the matchable
# participants, comes from this index alone on PostgreSQL instead of a scan of the table.
Index("ix_participant_matchable_updated_at", Participant.updated_at,
      postgresql_where=Participant.consent_matching.is_(true()))  # fmt: skip


class Qualification(db.Model):
    """A foreign qualification and the state of its recognition (Anerkennung)."""

    __tablename__ = "qualification"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = parent_ref("participant")
    title: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    year: Mapped[int | None]
    recognition: Mapped[str] = mapped_column(String(12), default="not_applied")
    # The German reference occupation the recognition decision relates to.
    reference_occupation: Mapped[str | None] = mapped_column(String(200))

    participant: Mapped[Participant] = relationship(back_populates="qualifications")


class Interest(db.Model):
    """A participant's "I am interested" in a vacancy: a hint for the counsellor, not an
    application (the counsellor decides whether to propose)."""

    __tablename__ = "interest"
    __table_args__ = (UniqueConstraint("participant_id", "vacancy_id", name="uq_interest_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = parent_ref("participant")
    vacancy_id: Mapped[int] = parent_ref("vacancy")
    created_at: Mapped[datetime] = now_stamp()

    participant: Mapped[Participant] = relationship(back_populates="interests")
    vacancy: Mapped[Vacancy] = relationship()


class AnonymousOutcome(db.Model):
    """What is left of an erased participant (GDPR Art. 17) for reporting: counts, no person.

    One row of kind "participant" per erased person and one of kind "proposal" per proposal they
    had. No ids, names, organisations or exact dates: only the month, the process phase, the
    proposal's last status and the kind of vacancy, so rows cannot be linked back to anyone.
    """

    __tablename__ = "anonymous_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)  # "participant" | "proposal"
    month: Mapped[str] = mapped_column(String(7))  # "YYYY-MM" the record was created
    phase: Mapped[int | None]
    status: Mapped[str | None] = mapped_column(String(20))  # proposal status
    vacancy_kind: Mapped[str | None] = mapped_column(String(12))


class InterestCheck(db.Model):
    """One "are you still interested?" question after a participant's inactivity.

    One per inactivity period (``since``: the last activity it counts from). The e-mail is
    claimed before it is sent (``mail_status`` "sending", then "sent"), so it goes out once even
    with two workers; "none" when there is no address (the question waits for the next visit).
    """

    __tablename__ = "interest_check"
    __table_args__ = (UniqueConstraint("participant_id", "since", name="uq_interest_check_since"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = parent_ref("participant")
    since: Mapped[datetime]
    asked_at: Mapped[datetime] = now_stamp()
    mail_status: Mapped[str | None] = mapped_column(String(12))
    mail_claimed_at: Mapped[datetime | None]
    mailed_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(3))  # "yes" | "no"
    answered_at: Mapped[datetime | None]
    answered_by_role: Mapped[str | None] = mapped_column(String(20))

    participant: Mapped[Participant] = relationship()
