"""Occupations the engine sees in a profile or vacancy, and the counsellor's correction of them.

Detection is the engine's own (`candidate_side` / `vacancy_side` on the records the matcher
ranks), so what a counsellor sees here is what the ranking uses. A correction is a list of
lexicon concept ids and "esco:<id>" ids of ESCO occupations stored on the record; the adapter in
services.py hands it to the engine, which then uses it instead of detection.
Beneath the lexicon's occupations, the engine maps every record onto ESCO occupations with a
confidence (`Matcher.detect_occupations`); those not already standing behind a detected lexicon
concept are shown and can be chosen the same way.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

from placement.audit.services import record as audit
from placement.employers.models import Vacancy
from placement.extensions import db
from placement.matches import services
from placement.matches.services import candidate_record, shipped_lexicon, vacancy_record
from placement.matching import Lexicon
from placement.matching.esco import ESCO_PREFIX, Esco
from placement.matching.scoring import candidate_side, vacancy_side
from placement.matching.textnorm import normalise
from placement.participants.models import Participant

SEARCH_LIMIT = 25


class Concept(NamedTuple):
    """An occupation concept as shown to a counsellor; weight 1.0 for a correction."""

    id: str
    title_de: str
    title_en: str
    level: int | None
    weight: float
    source: str = "lexicon"  # or "esco"


class ConceptError(ValueError):
    """A correction that cannot be saved; `unknown` lists ids missing from the lexicon (empty
    when no id was given at all)."""

    def __init__(self, message: str, unknown: list[str] | None = None):
        super().__init__(message)
        self.unknown = unknown or []


def lexicon() -> Lexicon:
    """The shipped lexicon, the same copy the matcher uses."""
    return shipped_lexicon()


def _subject(item: Participant | Vacancy) -> str:
    return "participant" if isinstance(item, Participant) else "vacancy"


def esco() -> Esco:
    """The ESCO catalogue of the matcher's occupation index (empty when the layer is off)."""
    return services.get_matcher().prepare().occupations_.esco


def _concept(lex: Lexicon, cid: str, weight: float) -> Concept:
    if cid.startswith(ESCO_PREFIX):
        occ = esco().occupations.get(cid[len(ESCO_PREFIX) :])
        if occ is None:
            return Concept(cid, cid, cid, None, weight, "esco")
        return Concept(cid, occ.title_de, occ.title_en, occ.level, weight, "esco")
    occ = lex.occupations.get(cid)
    if occ is None:  # an id a later lexicon dropped: still shown, so it can be removed
        return Concept(cid, cid, cid, None, weight)
    return Concept(cid, occ.title_de, occ.title_en, occ.level, weight)


def concept(cid: str) -> Concept:
    """One occupation of the lexicon by id (an unknown id is shown as itself)."""
    return _concept(lexicon(), cid, 1.0)


def detected_concepts(item: Participant | Vacancy) -> list[Concept]:
    """What the engine detects in the record's texts, strongest first, ignoring any correction."""
    lex = lexicon()
    if isinstance(item, Participant):
        side = candidate_side(lex, dataclasses.replace(candidate_record(item), concepts=None))
    else:
        side = vacancy_side(lex, dataclasses.replace(vacancy_record(item), concepts=None))
    ranked = sorted(side.concepts.items(), key=lambda kv: (-kv[1], kv[0]))
    found = [_concept(lex, cid, weight) for cid, weight in ranked]
    return found + _detected_esco(item, set(side.concepts))


def _detected_esco(item: Participant | Vacancy, lexicon_ids: set[str]) -> list[Concept]:
    """ESCO occupations the matcher detects, except those linked to a detected lexicon concept."""
    matcher = services.get_matcher().prepare()
    if not len(matcher.occupations_):
        return []
    if isinstance(item, Participant):
        record = dataclasses.replace(candidate_record(item), concepts=None)
    else:
        record = dataclasses.replace(vacancy_record(item), concepts=None)
    (side,) = matcher.detect_occupations([record])
    links = matcher.lexicon_links()
    linked = {links[c] for c in lexicon_ids if c in links}
    return [
        _concept(lexicon(), ESCO_PREFIX + oid, weight)
        for oid, weight in (side.esco or {}).items()
        if oid not in linked
    ]


def corrected_concepts(item: Participant | Vacancy) -> list[Concept] | None:
    """The counsellor's correction, or None while detection is used."""
    if not item.concepts:  # the adapter treats an empty list as "no correction" too
        return None
    lex = lexicon()
    return [_concept(lex, cid, 1.0) for cid in item.concepts]


def search_concepts(query: str | None, limit: int = SEARCH_LIMIT) -> list[Concept]:
    """Lexicon occupations, then ESCO occupations, whose German or English title (or id)
    contains every query word."""
    words = normalise(query or "").split()
    if not words:
        return []
    lex = lexicon()
    found = []
    for occ in lex.occupations.values():
        haystack = normalise(f"{occ.title_de} {occ.title_en} {occ.id.replace('_', ' ')}")
        if all(word in haystack for word in words):
            found.append(_concept(lex, occ.id, 1.0))
    found.sort(key=lambda c: c.title_de.casefold())
    if len(found) < limit:
        more = []
        for occ in esco().occupations.values():
            haystack = normalise(" ".join((*occ.labels.get("de", ()), occ.title_en)))
            if all(word in haystack for word in words):
                more.append(_concept(lex, ESCO_PREFIX + occ.id, 1.0))
        found += sorted(more, key=lambda c: c.title_de.casefold())
    return found[:limit]


def set_concepts(item: Participant | Vacancy, ids: list[str], actor) -> list[str]:
    """Store a correction of the record's occupations; every id must be in the lexicon or,
    as "esco:<id>", in the ESCO catalogue.

    Raises ConceptError for unknown ids or an empty list (use `clear_concepts` to go back to
    detection). Audit-logged as "<participant|vacancy>.concepts". Only flushes.
    """
    cleaned = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))
    if not cleaned:
        raise ConceptError(
            "Choose at least one occupation, or reset to automatic detection instead."
        )
    catalogue = esco().occupations
    unknown = [
        i
        for i in cleaned
        if i not in lexicon().occupations
        and not (i.startswith(ESCO_PREFIX) and i[len(ESCO_PREFIX) :] in catalogue)
    ]
    if unknown:
        raise ConceptError(f"Unknown occupation concept: {', '.join(unknown)}", unknown)
    previous = list(item.concepts) if item.concepts else None
    item.concepts = cleaned
    subject = _subject(item)
    audit(actor, f"{subject}.concepts", subject, item.id, concepts=cleaned, previous=previous)
    db.session.flush()
    return cleaned


def clear_concepts(item: Participant | Vacancy, actor) -> bool:
    """Drop the correction: the engine detects occupations again. False if none was active."""
    if not item.concepts:
        item.concepts = None
        return False
    previous = list(item.concepts)
    item.concepts = None
    subject = _subject(item)
    audit(actor, f"{subject}.concepts", subject, item.id, concepts=None, previous=previous)
    db.session.flush()
    return True
