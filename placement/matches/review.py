"""What a counsellor reviews on a match page: near misses and next steps.

The page's filters (`services.MatchWhere`) narrow the ranking the engine makes; they never change
a score or the order.
"""

from __future__ import annotations

from placement.matching import MatchResult


def is_near_miss(result: MatchResult) -> bool:
    """Ineligible, but every unmet constraint is one step away (a course, a decision ...)."""
    failed = [c for c in result.constraints if not c.met]
    return bool(failed) and all(c.status == "near_miss" for c in failed)


def next_steps(result: MatchResult) -> list[str]:
    """What would close the gap or must be done: the next step of each unmet or flagged check."""
    return [c.next_step for c in result.constraints if c.next_step and c.status != "met"]
