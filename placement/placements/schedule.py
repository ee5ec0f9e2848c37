"""Follow-up schedules: "4w,3m,6m,12m" -> due dates after a placement's start.

Defaults follow the ESF measurement points (4 weeks, 6 months) plus the end of probation
(3 months) and a year; a network sets its own with PLACEMENT_FOLLOWUP_SCHEDULE.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

DEFAULT_SCHEDULE = "4w,3m,6m,12m"
_STEP = re.compile(r"^(\d{1,3})([dwmy])$")


class ScheduleError(ValueError):
    """A schedule string that cannot be read."""


def parse_schedule(text: str | None) -> list[str]:
    """The steps of a schedule string, validated and sorted by length ("4w", "3m" ...)."""
    steps = [s.strip().lower() for s in (text or DEFAULT_SCHEDULE).split(",") if s.strip()]
    if not steps:
        raise ScheduleError("A follow-up schedule needs at least one step.")
    for step in steps:
        match = _STEP.match(step)
        if not match or int(match.group(1)) == 0:
            raise ScheduleError(
                f"Cannot read follow-up step {step!r}: use a number and d, w, m or y, e.g. 3m."
            )
    return sorted(dict.fromkeys(steps), key=lambda s: add_step(date(2000, 1, 31), s))


def step_parts(step: str) -> tuple[int, str] | None:
    """(number, unit) of one step ("3m" -> (3, "m")), or None when it is no schedule step."""
    match = _STEP.match(step or "")
    return (int(match.group(1)), match.group(2)) if match else None


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later; the 31st becomes the month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_step(start: date, step: str) -> date:
    match = _STEP.match(step)
    if not match:
        raise ScheduleError(f"Cannot read follow-up step {step!r}.")
    n, unit = int(match.group(1)), match.group(2)
    if unit == "d":
        return start + timedelta(days=n)
    if unit == "w":
        return start + timedelta(weeks=n)
    return add_months(start, n if unit == "m" else 12 * n)


def due_dates(start: date, schedule: str | None = None) -> list[tuple[str, date]]:
    """(label, due date) for each step of the schedule after ``start``."""
    return [(step, add_step(start, step)) for step in parse_schedule(schedule)]
