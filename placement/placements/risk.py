"""Risk signals of a placement: what they mean for its risk level and its next follow-up.

Risk alerts the counsellor to a job in danger; it is never an automated score on the person.
The level follows the latest follow-up's signals plus what the record shows on its own (a
residence document expiring within 90 days).
"""

from __future__ import annotations

from datetime import date, timedelta

from placement.vocab import HIGH_SIGNALS, RISK_SIGNALS

PERMIT_WARNING_DAYS = 90
# How soon the next follow-up must come at each level (None: the schedule stands).
NEXT_WITHIN_DAYS = {"high": 14, "medium": 30, "low": None}


def automatic_signals(participant, today: date) -> list[str]:
    """Signals read from the record itself: the residence document expires within 90 days."""
    expires = participant.permit_expires
    if expires is not None and expires <= today + timedelta(days=PERMIT_WARNING_DAYS):
        return ["permit_expiring"]
    return []


def risk_level(signals: list[str]) -> str:
    """One serious signal (conflict, attendance, probation ...) or two others = high."""
    known = [s for s in dict.fromkeys(signals) if s in RISK_SIGNALS]
    if any(s in HIGH_SIGNALS for s in known) or len(known) >= 2:
        return "high"
    return "medium" if known else "low"


def next_follow_up_by(level: str, today: date) -> date | None:
    """The latest date the next follow-up may have at this level."""
    days = NEXT_WITHIN_DAYS.get(level)
    return None if days is None else today + timedelta(days=days)
