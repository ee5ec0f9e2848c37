"""A match list a counsellor can work through: groups with counts, a sort, 25 rows a page, and
what is already known about each row (interest, shortlist, proposal, consent to share).

`fetch_page` asks the engine for exactly the rows of the page shown: the subject is judged
against the whole pool once (constraints, distances and estimated scores in arrays), the
filters, groups and sorts are masks and keys over those arrays, and only the rows that can
reach the page are scored exactly and explained. The rows shown are logged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import literal_column, select, union_all

from placement.employers.models import Vacancy
from placement.extensions import db
from placement.matches import review
from placement.matches import services as match_services
from placement.matches.services import Ranked, RankedPage
from placement.participants.models import Interest, Participant
from placement.proposals.models import Consent, ShortlistEntry

PAGE_SIZE = 25
GROUPS = ("eligible", "near_miss", "ineligible")
SORTS = ("score", "distance", "german")


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


def _kept(pool, judged, f: review.MatchFilters) -> np.ndarray:
    """The pool records the filters keep (as `review.keep` judges a row): a participant's phase
    and a vacancy's kind only exist on their side; German is the participant's level or the
    vacancy's requirement; the distance must be known."""
    keep = np.ones(len(pool), dtype=bool)
    if f.max_km is not None:
        with np.errstate(invalid="ignore"):
            keep &= judged.distance <= f.max_km
    if f.phase is not None:
        keep &= pool.phase == f.phase if pool.kind == "candidate" else False
    if f.min_german:
        keep &= pool.german >= review.level_index(f.min_german)
    if f.kind:
        if pool.kind == "vacancy":
            keep &= np.array([r.kind == f.kind for r in pool.records], dtype=bool)
        else:
            keep &= False
    return keep


def _sort_keys(sort: str, pool, judged, by_vacancy: bool) -> list[np.ndarray]:
    """The keys (over the pool, lower first) a sort orders rows by inside a group."""
    if sort == "distance":  # unknown last
        unknown = np.isnan(judged.distance)
        return [unknown, np.where(unknown, 0.0, judged.distance)]
    if sort == "german":
        # participants: the best German first; vacancies: the lowest requirement first
        level = pool.german.astype(np.int64)
        return [level < 0, np.where(level < 0, 0, -level if by_vacancy else level)]
    return []


def fetch_page(subject: Vacancy | Participant, actor, matcher, filters: review.MatchFilters, *,
               group: str | None = None, sort: str = "score", page: int = 1,
               per_page: int = PAGE_SIZE) -> tuple[MatchPage, RankedPage]:  # fmt: skip
    """One page of the explained ranking of a vacancy (participants) or a participant
    (vacancies): filtered, grouped (eligible, near misses, not eligible, in this order), sorted
    inside each group, 25 rows a page; the rows shown are logged. Also returns what is still
    being prepared (a RankedPage without rows)."""
    by_vacancy = isinstance(subject, Vacancy)
    judging = match_services.judge_subject(subject, matcher)
    entry, fitted, judged = judging.entry, judging.matcher, judging.judged
    status = RankedPage([], preparing=len(entry.waiting), query_ready=judged is not None)
    pool = entry.pool
    if judged is None or not len(pool):
        empty = MatchPage([], dict.fromkeys(GROUPS, 0), 0, 1, 1, 0, 0, 0)
        if judged is not None:
            match_services.log_shown(actor, "vacancy" if by_vacancy else "participant",
                                     subject.id, fitted, [])  # fmt: skip
        return empty, status
    keep = _kept(pool, judged, filters)
    code = np.where(judged.eligible, 0, np.where(judged.near, 1, 2))
    counts = {g: int(((code == k) & keep).sum()) for k, g in enumerate(GROUPS)}
    chosen = [k for k, g in enumerate(GROUPS) if group in (None, "", g)]
    rows = np.flatnonzero(keep & np.isin(code, chosen))
    pages = max(1, math.ceil(len(rows) / per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    sort = sort if sort in SORTS else "score"
    keys = [code, *_sort_keys(sort, pool, judged, by_vacancy)]
    picked = fitted.pick(judged, pool, rows, start, start + per_page, keys)
    before = {k: sum(counts[GROUPS[j]] for j in chosen if j < k) for k in chosen}
    records = match_services.records_of([pool.ids[i] for i in picked], by_vacancy)
    cut: list[Row] = []
    for place, i in enumerate(picked, start):
        result, k = fitted.result_of(judged, pool, i), int(code[i])
        if sort == "score":
            rank = place - before[k] + 1
        else:
            rank = fitted.score_rank(judged, pool, np.flatnonzero(keep & (code == k)), i)
        if result.id in records:
            cut.append(Row(Ranked(result, records[result.id]), rank, GROUPS[k]))
    match_services.log_shown(actor, "vacancy" if by_vacancy else "participant", subject.id,
                             fitted, [r.result for r in cut])  # fmt: skip
    by_group = {g: [r for r in cut if r.group == g] for g in GROUPS}
    return MatchPage(
        rows=cut, counts=counts, ranked=len(pool), page=page, pages=pages,
        first=start + 1 if cut else 0, last=start + len(cut), shown=len(rows),
        groups={g: rs for g, rs in by_group.items() if rs},
    ), status  # fmt: skip


@dataclass
class Badges:
    """What is already known about the rows of a list (ids of the other side)."""

    interested: set[int] = field(default_factory=set)
    shortlisted: set[int] = field(default_factory=set)
    sharing: set[int] = field(default_factory=set)  # identity shared with the employer


def _badges(interested, shortlisted, sharing) -> Badges:
    """The three id sets in one round trip (each select of one id column, tagged)."""
    tagged = union_all(*(
        query.add_columns(literal_column(str(tag))) for tag, query in
        enumerate((interested, shortlisted, sharing))
    ))  # fmt: skip
    badges = Badges()
    sets = (badges.interested, badges.shortlisted, badges.sharing)
    for found, tag in db.session.execute(tagged):
        sets[tag].add(found)
    return badges


def badges_for_vacancy(vacancy: Vacancy) -> Badges:
    """Participant ids: interested in, shortlisted for, sharing their identity with the
    employer of this vacancy."""
    return _badges(
        select(Interest.participant_id).where(Interest.vacancy_id == vacancy.id),
        select(ShortlistEntry.participant_id).where(ShortlistEntry.vacancy_id == vacancy.id),
        select(Consent.participant_id).where(
            Consent.organisation_id == vacancy.organisation_id, Consent.withdrawn_at.is_(None)
        ),
    )


def badges_for_participant(participant: Participant) -> Badges:
    """Vacancy ids the participant is interested in or shortlisted for; organisation ids they
    share their identity with."""
    return _badges(
        select(Interest.vacancy_id).where(Interest.participant_id == participant.id),
        select(ShortlistEntry.vacancy_id).where(ShortlistEntry.participant_id == participant.id),
        select(Consent.organisation_id).where(
            Consent.participant_id == participant.id, Consent.withdrawn_at.is_(None)
        ),
    )
