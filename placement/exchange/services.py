"""Import (validate every row, then write all, the valid ones, or nothing) and export.

Rows are in the engine's JSON Lines format (placement/matching/records.py) plus app fields:
participants first_name, last_name, email, phone, languages, qualifications, earliest_start,
consent_matching, consent_contact; vacancies an employer (organisation id or name), status,
start_date, duration_weeks. The engine's validation is reused, so a file that imports also ranks.
Services take explicit arguments and only flush.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from placement import limits, vocab
from placement.accounts.models import User
from placement.audit.services import record
from placement.employers.models import Organisation, Vacancy
from placement.employers.services import create_vacancy
from placement.exchange import words
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
    # Every problem of the row, not the first; each with its code for the app to word.
    errors: list[RecordError] = field(default_factory=list)
    label: str = ""

    @property
    def error(self) -> str | None:
        return "; ".join(str(e) for e in self.errors) if self.errors else None


@dataclass
class Preview:
    kind: str
    rows: list[Row] = field(default_factory=list)

    @property
    def valid(self) -> list[Row]:
        return [r for r in self.rows if not r.errors]

    @property
    def invalid(self) -> list[Row]:
        return [r for r in self.rows if r.errors]


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
        message = f"{key!r} must be a date (31.12.2026 or 2026-12-31), got {value!r}"
        raise RecordError(message, "not_date", key, value=value) from None
    problem = limits.date_problem(date)
    if problem:
        raise coded(problem.of(key, f"{key!r} {problem}"))
    return date


def coded(problem: limits.Problem) -> RecordError:
    """A problem of placement/limits.py as the RecordError of its field, with its code."""
    return RecordError(str(problem), problem.code, problem.field, **problem.params)


def _limit_problems(row: dict):
    """(field, message) for every field of a row beyond the limits of placement/limits.py,
    the same a form applies: each field on its own, so that a row shows all its problems."""
    if str(row.get("id", "")).strip() == "":
        yield "id", RecordError("missing required field 'id'", "missing", "id")
    for key, value in row.items():
        problem = limits.row_problem({key: value})
        if problem:
            yield key, coded(problem)


def _languages(row: dict) -> list[dict]:
    items = row.get("languages") or []
    if not isinstance(items, list):
        raise RecordError("'languages' must be a list", "not_list", "languages")
    levels = {"native", *vocab.CEFR_LEVELS}
    for item in items:
        if not isinstance(item, dict) or not item.get("code") or item.get("level") not in levels:
            raise RecordError("each language needs a 'code' and a 'level' (A1-C2 or native)",
                              "language_entry", "languages")  # fmt: skip
    return [{"code": i["code"], "level": i["level"]} for i in items]


def _qualifications(row: dict) -> list[dict]:
    items = row.get("qualifications") or []
    if not isinstance(items, list):
        raise RecordError("'qualifications' must be a list", "not_list", "qualifications")
    out = []
    for item in items:
        if not isinstance(item, dict) or not item.get("title"):
            raise RecordError("each qualification needs a 'title'", "qualification_title",
                              "qualification_title")  # fmt: skip
        recognition = item.get("recognition") or "not_applied"
        recognition = "not_applied" if recognition == "none" else recognition
        if recognition not in vocab.RECOGNITION:
            raise RecordError(f"unknown recognition {recognition!r}", "not_one_of",
                              "qualification_recognition", choices=list(vocab.RECOGNITION),
                              value=recognition)  # fmt: skip
        year = item.get("year")
        if year is not None and not isinstance(year, int):
            raise RecordError("a qualification's 'year' must be a whole number", "not_whole",
                              "qualification_year")  # fmt: skip
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
        raise RecordError("missing required field 'work_permit'", "missing", "work_permit")
    email = _text(row, "email", 254)
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            raise RecordError(f"'email' is not a valid address: {email!r}", "not_email",
                              "email", value=email) from None  # fmt: skip
    problem = rec.permit_expires and limits.date_problem(rec.permit_expires)
    if problem:
        raise coded(problem.of("permit_expires", f"'permit_expires' {problem}"))
    consent_contact = row.get("consent_contact", row.get("consent_share_default", False))
    for key, value in (
        ("consent_matching", row.get("consent_matching", False)),
        ("consent_contact", consent_contact),
    ):
        if not isinstance(value, bool):
            raise RecordError(f"{key!r} must be true or false", "not_bool", key)
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
        raise RecordError("missing employer: give an 'employer' (name or id) or 'organisation_id'",
                          "missing_employer", "employer")  # fmt: skip
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
                              "give 'organisation_id' instead", "ambiguous_employer", "employer",
                              n=len(named), value=key, ids=ids)  # fmt: skip
        org = named[0] if named else None
    if org is None:
        raise RecordError(f"unknown employer {key!r}", "unknown_employer", "employer", value=key)
    return org


def _vacancy(row: dict) -> dict:
    rec = VacancyRecord.from_dict(row)
    if rec.kind not in vocab.VACANCY_KINDS:
        raise RecordError(
            f"'kind' must be one of {', '.join(vocab.VACANCY_KINDS)}",
            "not_one_of", "kind", choices=list(vocab.VACANCY_KINDS), value=rec.kind,
        )  # fmt: skip
    for key, missing in (("description", not rec.description.strip()),
                         ("postcode", rec.postcode is None),
                         ("hours_per_week", rec.hours_per_week is None)):  # fmt: skip
        if missing:
            raise RecordError(f"missing required field {key!r}", "missing", key)
    duration = row.get("duration_weeks")
    if duration is not None and (not isinstance(duration, int) or isinstance(duration, bool)):
        raise RecordError("'duration_weeks' must be a whole number", "not_whole", "duration_weeks")
    if rec.kind == "internship" and not duration:
        raise RecordError("an internship needs 'duration_weeks'", "internship_duration",
                          "duration_weeks")  # fmt: skip
    status = row.get("status") or "draft"
    if status not in vocab.VACANCY_STATUSES:
        raise RecordError(
            f"'status' must be one of {', '.join(vocab.VACANCY_STATUSES)}",
            "not_one_of", "status", choices=list(vocab.VACANCY_STATUSES), value=status,
        )  # fmt: skip
    org = _organisation(row)
    if status == "published" and not org.approved:
        raise RecordError(f"{org.name} is not approved yet: import the vacancy as a draft",
                          "not_approved", "employer", value=org.name)  # fmt: skip
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


# Values that stand in for a field already reported, so that checking goes on to the next
# field and a row shows all its problems at once; a row with a problem is never written.
STAND_INS = {"id": "x", "first_name": "x", "last_name": "x", "work_permit": "employment",
             "title": "x", "description": "x", "postcode": "10115", "hours_per_week": 1,
             "duration_weeks": 1, "kind": "job", "status": "draft"}  # fmt: skip
_QUOTED = re.compile(r"'(\w+)'")


def _field_of(message: str, row: dict) -> str | None:
    """The field a RecordError message is about (its first quoted field name)."""
    if "qualification" in message or message.startswith("unknown recognition"):
        return "qualifications"
    if "language" in message:
        return "languages"
    for name in _QUOTED.findall(message):
        if name in row or name in STAND_INS:
            return name
    return None


def _set_aside(row: dict, key: str) -> None:
    if key in STAND_INS:
        row[key] = STAND_INS[key]
    else:
        row.pop(key, None)
        if key == "employer":
            row.pop("organisation_id", None)
            row.pop("organisation", None)


def _choice_problems(row: dict, language: str):
    """A value written in words that matches none of a column's words: named with the words
    allowed (the engine would name its codes)."""
    for key, allowed in words.CHOICES.items():
        value = row.get(key)
        if key.startswith("qualification") or value in (None, "") or value in allowed:
            continue
        shown = [(de if language == "de" else en)[0] for de, en in allowed.values()]
        message = f"{key!r} must be one of: {', '.join(shown)}; got {value!r}"
        yield key, RecordError(message, "not_one_of", key, choices=shown, value=value)


def _check_all(check, raw: dict, language: str) -> tuple[dict | None, list[RecordError]]:
    """Every problem of a row: the limits and words of each field, then the domain check,
    again and again with each reported field set aside, until it passes or names nothing new."""
    row, errors, handled = dict(raw), [], set()
    for key, message in [*_limit_problems(row), *_choice_problems(row, language)]:
        errors.append(message)
        handled.add(key)
        _set_aside(row, key)
    while True:
        try:
            data = check(row)
        except RecordError as exc:
            errors.append(exc)
            key = _field_of(str(exc), row)
            if key is None or key in handled:
                return None, errors
            handled.add(key)
            _set_aside(row, key)
        else:
            return (None if errors else data), errors


def validate(
    kind: str, rows: list[tuple[int, dict | None, RecordError | None]], language: str = "en"
) -> Preview:
    """Check every row, including ids already used in the database or earlier in the file;
    a row's problems are all listed, not only the first."""
    model, check = (Participant, _participant) if kind == "participants" else (Vacancy, _vacancy)
    preview, seen = Preview(kind), set()
    for line, raw, error in rows:
        row = Row(line, errors=[error] if error else [])
        if error is None:
            row.data, row.errors = _check_all(check, raw, language)
            ref = str(raw.get("id", "")).strip()
            if ref and ref in seen:
                message = f"id {ref!r} appears twice in the file"
                row.errors.append(RecordError(message, "duplicate_id", "id", value=ref))
            elif ref and db.session.scalar(select(model.id).where(model.external_ref == ref)):
                message = f"id {ref!r} has been imported already"
                row.errors.append(RecordError(message, "imported_id", "id", value=ref))
            seen.add(ref)
            if row.errors:
                row.data = None
            else:
                row.label = row.data.get("title") or (
                    f"{row.data['first_name']} {row.data['last_name']}"
                )
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
