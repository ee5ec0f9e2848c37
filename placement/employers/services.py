"""Operations on organisations and vacancies. They take explicit arguments and only flush."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import func, select

from placement.accounts.models import User
from placement.accounts.services import create_user, normalise_email
from placement.audit.services import record
from placement.employers.models import Organisation, Vacancy
from placement.employers.publishing import PublishReview, review_before_publishing
from placement.extensions import db, utcnow
from placement.queries import contains

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


# The vacancy lifecycle: which status may follow which. Publishing also needs an approved
# organisation. "closed -> published" re-posts a vacancy; a filled one is closed, not re-opened.
VACANCY_FLOW: dict[str, tuple[str, ...]] = {
    "draft": ("published", "closed"),
    "published": ("paused", "filled", "closed"),
    "paused": ("published", "closed"),
    "filled": ("closed",),
    "closed": ("published",),
}


class VacancyError(ValueError):
    """A vacancy change the lifecycle does not allow. `code` and `params` say which, so the app
    can word it in its users' language; the message is English."""

    def __init__(self, message: str, code: str = "other", **params) -> None:
        super().__init__(message)
        self.code, self.params = code, params


def register_employer(
    organisation_data: dict[str, Any], name: str, email: str, password: str, locale=None
) -> User:
    """Self-registration: a new, unapproved organisation and its first employer account.

    Raises ``AccountError`` (e.g. the e-mail exists); the caller rolls back, so neither record
    stays without the other.
    """
    data = {k: v for k, v in organisation_data.items() if k != "outreach_status"}
    data.setdefault("contact_name", name)
    data.setdefault("contact_email", normalise_email(email))
    org = create_organisation(data, approved=False)
    user = create_user(email, name, "employer", password, organisation=org, locale=locale,
                       verified=False)  # fmt: skip
    record(user, "organisation.register", "organisation", org.id)
    return user


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


# The fields the wording check reads: changing them on a published vacancy is checked again.
CHECKED_FIELDS = ("title", "description", "german_level")


def create_vacancy(
    organisation: Organisation,
    data: dict[str, Any],
    actor: User | None,
    review: PublishReview | None = None,
    lang: str = "de",
) -> Vacancy:
    """Create a vacancy; it stays a draft until the organisation is approved.

    ``review``: a person publishing through the pages (see ``publishing``); raises
    ``WordingReviewNeeded`` until the wording findings are reviewed. Imports and demo data
    pass none.
    """
    vacancy = Vacancy(organisation=organisation, created_by_id=getattr(actor, "id", None))
    for key, value in _clean_vacancy(data).items():
        setattr(vacancy, key, value)
    _check_publishable(vacancy)
    db.session.add(vacancy)
    db.session.flush()
    if review is not None and vacancy.status == "published":
        review_before_publishing(vacancy, review, actor, lang)
    return vacancy


def update_vacancy(
    vacancy: Vacancy,
    data: dict[str, Any],
    actor: User | None = None,
    review: PublishReview | None = None,
    lang: str = "de",
) -> Vacancy:
    """Change a vacancy's fields; a changed status must be an allowed step of the lifecycle.

    With ``review``, a vacancy that goes live (or is live and gets a new text) is checked first.
    """
    clean = _clean_vacancy(data)
    was = vacancy.status
    if clean.get("status", vacancy.status) != vacancy.status:
        _check_transition(vacancy, clean["status"])
    text_changed = any(k in clean and clean[k] != getattr(vacancy, k) for k in CHECKED_FIELDS)
    for key, value in clean.items():
        setattr(vacancy, key, value)
    _check_publishable(vacancy)
    db.session.flush()
    if (
        review is not None
        and vacancy.status == "published"
        and (was != "published" or text_changed)
    ):
        review_before_publishing(vacancy, review, actor, lang)
    return vacancy


def next_statuses(vacancy: Vacancy) -> tuple[str, ...]:
    """The statuses a vacancy may move to now (publishing only for approved organisations)."""
    steps = VACANCY_FLOW.get(vacancy.status, ())
    if not vacancy.organisation.approved:
        steps = tuple(s for s in steps if s != "published")
    return steps


def _check_transition(vacancy: Vacancy, to_status: str) -> None:
    if to_status not in VACANCY_FLOW:
        raise VacancyError(f"Unknown status {to_status!r}.", "unknown_status")
    if to_status not in VACANCY_FLOW.get(vacancy.status, ()):
        raise VacancyError(
            f"A vacancy cannot go from {vacancy.status} to {to_status}.",
            "transition",
            from_status=vacancy.status,
            to_status=to_status,
        )


def change_vacancy_status(
    vacancy: Vacancy,
    to_status: str,
    actor: User | None,
    review: PublishReview | None = None,
    lang: str = "de",
) -> Vacancy:
    """Publish, pause, fill, close or re-open a vacancy, if the lifecycle allows it.

    Publishing with ``review`` checks the wording first (see ``publishing``)."""
    _check_transition(vacancy, to_status)
    from_status = vacancy.status
    vacancy.status = to_status
    _check_publishable(vacancy)
    if review is not None and to_status == "published":
        review_before_publishing(vacancy, review, actor, lang)
    record(actor, "vacancy.status", "vacancy", vacancy.id, **{"from": from_status, "to": to_status})
    db.session.flush()
    return vacancy


def _check_publishable(vacancy: Vacancy) -> None:
    if vacancy.status == "published" and not vacancy.organisation.approved:
        raise VacancyError(
            "This organisation has not been approved yet; save the vacancy as a draft. "
            "A counsellor will approve the organisation.",
            "not_approved",
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
        query = query.where(
            contains(search, Vacancy.title, Vacancy.occupation, Organisation.name, Vacancy.postcode)
        )
    return query


def organisations_query(search: str | None = None):
    query = select(Organisation).order_by(func.lower(Organisation.name))
    if search:
        query = query.where(contains(search, Organisation.name, Organisation.city))
    return query


def consent_choices(known_ids: set[int]):
    """A select() of the employers a participant may consent to: the approved ones, and any
    they have consented to before (``known_ids``)."""
    return (
        select(Organisation)
        .where(Organisation.approved.is_(True) | Organisation.id.in_(known_ids))
        .order_by(func.lower(Organisation.name))
    )


def vacancy_choices():
    """A select() of all vacancies by employer and title (for a choice of vacancy)."""
    return select(Vacancy).join(Vacancy.organisation).order_by(Organisation.name, Vacancy.title)


def find_vacancy(vacancy_id: int) -> Vacancy | None:
    return db.session.get(Vacancy, vacancy_id)


_LEGAL_FORMS = re.compile(
    r"\b(gmbh|ag|kg|ohg|ug|e\.?\s?k|e\.?\s?v|gbr|mbh|co|haftungsbeschränkt|se|ltd|inc)\b\.?"
)


def _name_key(name: str) -> str:
    """A name without legal form, case, punctuation and spaces: "Hoffmann Bau GmbH" and
    "HOFFMANN-BAU gmbh & Co. KG" give the same key."""
    key = _LEGAL_FORMS.sub(" ", (name or "").lower())
    return re.sub(r"[\W_]+", "", key)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.") or None


def possible_duplicates(orgs: list[Organisation]) -> dict[int, list[Organisation]]:
    """For each organisation awaiting approval, others with the same name (without legal form)
    or the same website: shown to the counsellor before approving (self-registration lets
    anyone register any name)."""
    waiting = [o for o in orgs if not o.approved]
    if not waiting:
        return {}
    names = {_name_key(o.name) for o in waiting}
    hosts = {_host(o.website) for o in waiting} - {None}
    out: dict[int, list[Organisation]] = {}
    for other in db.session.scalars(select(Organisation).order_by(Organisation.id)):
        key, host = _name_key(other.name), _host(other.website)
        if key not in names and host not in hosts:
            continue
        for org in waiting:
            if other.id != org.id and (
                key == _name_key(org.name) or (host and host == _host(org.website))
            ):
                out.setdefault(org.id, []).append(other)
    return out
