"""Operations on organisations and vacancies. They take explicit arguments and only flush."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from placement.accounts.models import User, utcnow
from placement.employers.models import Organisation, Vacancy
from placement.extensions import db

VACANCY_FIELDS = (
    "kind",
    "title",
    "description",
    "occupation",
    "skills",
    "german_level",
    "requires_recognition",
    "postcode",
    "radius_km",
    "hours_per_week",
    "start_date",
    "duration_weeks",
    "status",
    "language",
)
ORGANISATION_FIELDS = (
    "name",
    "sector",
    "street",
    "postcode",
    "city",
    "website",
    "description",
    "employees",
    "contact_name",
    "contact_email",
    "contact_phone",
    "outreach_status",
)


class VacancyError(ValueError):
    """A vacancy change that is not allowed; the message is user-facing."""


def create_organisation(data: dict[str, Any], approved: bool = False) -> Organisation:
    org = Organisation(**{k: data[k] for k in ORGANISATION_FIELDS if k in data})
    org.approved = approved
    if approved:
        org.approved_at = utcnow()
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(org: Organisation, data: dict[str, Any]) -> Organisation:
    for key in ORGANISATION_FIELDS:
        if key in data:
            setattr(org, key, data[key])
    db.session.flush()
    return org


def approve_organisation(org: Organisation, approved: bool = True) -> None:
    org.approved = approved
    org.approved_at = utcnow() if approved else None
    db.session.flush()


def _clean_vacancy(data: dict[str, Any]) -> dict[str, Any]:
    clean = {k: data[k] for k in VACANCY_FIELDS if k in data}
    if "skills" in clean:
        clean["skills"] = [s.strip() for s in clean["skills"] or [] if s and s.strip()]
    if "german_level" in clean:
        clean["german_level"] = clean["german_level"] or None
    if clean.get("kind") == "job":
        clean["duration_weeks"] = None
    return clean


def create_vacancy(organisation: Organisation, data: dict[str, Any], actor: User | None) -> Vacancy:
    """Create a vacancy; it stays a draft until the organisation is approved."""
    vacancy = Vacancy(organisation=organisation, created_by_id=getattr(actor, "id", None))
    for key, value in _clean_vacancy(data).items():
        setattr(vacancy, key, value)
    _check_publishable(vacancy)
    db.session.add(vacancy)
    db.session.flush()
    return vacancy


def update_vacancy(vacancy: Vacancy, data: dict[str, Any]) -> Vacancy:
    for key, value in _clean_vacancy(data).items():
        setattr(vacancy, key, value)
    _check_publishable(vacancy)
    db.session.flush()
    return vacancy


def _check_publishable(vacancy: Vacancy) -> None:
    if vacancy.status == "published" and not vacancy.organisation.approved:
        raise VacancyError(
            "This organisation has not been approved yet; save the vacancy as a draft. "
            "A counsellor will approve the organisation."
        )


def vacancies_query(
    organisation: Organisation | None = None,
    search: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    published_only: bool = False,
):
    """A select() of vacancies, newest first, filtered as given."""
    query = select(Vacancy).join(Vacancy.organisation).order_by(Vacancy.created_at.desc())
    if organisation is not None:
        query = query.where(Vacancy.organisation_id == organisation.id)
    if kind:
        query = query.where(Vacancy.kind == kind)
    if status:
        query = query.where(Vacancy.status == status)
    if published_only:
        query = query.where(Vacancy.status == "published", Organisation.approved.is_(True))
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Vacancy.title).like(like),
                func.lower(Vacancy.occupation).like(like),
                func.lower(Organisation.name).like(like),
                Vacancy.postcode.like(like),
            )
        )
    return query


def organisations_query(search: str | None = None):
    query = select(Organisation).order_by(func.lower(Organisation.name))
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(
            or_(func.lower(Organisation.name).like(like), func.lower(Organisation.city).like(like))
        )
    return query
