"""A match list a counsellor can work through: groups with counts, a sort, 25 rows a page, and
what is already known about each row (interest, shortlist, proposal, consent to share).

The ranking itself comes from the adapter (services.rank_participants / rank_vacancies) in one
place, `fetch_ranking`: it is where a page will ask the engine for just its slice (offset and
top_k) once the engine can count the groups without scoring everything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import select

from placement.employers.models import Vacancy
from placement.extensions import db
from placement.matches import review
from placement.matches import services as match_services
from placement.matches.services import Ranked
from placement.participants.models import Interest, Participant
from placement.proposals.models import Consent, ShortlistEntry

PAGE_SIZE = 25
GROUPS = ("eligible", "near_miss", "ineligible")
SORTS = ("score", "distance", "german")


def fetch_ranking(subject: Vacancy | Participant, actor, matcher) -> list[Ranked]:
    """The whole explained ranking for a vacancy or a participant (the list shown is logged).

    The one seam between the page and the engine: today the full ranking (filters, counts and
    sorts need every row); with the engine's offset/top_k and group counts this is where a
    score-sorted page asks for its 25 rows only.
    """
    if isinstance(subject, Vacancy):
        return match_services.rank_participants(subject, actor, matcher=matcher)
    return match_services.rank_vacancies(subject, actor, matcher=matcher)


def group_of(item: Ranked) -> str:
    """The row's group: eligible, near_miss (each unmet requirement one step away), ineligible."""
    if item.result.eligible:
        return "eligible"
    return "near_miss" if review.is_near_miss(item.result) else "ineligible"


@dataclass
class Row:
    """One row of the list: the ranked item, its rank by score in its group, its group."""

    item: Ranked
    rank: int
    group: str

    @property
    def result(self):
        return self.item.result

    @property
    def record(self):
        return self.item.record


@dataclass
class MatchPage:
    """The rows of one page and the figures around them."""

    rows: list[Row]
    counts: dict[str, int]  # per group, after the filters
    ranked: int  # everyone in the ranking, before the filters
    page: int
    pages: int
    first: int  # number of the first row on this page (1-based), 0 when empty
    last: int
    shown: int  # rows in the chosen group(s)
    groups: dict[str, list[Row]] = field(default_factory=dict)  # this page's rows per group


def _sort_key(sort: str, by_vacancy: bool):
    if sort == "distance":
        return lambda r: (r.result.distance_km is None, r.result.distance_km or 0.0, r.rank)
    if sort == "german":
        # participants: the best German first; vacancies: the lowest requirement first
        sign = -1 if by_vacancy else 1
        return lambda r: (
            getattr(r.record, "german_level", None) is None,
            sign * review.level_index(getattr(r.record, "german_level", None)),
            r.rank,
        )
    return lambda r: r.rank


def page_of(ranked: list[Ranked], filters: review.MatchFilters, *, group: str | None = None,
            sort: str = "score", page: int = 1, per_page: int = PAGE_SIZE,
            by_vacancy: bool = True) -> MatchPage:  # fmt: skip
    """Filter, group, sort and cut the ranking into pages. Groups stay in their order
    (eligible, near misses, not eligible); the sort orders the rows inside each group."""
    kept = [i for i in ranked if review.keep(i, filters)]
    rows: dict[str, list[Row]] = {g: [] for g in GROUPS}
    for item in kept:  # the ranking is best first, eligible first
        g = group_of(item)
        rows[g].append(Row(item, len(rows[g]) + 1, g))
    counts = {g: len(rows[g]) for g in GROUPS}
    key = _sort_key(sort if sort in SORTS else "score", by_vacancy)
    chosen = [g for g in GROUPS if group in (None, "", g)]
    ordered = [r for g in chosen for r in sorted(rows[g], key=key)]
    pages = max(1, math.ceil(len(ordered) / per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    cut = ordered[start : start + per_page]
    by_group = {g: [r for r in cut if r.group == g] for g in GROUPS}
    return MatchPage(
        rows=cut, counts=counts, ranked=len(ranked), page=page, pages=pages,
        first=start + 1 if cut else 0, last=start + len(cut), shown=len(ordered),
        groups={g: rs for g, rs in by_group.items() if rs},
    )  # fmt: skip


@dataclass
class Badges:
    """What is already known about the rows of a list (ids of the other side)."""

    interested: set[int] = field(default_factory=set)
    shortlisted: set[int] = field(default_factory=set)
    sharing: set[int] = field(default_factory=set)  # identity shared with the employer


def badges_for_vacancy(vacancy: Vacancy) -> Badges:
    """Participant ids: interested in, shortlisted for, sharing their identity with the
    employer of this vacancy."""
    interested = db.session.scalars(
        select(Interest.participant_id).where(Interest.vacancy_id == vacancy.id)
    )
    shortlisted = db.session.scalars(
        select(ShortlistEntry.participant_id).where(ShortlistEntry.vacancy_id == vacancy.id)
    )
    sharing = db.session.scalars(
        select(Consent.participant_id).where(
            Consent.organisation_id == vacancy.organisation_id, Consent.withdrawn_at.is_(None)
        )
    )
    return Badges(set(interested), set(shortlisted), set(sharing))


def badges_for_participant(participant: Participant) -> Badges:
    """Vacancy ids the participant is interested in or shortlisted for; organisation ids they
    share their identity with."""
    interested = db.session.scalars(
        select(Interest.vacancy_id).where(Interest.participant_id == participant.id)
    )
    shortlisted = db.session.scalars(
        select(ShortlistEntry.vacancy_id).where(ShortlistEntry.participant_id == participant.id)
    )
    sharing = db.session.scalars(
        select(Consent.organisation_id).where(
            Consent.participant_id == participant.id, Consent.withdrawn_at.is_(None)
        )
    )
    return Badges(set(interested), set(shortlisted), set(sharing))
