"""Engine records: the vacancy and candidate formats of `placement rank` (JSON Lines).

`from_dict` keeps only the fields the engine knows. Everything else a caller sends (name,
nationality, gender, age, religion, photo ...) is dropped here, so it can never reach a score.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
RECOGNITION_VALUES = ("recognised", "partial", "in_process", "none", "not_needed")
PERMIT_VALUES = ("any_work", "employment", "approval_required", "not_permitted")
VACANCY_KINDS = ("job", "internship", "qualification")


class RecordError(ValueError):
    """A record field has a wrong type or value; the message names the field.

    `code`, `field` and `params` say the same for an app to word in its users' language:
    "missing", "not_text", "not_list", "not_number", "negative", "not_whole", "not_bool",
    "not_one_of" (choices, value), "not_postcode" (value), "not_date" (value), or "invalid".
    """

    def __init__(self, message: str, code: str = "invalid", field: str | None = None, **params):
        super().__init__(message)
        self.code, self.field, self.params = code, field, params


def _str(d: dict, key: str, required: bool = False, default: str | None = None) -> str | None:
    value = d.get(key)
    if value is None:
        if required:
            raise RecordError(f"missing required field {key!r}", "missing", key)
        return default
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RecordError(f"{key!r} must be a string, got {type(value).__name__}", "not_text", key)
    return str(value)


def _str_list(d: dict, key: str) -> list[str]:
    value = d.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise RecordError(f"{key!r} must be a list of strings", "not_list", key)
    return [x.strip() for x in value if x.strip()]


def _opt_str_list(d: dict, key: str) -> list[str] | None:
    return _str_list(d, key) if d.get(key) is not None else None


def _number(d: dict, key: str, integer: bool = False) -> float | None:
    value = d.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(
            f"{key!r} must be a number, got {type(value).__name__}", "not_number", key
        )
    if value < 0:
        raise RecordError(f"{key!r} must not be negative", "negative", key)
    if integer:
        if int(value) != value:
            raise RecordError(f"{key!r} must be a whole number", "not_whole", key)
        return int(value)
    return float(value)


def _bool(d: dict, key: str, default: bool = False) -> bool:
    value = d.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise RecordError(f"{key!r} must be true or false", "not_bool", key)
    return value


def _cefr(d: dict, key: str) -> str | None:
    value = _str(d, key)
    if value is None or value == "":
        return None
    return _one_of(key, value.strip().upper(), CEFR_LEVELS, value)


def _choice(d: dict, key: str, choices: tuple[str, ...], default: str | None) -> str | None:
    value = _str(d, key)
    return default if value is None else _one_of(key, value, choices, value)


def _one_of(key: str, value: str, choices, written: str) -> str:
    """``value`` if it is one of ``choices``; else the error names what was ``written``."""
    if value not in choices:
        raise RecordError(
            f"{key!r} must be one of {', '.join(choices)}, got {written!r}",
            "not_one_of", key, choices=list(choices), value=written,
        )  # fmt: skip
    return value


def _postcode(d: dict, key: str) -> str | None:
    value = _str(d, key)
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if not value.isdigit() or len(value) > 5:
        raise RecordError(
            f"{key!r} must be a German postcode of up to 5 digits, got {value!r}",
            "not_postcode", key, value=value,
        )  # fmt: skip
    return value.zfill(5)


def _permit(d: dict) -> str | None:
    value = d.get("work_permit")
    if value is None:
        return None
    if isinstance(value, bool):
        return "any_work" if value else "not_permitted"
    return _choice(d, "work_permit", PERMIT_VALUES, None)


def _date(d: dict, key: str) -> dt.date | None:
    value = d.get(key)
    if value is None or isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise RecordError(f"{key!r} must be an ISO date string", "not_date", key, value=value)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RecordError(
            f"{key!r} must be an ISO date (YYYY-MM-DD), got {value!r}", "not_date", key, value=value
        ) from None


def _level(d: dict) -> int | None:
    value = _number(d, "level", integer=True)
    if value is not None and value not in (1, 2, 3, 4):
        raise RecordError("'level' must be a KldB requirement level 1-4")
    return value  # type: ignore[return-value]


def _require_dict(d: Any) -> dict:
    if not isinstance(d, dict):
        raise RecordError(f"a record must be a JSON object, got {type(d).__name__}")
    return d


def _to_dict(record: Any) -> dict:
    out = dataclasses.asdict(record)
    for key, value in out.items():
        if isinstance(value, dt.date):
            out[key] = value.isoformat()
    return out


@dataclass(frozen=True)
class VacancyRecord:
    """A job, internship or qualification offer, as the engine sees it."""

    id: str
    title: str
    description: str = ""
    kind: str = "job"
    skills: list[str] = field(default_factory=list)
    occupation: str | None = None
    german_level: str | None = None
    requires_recognition: bool = False
    postcode: str | None = None
    radius_km: float | None = None
    hours_per_week: float | None = None
    language: str | None = None
    concepts: list[str] | None = None  # counsellor's override of detected occupation concepts
    level: int | None = None  # KldB requirement level, if known

    @classmethod
    def from_dict(cls, d: dict) -> VacancyRecord:
        """Validate a vacancy dict; unknown keys are ignored. Raises RecordError."""
        d = _require_dict(d)
        return cls(
            id=_str(d, "id", required=True),  # type: ignore[arg-type]
            title=_str(d, "title", required=True),  # type: ignore[arg-type]
            description=_str(d, "description", default="") or "",
            kind=_choice(d, "kind", VACANCY_KINDS, "job") or "job",
            skills=_str_list(d, "skills"),
            occupation=_str(d, "occupation"),
            german_level=_cefr(d, "german_level"),
            requires_recognition=_bool(d, "requires_recognition"),
            postcode=_postcode(d, "postcode"),
            radius_km=_number(d, "radius_km"),
            hours_per_week=_number(d, "hours_per_week"),
            language=_str(d, "language"),
            concepts=_opt_str_list(d, "concepts"),
            level=_level(d),
        )

    def to_dict(self) -> dict:
        """JSON-safe dict in the JSON Lines format."""
        return _to_dict(self)

    def text(self) -> str:
        """The text the encoder sees: title, occupation, skills, description."""
        parts = [self.title, self.occupation or "", ", ".join(self.skills), self.description]
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class CandidateRecord:
    """A participant's profile, as the engine sees it (no protected attributes)."""

    id: str
    profile: str = ""
    skills: list[str] = field(default_factory=list)
    desired_occupations: list[str] = field(default_factory=list)
    german_level: str | None = None
    work_permit: str | None = None  # one of PERMIT_VALUES; None = not recorded
    recognition: str | None = None
    postcode: str | None = None
    max_commute_km: float | None = None
    hours_per_week: float | None = None
    phase: int | None = None
    language: str | None = None
    concepts: list[str] | None = None  # counsellor's correction of detected occupations
    permit_expires: dt.date | None = None
    current_concepts: list[str] | None = None  # phase 5: occupation of the current job

    @classmethod
    def from_dict(cls, d: dict) -> CandidateRecord:
        """Validate a candidate dict; unknown keys are ignored. Raises RecordError."""
        d = _require_dict(d)
        phase = _number(d, "phase", integer=True)
        if phase is not None and phase not in (4, 5):
            raise RecordError(f"'phase' must be 4 or 5, got {phase!r}", "not_one_of", "phase",
                              choices=[4, 5], value=phase)  # fmt: skip
        return cls(
            id=_str(d, "id", required=True),  # type: ignore[arg-type]
            profile=_str(d, "profile", default="") or "",
            skills=_str_list(d, "skills"),
            desired_occupations=_str_list(d, "desired_occupations"),
            german_level=_cefr(d, "german_level"),
            work_permit=_permit(d),
            recognition=_choice(d, "recognition", RECOGNITION_VALUES, None),
            postcode=_postcode(d, "postcode"),
            max_commute_km=_number(d, "max_commute_km"),
            hours_per_week=_number(d, "hours_per_week"),
            phase=phase,  # type: ignore[arg-type]
            language=_str(d, "language"),
            concepts=_opt_str_list(d, "concepts"),
            permit_expires=_date(d, "permit_expires"),
            current_concepts=_opt_str_list(d, "current_concepts"),
        )

    def to_dict(self) -> dict:
        """JSON-safe dict in the JSON Lines format."""
        return _to_dict(self)

    def text(self) -> str:
        """The text the encoder sees: desired occupations, skills, free profile text."""
        parts = [", ".join(self.desired_occupations), ", ".join(self.skills), self.profile]
        return "\n".join(p for p in parts if p)
