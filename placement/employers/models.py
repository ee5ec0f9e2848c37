"""Organisations (employers) and their vacancies."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placement.columns import now_stamp, parent_ref, update_stamp, user_ref
from placement.extensions import db

if TYPE_CHECKING:
    from placement.accounts.models import User


class Organisation(db.Model):
    """An employer: a company, care home, public body ... that posts vacancies."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    sector: Mapped[str | None] = mapped_column(String(60))
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    employees: Mapped[int | None]
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    # Vacancies of an organisation are published only once an admin or counsellor approved it.
    approved: Mapped[bool] = mapped_column(default=False)
    approved_at: Mapped[datetime | None]
    outreach_status: Mapped[str] = mapped_column(String(20), default="contacted")
    created_at: Mapped[datetime] = now_stamp()

    staff: Mapped[list[User]] = relationship(back_populates="organisation")
    vacancies: Mapped[list[Vacancy]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Vacancy(db.Model):
    """A job or an internship offered by an organisation."""

    __tablename__ = "vacancy"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = parent_ref("organisation")
    kind: Mapped[str] = mapped_column(String(12), default="job")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    occupation: Mapped[str | None] = mapped_column(String(200))
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    german_level: Mapped[str | None] = mapped_column(String(2))
    requires_recognition: Mapped[bool] = mapped_column(default=False)
    postcode: Mapped[str | None] = mapped_column(String(5))
    radius_km: Mapped[int | None]
    hours_per_week: Mapped[int | None]
    start_date: Mapped[date | None]
    duration_weeks: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    language: Mapped[str] = mapped_column(String(5), default="de")
    # Occupation concepts (lexicon ids, "esco:<uuid>" for ESCO), set by a counsellor to correct
    # detection.
    concepts: Mapped[list[str] | None] = mapped_column(JSON)
    external_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = user_ref()
    created_at: Mapped[datetime] = now_stamp()
    updated_at: Mapped[datetime] = update_stamp()

    organisation: Mapped[Organisation] = relationship(back_populates="vacancies")

    @property
    def is_visible_to_participants(self) -> bool:
        return self.status == "published" and self.organisation.approved

    def __repr__(self) -> str:
        return f"<Vacancy {self.id} {self.title!r}>"


class WordingOverride(db.Model):
    """A vacancy published despite serious wording findings: who, when, why, which findings.

    The evidence of the employer's documented decision (§ 22 AGG shifts the burden of proof).
    """

    __tablename__ = "wording_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = parent_ref("vacancy")
    at: Mapped[datetime] = now_stamp()
    actor_id: Mapped[int | None] = user_ref()
    actor_role: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    # [{"rule": "muttersprache", "matched": "Muttersprache Deutsch"}, ...] at the time
    findings: Mapped[list[dict]] = mapped_column(JSON, default=list)
    fingerprint: Mapped[str] = mapped_column(String(16))

    vacancy: Mapped[Vacancy] = relationship()
    actor: Mapped[User | None] = relationship()
