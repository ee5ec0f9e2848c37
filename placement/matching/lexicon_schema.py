"""Lexicon schema: the entry types of data/lexicon/ and their validation.

Every error names the file and the entry id, so the people writing the lexicon can fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .textnorm import tokens

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster

LANGUAGES = ("de", "en", "uk", "ru", "ar", "fa", "tr", "pl", "ro", "es", "fr", "ti")
FIELDS = frozenset(
    [
        "care",
        "health",
        "education",
        "social",
        "construction",
        "craft",
        "manufacturing",
        "engineering",
        "it",
        "logistics",
        "transport",
        "hospitality",
        "food",
        "cleaning",
        "retail",
        "office",
        "agriculture",
        "security",
        "beauty",
        "media",
        "science",
    ]
)
OCCUPATION_KEYS = ("title_de", "title_en", "field", "family", "level", "kldb", "isco")
SKILL_KEYS = ("label_de", "label_en")
_ID = re.compile(r"[a-z0-9_]+")


class LexiconError(ValueError):
    """The lexicon data break the schema; the message names file and entry id."""


@dataclass(frozen=True)
class Occupation:
    """An occupation concept."""

    id: str
    title_de: str
    title_en: str
    field: str
    family: str
    level: int
    kldb: str
    isco: str
    regulated: bool
    skills: tuple[str, ...]
    terms: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Skill:
    """A cross-occupational skill concept (licence, tool, technique ...)."""

    id: str
    label_de: str
    label_en: str
    terms: dict[str, tuple[str, ...]]


def entry_error(path: Path, eid: object, msg: str) -> LexiconError:
    """An error naming the file and the entry id."""
    return LexiconError(f"{path}: entry {eid!r}: {msg}")


def _terms(path: Path, eid: str, entry: dict) -> dict[str, tuple[str, ...]]:
    terms = entry.get("terms")
    if not isinstance(terms, dict):
        raise entry_error(path, eid, "'terms' must be a mapping of language -> list")
    unknown = set(terms) - set(LANGUAGES)
    if unknown:
        raise entry_error(path, eid, f"unknown languages {sorted(unknown)}")
    out = {}
    for lang in LANGUAGES:
        values = terms.get(lang)
        if not values or not isinstance(values, list):
            raise entry_error(path, eid, f"terms.{lang} missing or empty")
        if not all(isinstance(t, str) and tokens(t) for t in values):
            raise entry_error(path, eid, f"terms.{lang} must be non-empty strings")
        out[lang] = tuple(values)
    return out


def read_entries(path: Path) -> list[dict]:
    """The entries of one YAML file, each a mapping with a valid id (else LexiconError)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: invalid YAML: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise LexiconError(f"{path}: top level must be a list of entries")
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise entry_error(path, f"#{i}", "entry must be a mapping")
        eid = entry.get("id")
        if not isinstance(eid, str) or not _ID.fullmatch(eid):
            raise entry_error(path, eid if eid is not None else f"#{i}", "id must match [a-z0-9_]+")
    return data


def parse_occupation(path: Path, e: dict) -> Occupation:
    """Validate one occupation entry (raises LexiconError naming file and id)."""
    eid = e["id"]
    for key in (*OCCUPATION_KEYS, "regulated", "skills", "terms"):
        if key not in e:
            raise entry_error(path, eid, f"missing field {key!r}")
    if e["field"] not in FIELDS:
        raise entry_error(path, eid, f"unknown field {e['field']!r}")
    if e["level"] not in (1, 2, 3, 4) or isinstance(e["level"], bool):
        raise entry_error(path, eid, f"level must be 1-4, got {e['level']!r}")
    if not re.fullmatch(r"\d{5}", str(e["kldb"])):
        raise entry_error(path, eid, f"kldb must be 5 digits, got {e['kldb']!r}")
    if not re.fullmatch(r"\d{1,4}", str(e["isco"]).strip()):
        raise entry_error(path, eid, f"isco must be an ISCO-08 code, got {e['isco']!r}")
    if not isinstance(e["regulated"], bool):
        raise entry_error(path, eid, "regulated must be true or false")
    if not isinstance(e["family"], str) or not _ID.fullmatch(e["family"]):
        raise entry_error(path, eid, "family must be a slug [a-z0-9_]+")
    skills = e["skills"]
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        raise entry_error(path, eid, "skills must be a list of strings")
    for key in ("title_de", "title_en"):
        if not isinstance(e[key], str) or not e[key].strip():
            raise entry_error(path, eid, f"{key} must be a non-empty string")
    return Occupation(
        id=eid,
        title_de=e["title_de"],
        title_en=e["title_en"],
        field=e["field"],
        family=e["family"],
        level=e["level"],
        kldb=str(e["kldb"]),
        isco=str(e["isco"]),
        regulated=e["regulated"],
        skills=tuple(skills),
        terms=_terms(path, eid, e),
    )


def parse_skill(path: Path, e: dict) -> Skill:
    """Validate one skill entry (raises LexiconError naming file and id)."""
    eid = e["id"]
    for key in (*SKILL_KEYS, "terms"):
        if not isinstance(e.get(key), str if key != "terms" else dict):
            raise entry_error(path, eid, f"missing or invalid field {key!r}")
    return Skill(eid, e["label_de"], e["label_en"], _terms(path, eid, e))
