"""Retention of placements: Kaplan-Meier estimates at 3, 6 and 12 months, by group.

Event = the placement ended for a negative reason (terms.NEGATIVE_END_REASONS). Placements still
running, ended for a neutral or good reason (a better job, training), or not yet observed that
long are censored: they count as "still employed" for as long as we watched them, no longer.
Reporting never shows a group of fewer than MIN_GROUP people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from placement.vocab import NEGATIVE_END_REASONS

MIN_GROUP = 5
HORIZONS = {3: 91, 6: 183, 12: 365}  # months -> days after the start
DIMENSIONS = ("network", "employer", "occupation", "phase")


@dataclass(frozen=True)
class Observation:
    """One placement as the estimate sees it: days observed, lost or not, whose and where."""

    days: int
    event: bool
    person: int
    groups: dict = field(default_factory=dict, hash=False, compare=False)
    waited: int | None = None  # days from registration to the start of the job


def kaplan_meier(observations: list[tuple[int, bool]]) -> list[tuple[int, int, int, float]]:
    """The Kaplan-Meier curve of (duration, event) pairs.

    Returns (time, at risk just before, events at time, survival after time) at each time with
    an event. At a tie, events come before censorings (the usual convention).
    """
    events, exits = defaultdict(int), defaultdict(int)
    for days, event in observations:
        exits[days] += 1
        events[days] += bool(event)
    at_risk, survival, curve = len(observations), 1.0, []
    for t in sorted(exits):
        if events[t]:
            survival *= 1 - events[t] / at_risk
            curve.append((t, at_risk, events[t], survival))
        at_risk -= exits[t]
    return curve


def survival_at(curve: list[tuple[int, int, int, float]], day: int) -> float:
    """The estimate S(day): the survival after the last event at or before ``day``."""
    value = 1.0
    for t, _n, _d, s in curve:
        if t > day:
            break
        value = s
    return value


def at_risk_at(observations: list[tuple[int, bool]], day: int) -> int:
    """How many are still under observation at ``day`` (neither lost nor censored before it)."""
    return sum(1 for days, _event in observations if days >= day)


@dataclass
class GroupRow:
    """One line of the report: a group's people, placements and retention at each horizon."""

    dimension: str
    group: str
    people: int
    placements: int
    cells: dict[int, tuple[int, float | None]]  # months -> (at risk, retention or None)
    suppressed: bool = False
    curve: list = field(default_factory=list)


def observe(placement, today: date) -> Observation | None:
    """The placement as an observation on ``today``; None if it has not started yet."""
    end = placement.end_date if placement.status == "ended" and placement.end_date else today
    days = (min(end, today) - placement.start_date).days
    if days < 0:
        return None
    event = placement.status == "ended" and placement.end_reason in NEGATIVE_END_REASONS
    registered = placement.participant.created_at if placement.participant else None
    waited = (placement.start_date - registered.date()).days if registered else None
    return Observation(days=days, event=event and end <= today, person=placement.participant_id,
                       groups=group_keys(placement),
                       waited=waited if waited is not None and waited >= 0 else None)  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """Which placements a report covers: started in a period, by counsellor, employer and
    occupation (None: all)."""

    start_from: date | None = None
    start_to: date | None = None
    counsellor_id: int | None = None
    organisation_id: int | None = None
    occupation: str | None = None

    def admit(self, placement) -> bool:
        if self.start_from and placement.start_date < self.start_from:
            return False
        if self.start_to and placement.start_date > self.start_to:
            return False
        if self.counsellor_id and placement.counsellor_id != self.counsellor_id:
            return False
        if self.organisation_id and placement.organisation_id != self.organisation_id:
            return False
        return not self.occupation or group_keys(placement)["occupation"] == self.occupation


@dataclass
class Headline:
    """The figures a report opens with; a figure resting on fewer than MIN_GROUP people is None."""

    placements: int
    people: int
    retention: dict[int, tuple[int, float | None]]  # months -> (still observed, share or None)
    median_days: float | None  # from registration to the start of the job
    waited_people: int  # how many placements the median rests on


def headline(observations: list[Observation]) -> Headline:
    """Placements, people, retention at 3, 6 and 12 months and the median time to placement."""
    row = summarise("network", "", observations)
    waited = [o.waited for o in observations if o.waited is not None]
    enough = len({o.person for o in observations if o.waited is not None}) >= MIN_GROUP
    return Headline(
        placements=len(observations),
        people=row.people,
        retention={m: row.cells.get(m, (at_risk_at([(o.days, o.event) for o in observations],
                                                   d), None))
                   for m, d in HORIZONS.items()},
        median_days=median(waited) if waited and enough else None,
        waited_people=len(waited),
    )  # fmt: skip


def group_keys(placement) -> dict[str, str]:
    """The groups a placement belongs to in each dimension (labels are data or msgids)."""
    occupation = placement.occupation or (placement.vacancy.occupation if placement.vacancy
                                          else None)  # fmt: skip
    return {
        "employer": placement.organisation.name,
        "occupation": occupation or placement.title,
        "phase": str(placement.phase_at_start),
    }


def summarise(dimension: str, group: str, items: list[Observation]) -> GroupRow:
    pairs = [(o.days, o.event) for o in items]
    people = len({o.person for o in items})
    row = GroupRow(dimension, group, people, len(items), {})
    if people < MIN_GROUP:
        row.suppressed = True
        return row
    row.curve = kaplan_meier(pairs)
    for months, day in HORIZONS.items():
        n = at_risk_at(pairs, day)
        # The estimate at a horizon rests on those still observed: fewer than five, not shown.
        row.cells[months] = (n, survival_at(row.curve, day) if n >= MIN_GROUP else None)
    return row


def report(observations: list[Observation], network: str) -> dict[str, list[GroupRow]]:
    """Rows per dimension. Groups under MIN_GROUP people are pooled into one "other" row.

    A pool still under MIN_GROUP would be given away by subtracting the shown groups from the
    network total, so the smallest shown groups join it until it reaches MIN_GROUP (secondary
    suppression); only when everything together is too small is the pool itself suppressed.
    """
    result = {"network": [summarise("network", network, observations)]}
    for dimension in DIMENSIONS[1:]:
        groups: dict[str, list[Observation]] = defaultdict(list)
        for o in observations:
            groups[o.groups[dimension]].append(o)
        shown, small = pool(groups)
        rows = [summarise(dimension, name, shown[name]) for name in sorted(shown)]
        if small:
            rows.append(summarise(dimension, "", small))  # "" = the pooled small groups
        result[dimension] = rows
    return result


def pool(groups: dict) -> tuple[dict, list[Observation]]:
    """(groups shown on their own, the pooled rest): groups under MIN_GROUP people are pooled,
    and the smallest shown groups join the pool until it is not too small itself."""
    shown = {n: g for n, g in groups.items() if _people(g) >= MIN_GROUP}
    small = [o for n, g in groups.items() if n not in shown for o in g]
    while small and _people(small) < MIN_GROUP and shown:
        smallest = min(shown, key=lambda n: (_people(shown[n]), str(n)))
        small.extend(shown.pop(smallest))
    return shown, small


def _people(items: list[Observation]) -> int:
    return len({o.person for o in items})
