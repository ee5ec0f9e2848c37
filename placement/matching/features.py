"""What the constraints and the score parts read of one record: its `Features`, derived once.

A record's Features are derived from its Side (lexicon concepts, ESCO occupations, skills,
tokens) and its embedded text; the Side itself can go. The constraint fields (German level,
permit, place, hours, ...) are read from the record alone (`constraint_fields`), so records
that differ only in them share everything else.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from dataclasses import dataclass, field

import numpy as np

from .geo import Postcodes
from .lexicon import Lexicon
from .records import CEFR_LEVELS, CandidateRecord, VacancyRecord
from .scoring import TYPICAL_MIN_WEIGHT, Side, _families, _level_of
from .textnorm import normalise

_PERMIT = {None: 0, "any_work": 1, "employment": 1, "approval_required": 2, "not_permitted": 3}
_RECOGNITION = {None: -1, "recognised": 0, "not_needed": 0, "partial": 1, "in_process": 2}
_KINDS = {"job": 0, "internship": 1, "qualification": 2}


def _level_index(level: str | None) -> int:
    return CEFR_LEVELS.index(level) if level in CEFR_LEVELS else -1


def _nan(x: float | None) -> float:
    return np.nan if x is None else float(x)


@dataclass(slots=True)
class Features:
    """What the constraints and the score parts need of one record (its Side can go)."""

    id: str
    kind: str  # "vacancy" or "candidate"
    text: str  # what the encoder sees (record text and lexicon bridge)
    german: int
    lat: float
    lon: float
    hours: float
    concepts: dict[str, float]  # vacancy: its concepts; candidate: those the concept part uses
    esco: dict[str, float]
    level: int  # vacancy: required level; candidate: level of the phase part (-1 = unknown)
    families: frozenset[str]
    # vacancy only
    requires_recognition: bool = False
    vkind: int = 0
    radius: float = np.nan
    skills: list[str] = field(default_factory=list)
    skill_ids: list[frozenset[str]] = field(default_factory=list)  # concepts in each skill
    uncovered: list[str] = field(default_factory=list)  # skill concepts beyond listed skills
    # candidate only
    permit: int = 0
    recognition: int = -1
    max_commute: float = np.nan
    expires: int | None = None  # ordinal day
    phase: int = 0
    typical: frozenset[str] = frozenset()  # lexicon concepts lending their typical skills
    skill_concepts: frozenset[str] = frozenset()
    listed: tuple[str, ...] = ()  # normalised listed skills
    words: tuple[str, ...] = ()  # the text's distinct tokens
    # each ESCO occupation's signal scores (what explaining a pair shows): the record's Side
    # is made of its Features without searching ESCO again; None in Features stored without them
    esco_signals: dict[str, dict[str, float]] | None = None


_SETS = ("families", "typical", "skill_concepts")
_TUPLES = ("listed", "words")
_FLOATS = ("lat", "lon", "hours", "radius", "max_commute")


def features_to_dict(f: Features) -> dict:
    """JSON-safe dict of Features (NaN as None, sets as sorted lists), for a feature store."""
    out = dataclasses.asdict(f)
    for key in _SETS:
        out[key] = sorted(out[key])
    for key in _TUPLES:
        out[key] = list(out[key])
    for key in _FLOATS:
        out[key] = None if math.isnan(out[key]) else out[key]
    out["skill_ids"] = [sorted(ids) for ids in f.skill_ids]
    return out


def features_from_dict(d: dict) -> Features:
    """The inverse of `features_to_dict`."""
    d = dict(d)
    for key in _SETS:
        d[key] = frozenset(d[key])
    for key in _TUPLES:
        d[key] = tuple(sys.intern(x) for x in d[key])
    for key in _FLOATS:
        d[key] = np.nan if d[key] is None else float(d[key])
    d["skill_ids"] = [frozenset(ids) for ids in d["skill_ids"]]
    return Features(**d)


def constraint_fields(record: VacancyRecord | CandidateRecord, postcodes: Postcodes) -> dict:
    """The Features fields read from the record alone (id, constraints), not from its Side."""
    point = postcodes.get(record.postcode)
    lat, lon = point if point is not None else (np.nan, np.nan)
    common = {
        "id": record.id,
        "german": _level_index(record.german_level),
        "lat": lat,
        "lon": lon,
        "hours": _nan(record.hours_per_week),
    }
    if isinstance(record, VacancyRecord):
        return {
            **common,
            "requires_recognition": record.requires_recognition,
            "vkind": _KINDS.get(record.kind, 0),
            "radius": _nan(record.radius_km),
        }
    return {
        **common,
        "permit": _PERMIT.get(record.work_permit, 0),
        "recognition": _RECOGNITION.get(record.recognition, 3),
        "max_commute": _nan(record.max_commute_km),
        "expires": record.permit_expires.toordinal() if record.permit_expires else None,
        "phase": record.phase or 0,
    }


def with_fields(f: Features, record: VacancyRecord | CandidateRecord, postcodes: Postcodes):
    """The Features of `record`, which differs from the one `f` was derived of only in the
    constraint fields (and, for a candidate without current occupations, in its phase)."""
    return dataclasses.replace(f, **constraint_fields(record, postcodes))


def features(
    lex: Lexicon,
    postcodes: Postcodes,
    record: VacancyRecord | CandidateRecord,
    side: Side,
    text: str,
) -> Features:
    """The Features of a record, from its Side (ESCO occupations detected) and embedded text."""
    common = {
        **constraint_fields(record, postcodes),
        "text": text,
        "esco": dict(side.esco or {}),
        "esco_signals": {k: dict(side.esco_signals.get(k, {})) for k in side.esco or {}},
    }
    if isinstance(record, VacancyRecord):
        covered = set().union(*side.listed_skill_ids) if side.listed_skill_ids else set()
        return Features(
            **common,
            kind="vacancy",
            concepts=dict(side.concepts),
            level=_or_minus(record.level or _level_of(lex, side.concepts, side)),
            families=_families(lex, side.concepts),
            skills=list(record.skills),
            skill_ids=list(side.listed_skill_ids),
            uncovered=[s for s in side.skill_concepts if s not in covered],
        )
    # as scoring.concept_part (current job counts in phase 5) and phase_part (in any phase)
    current = record.current_concepts
    cands = side.concepts
    if record.phase == 5 and current:
        cands = {**side.concepts, **dict.fromkeys(current, 1.0)}
    base = dict.fromkeys(current, 1.0) if current else side.concepts
    return Features(
        **common,
        kind="candidate",
        concepts=dict(cands),
        level=_or_minus(_level_of(lex, base, None if current else side)),
        families=_families(lex, base),
        typical=frozenset(
            k for k, w in side.concepts.items() if w >= TYPICAL_MIN_WEIGHT and k in lex.occupations
        ),
        skill_concepts=frozenset(side.skill_concepts),
        listed=tuple(dict.fromkeys(normalise(s).strip() for s in side.listed_skills)),
        words=tuple(sorted({sys.intern(t) for t in side.tokens})),
    )


def _or_minus(level: int | None) -> int:
    return -1 if level is None else int(level)
