"""What a counsellor reviews on a match page: filters over a ranking and near misses.

Filters only narrow what is shown; they never change a score or the order.
"""

from __future__ import annotations

from dataclasses import dataclass

from placement.matches.services import Ranked
from placement.matching import MatchResult
from placement.vocab import CEFR_LEVELS


@dataclass
class MatchFilters:
    """The filters of a match page; None means "any"."""

    phase: int | None = None  # participants' phase (rankings for a vacancy)
    min_german: str | None = None  # participants' German level at least this
    max_km: float | None = None  # distance between the postcodes at most this
    kind: str | None = None  # job or internship (rankings for a participant)


def is_near_miss(result: MatchResult) -> bool:
    """Ineligible, but every unmet constraint is one step away (a course, a decision ...)."""
    failed = [c for c in result.constraints if not c.met]
    return bool(failed) and all(c.status == "near_miss" for c in failed)


def level_index(value: str | None) -> int:
    """A CEFR level's place (A1 = 0 ... C2 = 5); -1 for none."""
    return CEFR_LEVELS.index(value) if value in CEFR_LEVELS else -1


def keep(item: Ranked, f: MatchFilters) -> bool:
    """Whether a row passes the filters."""
    result, record = item.result, item.record
    if f.max_km is not None and (result.distance_km is None or result.distance_km > f.max_km):
        return False
    if f.phase is not None and getattr(record, "phase", None) != f.phase:
        return False
    level = level_index(getattr(record, "german_level", None))
    if f.min_german and level < level_index(f.min_german):
        return False
    return not (f.kind and getattr(record, "kind", None) != f.kind)
