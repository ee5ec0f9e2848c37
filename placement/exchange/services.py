"""Import (validate every row, then write all, the valid ones, or nothing) and export.

Rows are in the engine's JSON Lines format (placement/matching/records.py) plus app fields:
participants first_name, last_name, email, phone, languages, qualifications, earliest_start,
consent_matching, consent_contact; vacancies an employer (organisation id or name), status,
start_date, duration_weeks. The engine's validation is reused, so a file that imports also ranks.
Services take explicit arguments and only flush.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from placement import limits, vocab
from placement.accounts.models import User
from placement.audit.services import record
from placement.employers.models import Organisation, Vacancy
from placement.employers.services import create_vacancy
from placement.extensions import db
from placement.matches.services import candidate_record, vacancy_record
from placement.matching import CandidateRecord, RecordError, VacancyRecord
from placement.participants.models import Participant
from placement.participants.services import create_participant

KINDS = ("participants", "vacancies")


@dataclass
class Row:
    line: int
    data: dict | None = None  # the validated data the services take
    error: str | None = None
    label: str = ""
    problem: RecordError | None = None  # the error with its code, for the app to word


@dataclass
class Preview:
    kind: str
    rows: list[Row] = field(default_factory=list)

    @property
    def valid(self) -> list[Row]:
        return [r for r in self.rows if r.error is None]

    @property
    def invalid(self) -> list[Row]:
        return [r for r in self.rows if r.error is not None]


def _text(row: dict, key: str, max_len: int, required: bool = False) -> str | None:
    value = row.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RecordError(f"missing required field {key!r}", "missing", key)
        return None
    if not isinstance(value, str):
        raise RecordError(f"{key!r} must be a string", "not_text", key)
    if len(value.strip()) > max_len:
        raise RecordError(
            f"{key!r} is longer than {max_len} characters", "too_long", key, max_len=max_len
        )
    return value.strip()


def _date(row: dict, key: str) -> dt.date | None:
    value = row.get(key)
    if value in (None, ""):
        return None
    try:
        date = dt.date.fromisoformat(str(value))
    except ValueError:
        raise RecordError(
            f"{key!r} must be an ISO date (YYYY-MM-DD), got {value!r}", "not_date", key, value=value
        ) from None
    problem = limits.date_problem(date)
    if problem:
        raise RecordError(f"{key!r} {problem}")
    return date


def _check_limits(row: dict) -> None:
    """The limits of placement/limits.py, the same a form applies, for every field of a row."""
    if str(row.get("id", "")).strip() == "":
        raise RecordError("missing required field 'id'")
    problem = limits.row_problem(row)
    if problem:
        raise RecordError(problem)


def _languages(row: dict) -> list[dict]:
    items = row.get("languages") or []
    if not isinstance(items, list):
        raise RecordError("'languages' must be a list")
    levels = {"native", *vocab.CEFR_LEVELS}
    for item in items:
        if not isinstance(item, dict) or not item.get("code") or item.get("level") not in levels:
            raise RecordError("each language needs a 'code' and a 'level' (A1-C2 or native)")
    return [{"code": i["code"], "level": i["level"]} for i in items]


def _qualifications(row: dict) -> list[dict]:
    items = row.get("qualifications") or []
    if not isinstance(items, list):
        raise RecordError("'qualifications' must be a list")
    out = []
    for item in items:
        if not isinstance(item, dict) or not item.get("title"):
            raise RecordError("each qualification needs a 'title'")
        recognition = item.get("recognition") or "not_applied"
        recognition = "not_applied" if recognition == "none" else recognition
        if recognition not in vocab.RECOGNITION:
            raise RecordError(f"unknown recognition {recognition!r}")
        year = item.get("year")
        if year is not None and not isinstance(year, int):
            raise RecordError("a qualification's 'year' must be a whole number")
        country = item.get("country")
        out.append(
            {
                "title": str(item["title"])[:200],
                "country": country.upper() if isinstance(country, str) else None,
                "year": year,
                "recognition": recognition,
                "reference_occupation": item.get("reference_occupation"),
            }
        )
    return out


def _participant(row: dict) -> dict:
    rec = CandidateRecord.from_dict(row)
    if rec.work_permit is None:
        raise RecordError(
            f"missing required field 'work_permit' ({', '.join(vocab.WORK_PERMITS)})",
            "missing", "work_permit", choices=list(vocab.WORK_PERMITS),
        )  # fmt: skip
    email = _text(row, "email", 254)
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            raise RecordError(f"'email' is not a valid address: {email!r}") from None
    if rec.permit_expires and limits.date_problem(rec.permit_expires):
        raise RecordError(f"'permit_expires' {limits.date_problem(rec.permit_expires)}")
    consent_contact = row.get("consent_contact", row.get("consent_share_default", False))
    for key, value in (
        ("consent_matching", row.get("consent_matching", False)),
        ("consent_contact", consent_contact),
    ):
        if not isinstance(value, bool):
            raise RecordError(f"{key!r} must be true or false")
    return {
        "external_ref": rec.id,
        "first_name": _text(row, "first_name", 100, required=True),
        "last_name": _text(row, "last_name", 100, required=True),
        "email": email,
        "phone": _text(row, "phone", 40),
        "languages": _languages(row),
        "german_level": rec.german_level,
        "work_permit": rec.work_permit,
        "permit_expires": rec.permit_expires,
        "skills": rec.skills,
        "desired_occupations": rec.desired_occupations,
        "profile_text": rec.profile,
        "profile_language": rec.language,
        "postcode": rec.postcode,
        "max_commute_km": None if rec.max_commute_km is None else int(rec.max_commute_km),
        "hours_per_week": None if rec.hours_per_week is None else int(rec.hours_per_week),
        "earliest_start": _date(row, "earliest_start"),
        "phase": rec.phase or 4,
        "qualifications": _qualifications(row),
        "concepts": rec.concepts,
        "consent_matching": row.get("consent_matching", False),
        "consent_contact": consent_contact,
    }


def _organisation(row: dict) -> Organisation:
    key = row.get("organisation_id", row.get("employer", row.get("organisation")))
    if key in (None, ""):
        raise RecordError("missing employer: give an 'employer' (name or id) or 'organisation_id'")
    org = None
    if isinstance(key, int) or (isinstance(key, str) and key.strip().isdigit()):
        org = db.session.get(Organisation, int(key))
    elif isinstance(key, str):
        named = db.session.scalars(
            select(Organisation).where(func.lower(Organisation.name) == key.strip().lower())
        ).all()
        if len(named) > 1:
            ids = ", ".join(str(o.id) for o in named)
            raise RecordError(f"{len(named)} employers are named {key!r} (ids {ids}): "
                              "give 'organisation_id' instead")  # fmt: skip
        org = named[0] if named else None
    if org is None:
        raise RecordError(f"unknown employer {key!r}")
    return org


def _vacancy(row: dict) -> dict:
    rec = VacancyRecord.from_dict(row)
    if rec.kind not in vocab.VACANCY_KINDS:
        raise RecordError(f"'kind' must be one of {', '.join(vocab.VACANCY_KINDS)}")
    if not rec.description.strip():
        raise RecordError("missing required field 'description'")
    if rec.postcode is None:
        raise RecordError("missing required field 'postcode'")
    if rec.hours_per_week is None:
        raise RecordError("missing required field 'hours_per_week'")
    duration = row.get("duration_weeks")
    if duration is not None and (not isinstance(duration, int) or isinstance(duration, bool)):
        raise RecordError("'duration_weeks' must be a whole number")
    if rec.kind == "internship" and not duration:
        raise RecordError("an internship needs 'duration_weeks'")
    status = row.get("status") or "draft"
    if status not in vocab.VACANCY_STATUSES:
        raise RecordError(f"'status' must be one of {', '.join(vocab.VACANCY_STATUSES)}")
    org = _organisation(row)
    if status == "published" and not org.approved:
        raise RecordError(f"{org.name} is not approved yet: import the vacancy as a draft")
    return {
        "external_ref": rec.id,
        "organisation_id": org.id,
        "kind": rec.kind,
        "title": _text(row, "title", 200, required=True),
        "description": rec.description,
        "occupation": rec.occupation,
        "skills": rec.skills,
        "german_level": rec.german_level,
        "requires_recognition": rec.requires_recognition,
        "postcode": rec.postcode,
        "radius_km": None if rec.radius_km is None else int(rec.radius_km),
        "hours_per_week": int(rec.hours_per_week),
        "start_date": _date(row, "start_date"),
        "duration_weeks": duration,
        "status": status,
        "language": rec.language or "de",
        "concepts": rec.concepts,
    }


def validate(kind: str, rows: list[tuple[int, dict | None, str | None]]) -> Preview:
    """Check every row, including ids already used in the database or earlier in the file."""
    model, check = (Participant, _participant) if kind == "participants" else (Vacancy, _vacancy)
    preview, seen = Preview(kind), set()
    for line, raw, error in rows:
        row = Row(line, error=error)
        if error is None:
            try:
                _check_limits(raw)
                row.data = check(raw)
                ref = row.data["external_ref"]
                if ref in seen:
                    raise RecordError(f"id {ref!r} appears twice in the file")
                if db.session.scalar(select(model.id).where(model.external_ref == ref)):
                    raise RecordError(f"id {ref!r} has been imported already")
                seen.add(ref)
                row.label = row.data.get("title") or (
                    f"{row.data['first_name']} {row.data['last_name']}"
                )
            except RecordError as exc:
                row.data, row.error, row.problem = None, str(exc), exc
        preview.rows.append(row)
    return preview


def write(preview: Preview, actor: User, all_or_nothing: bool) -> int:
    """Write the valid rows (none at all if ``all_or_nothing`` and a row is invalid)."""
    if all_or_nothing and preview.invalid:
        return 0
    for row in preview.valid:
        data = dict(row.data)
        ref, concepts = data.pop("external_ref"), data.pop("concepts")
        if preview.kind == "participants":
            item = create_participant(data, counsellor=actor)
        else:
            org = db.session.get(Organisation, data.pop("organisation_id"))
            item = create_vacancy(org, data, actor)
        item.external_ref, item.concepts = ref, concepts
    db.session.flush()
    record(
        actor,
        f"import.{preview.kind}",
        "import",
        None,
        written=len(preview.valid),
        invalid=len(preview.invalid),
    )
    return len(preview.valid)


def export_participants() -> list[dict]:
    """Participants in the engine's format plus the app fields import reads (no protected
    attributes: none are stored)."""
    rows = []
    for p in db.session.scalars(select(Participant).order_by(Participant.id)):
        row = candidate_record(p).to_dict()
        row["id"] = p.external_ref or f"p{p.id}"
        row.pop("current_concepts", None)
        row.update(
            first_name=p.first_name,
            last_name=p.last_name,
            email=p.email,
            phone=p.phone,
            languages=p.languages or [],
            earliest_start=p.earliest_start and p.earliest_start.isoformat(),
            consent_matching=p.consent_matching,
            consent_contact=p.consent_contact,
            qualifications=[
                {
                    k: getattr(q, k)
                    for k in ("title", "country", "year", "recognition", "reference_occupation")
                }
                for q in p.qualifications
            ],
        )
        rows.append(row)
    return rows


def export_vacancies() -> list[dict]:
    rows = []
    for v in db.session.scalars(select(Vacancy).order_by(Vacancy.id)):
        row = vacancy_record(v).to_dict()
        row["id"] = v.external_ref or f"v{v.id}"
        row.update(
            employer=v.organisation.name,
            organisation_id=v.organisation_id,
            status=v.status,
            start_date=v.start_date and v.start_date.isoformat(),
            duration_weeks=v.duration_weeks,
        )
        rows.append(row)
    return rows
