"""Limits every entry path enforces (forms, import, CLI): lengths, list sizes, ranges, dates.

One table so that a value accepted by a form is accepted by an import, and the other way round;
the engine's analysis time is bounded by these lengths (issue 11, finding 1).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

MAX_LIST_ITEMS = 30  # skills, desired occupations
MAX_ITEM_LENGTH = 120  # one skill or occupation
MAX_PROFILE_TEXT = 10_000
MAX_DESCRIPTION = 20_000
MAX_WORD = 100  # longest word in any text (German compounds stay below; not a URL: "/" splits)
TEXT_LENGTHS = {
    "first_name": 100, "last_name": 100, "phone": 40, "email": 254, "title": 200,
    "occupation": 200, "profile": MAX_PROFILE_TEXT, "profile_text": MAX_PROFILE_TEXT,
    "description": MAX_DESCRIPTION, "language": 10, "id": 100, "employer": 200,
    "organisation": 200, "status": 20, "kind": 20, "work_permit": 40, "german_level": 10,
    "recognition": 40, "postcode": 5,
}  # fmt: skip
QUALIFICATION_LENGTHS = {"title": 200, "country": 2, "reference_occupation": 200,
                         "recognition": 40}  # fmt: skip
NUMBER_RANGES = {
    "max_commute_km": (1, 300), "hours_per_week": (1, 48), "radius_km": (1, 500),
    "duration_weeks": (1, 104), "phase": (4, 5), "year": (1950, 2100),
    "employees": (1, 1_000_000), "organisation_id": (1, 2**31 - 1), "level": (1, 4),
}  # fmt: skip
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
# C0 controls but tab, line feed, carriage return: never part of a text of ours.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LONG_WORD = re.compile(rf"\w{{{MAX_WORD + 1},}}")


@dataclass(frozen=True)
class Problem:
    """Why a value is not acceptable: a ``code`` with its ``params`` (and the ``field``, once
    known) for an app to word in its users' language, as the engine's RecordError has; ``str()``
    is the English the CLI says. Codes: "control_char", "multi_line", "too_long" (max_len),
    "long_word" (n), "too_many" (n), "out_of_range" (low, high), "date_range" (low, high),
    "not_country", "not_language" (value)."""

    code: str
    text: str
    field: str | None = None
    params: Mapping = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        return self.text

    def of(self, name: str, text: str) -> Problem:
        """The same problem, said of the field ``name``."""
        return replace(self, field=name, text=text)


def text_problem(value: str, max_length: int, free_text: bool = False) -> Problem | None:
    """Why a text is not acceptable, or None."""
    if CONTROL.search(value):
        return Problem("control_char", "contains a control character (such as NUL)")
    if not free_text and ("\n" in value or "\r" in value):
        return Problem("multi_line", "must be on one line")
    if len(value) > max_length:
        return Problem("too_long", f"is longer than {max_length} characters",
                       params={"max_len": max_length})  # fmt: skip
    if _LONG_WORD.search(value):
        return Problem("long_word", f"contains a word longer than {MAX_WORD} characters",
                       params={"n": MAX_WORD})  # fmt: skip
    return None


def list_problem(items: list[str]) -> Problem | None:
    """Why a list of short entries (skills, occupations) is not acceptable, or None."""
    if len(items) > MAX_LIST_ITEMS:
        return _too_many(MAX_LIST_ITEMS)
    for item in items:
        problem = text_problem(item, MAX_ITEM_LENGTH)
        if problem:
            entry = f"entry “{item[:30]}…”" if len(item) > 30 else f"“{item}”"
            return replace(problem, text=f"{entry} {problem}")
    return None


def _too_many(n: int) -> Problem:
    return Problem("too_many", f"has more than {n} entries", params={"n": n})


FREE_TEXT = {"profile", "profile_text", "description"}
LISTS = {"skills", "desired_occupations", "concepts", "current_concepts"}


def row_problem(row: dict) -> Problem | None:
    """Why a record (an import row, a record for `placement rank`) is not acceptable, or None:
    the limits a form applies, for every field of the row."""
    for key, value in row.items():
        problem = None
        if isinstance(value, str):
            free = key in FREE_TEXT or key not in TEXT_LENGTHS
            problem = text_problem(value, TEXT_LENGTHS.get(key, MAX_DESCRIPTION), free)
        elif key in LISTS and isinstance(value, list):
            problem = list_problem([str(v) for v in value])
        elif isinstance(value, int | float) and not isinstance(value, bool):
            problem = number_problem(key, value)
        elif key == "qualifications" and isinstance(value, list):
            if len(value) > 6:
                problem = _too_many(6)
            for item in value:
                if isinstance(item, dict) and (found := qualification_problem(item)):
                    return found
        elif key == "languages" and isinstance(value, list):
            if len(value) > 8:
                problem = _too_many(8)
            for item in value:
                for sub in item.values() if isinstance(item, dict) else ():
                    if isinstance(sub, str) and text_problem(sub, 10):
                        problem = Problem("not_language",
                                          f"entry {sub[:20]!r} is not a language code and level",
                                          params={"value": sub[:20]})  # fmt: skip
        if problem:
            return problem.of(key, f"{key!r} {problem}")
    return None


def qualification_problem(item: dict) -> Problem | None:
    for key, value in item.items():
        problem = None
        if isinstance(value, str):
            problem = text_problem(value, QUALIFICATION_LENGTHS.get(key, 200))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            problem = number_problem(key, value)
        if problem:
            return problem.of(f"qualification_{key}", f"qualification {key!r} {problem}")
    country = item.get("country")
    if country and not (isinstance(country, str) and re.fullmatch("[A-Za-z]{2}", country)):
        return Problem("not_country", "qualification 'country' must be a two-letter ISO code, "
                       "e.g. UA", "qualification_country")  # fmt: skip
    return None


def number_problem(key: str, value: float | int) -> Problem | None:
    low, high = NUMBER_RANGES.get(key, (-(2**31), 2**31 - 1))
    if not low <= value <= high:
        return Problem("out_of_range", f"must be between {low} and {high}",
                       params={"low": low, "high": high})  # fmt: skip
    return None


def date_problem(value: dt.date) -> Problem | None:
    if not FIRST_DATE <= value <= LAST_DATE:
        low, high = FIRST_DATE.year, LAST_DATE.year
        return Problem("date_range", f"must lie between {low} and {high}",
                       params={"low": low, "high": high})  # fmt: skip
    return None
