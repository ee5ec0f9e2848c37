"""A match page asks the engine for just its rows: the same rows, order, ranks, counts and
explanations as cutting the whole explained ranking into pages, for every filter, group, sort
and page, in both directions (participants for a vacancy, vacancies for a participant)."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from sqlalchemy import select

from placement.employers.models import Vacancy
from placement.extensions import db
from placement.matches import listing, review
from placement.matches import services as match_services
from placement.matches.models import MatchLog
from placement.participants.models import Participant

POSTCODES = ["30159", "30167", "31134", "38100", "10115", "99999", None]
PROFILES = [
    "Lagerarbeit, Kommissionieren, Wareneingang, Staplerschein",
    "Lagerarbeit, Kommissionieren",
    "Koch in einem Restaurant, Küche, Speisen zubereiten",
    "Pflegehelferin im Altenheim, Grundpflege",
    "Busfahrer, Personenbeförderung, Führerschein D",
    "Verkauf, Kasse, Regale auffüllen",
]


def _reference(ranked, filters, group, sort, page, per_page, by_vacancy):
    """The former path: the whole explained ranking, filtered, grouped, sorted and cut here."""
    kept = [i for i in ranked if review.keep(i, filters)]
    rows = {g: [] for g in listing.GROUPS}
    for item in kept:
        g = listing.group_of(item)
        rows[g].append((item, len(rows[g]) + 1, g))
    counts = {g: len(rows[g]) for g in listing.GROUPS}
    if sort == "distance":

        def key(r):
            d = r[0].result.distance_km
            return (d is None, d or 0.0, r[1])
    elif sort == "german":
        sign = -1 if by_vacancy else 1

        def key(r):
            level = r[0].record.german_level
            return (level is None, sign * review.level_index(level), r[1])
    else:

        def key(r):
            return r[1]

    chosen = [g for g in listing.GROUPS if group in (None, "", g)]
    ordered = [r for g in chosen for r in sorted(rows[g], key=key)]
    pages = max(1, math.ceil(len(ordered) / per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    cut = ordered[start : start + per_page]
    rows_out = [(item.record.id, rank, g, item.result.to_dict()) for item, rank, g in cut]
    return rows_out, counts, len(ranked), page, pages, len(ordered)


def _new(subject, matcher, filters, group, sort, page, per_page):
    got, _status = listing.fetch_page(subject, None, matcher, filters, group=group, sort=sort,
                                      page=page, per_page=per_page)  # fmt: skip
    rows = [(r.record.id, r.rank, r.group, r.result.to_dict()) for r in got.rows]
    assert got.first == ((got.page - 1) * per_page + 1 if rows else 0)
    in_groups = {g: [r for r in got.rows if r.group == g] for g in listing.GROUPS}
    assert got.groups == {g: rows for g, rows in in_groups.items() if rows}
    return rows, got.counts, got.ranked, got.page, got.pages, got.shown


FILTERS = [
    review.MatchFilters(),
    review.MatchFilters(phase=4),
    review.MatchFilters(phase=5, min_german="B1"),
    review.MatchFilters(min_german="A2"),
    review.MatchFilters(max_km=20),
    review.MatchFilters(max_km=150, min_german="B1"),
    review.MatchFilters(kind="job"),
    review.MatchFilters(kind="internship", max_km=40),
]


@pytest.fixture
def crowd(app, create_org, create_vacancy, create_participant, engine):
    """Participants and vacancies of every kind: equal profiles (equal scores), unknown and
    far postcodes, every German level, permits, hours, phases and vacancy kinds."""
    rng = random.Random(7)
    org = create_org(name="Lager Nord GmbH")
    vacancies = [
        create_vacancy(
            org, title=rng.choice(["Fachkraft für Lagerlogistik", "Koch/Köchin", "Busfahrer/in",
                                   "Pflegehelfer/in"]),
            kind=rng.choice(["job", "internship"]),
            german_level=rng.choice([None, "A2", "B1", "B2"]),
            postcode=rng.choice(POSTCODES[:6]), radius_km=rng.choice([None, 30, 100]),
            hours_per_week=rng.choice([None, 20, 38]),
            skills=rng.sample(["Kommissionieren", "Staplerschein", "Kochen", "Pflege", "Kasse"], 2),
            **({"duration_weeks": 6} if i % 3 == 0 else {}),
        )
        for i in range(14)
    ]  # fmt: skip
    people = [
        create_participant(
            first_name=f"P{i:02d}", consent_matching=True, profile_text=rng.choice(PROFILES),
            german_level=rng.choice([None, "A1", "A2", "B1", "B2", "C1"]),
            work_permit=rng.choice(["any_work", "employment", "approval_required",
                                    "not_permitted"]),
            postcode=rng.choice(POSTCODES), max_commute_km=rng.choice([None, 20, 50]),
            hours_per_week=rng.choice([None, 20, 30, 40]), phase=rng.choice([4, 4, 5]),
        )
        for i in range(45)
    ]  # fmt: skip
    return vacancies, people


@pytest.mark.parametrize("by_vacancy", [True, False], ids=["vacancy", "participant"])
def test_a_page_equals_the_cut_of_the_whole_ranking(app, crowd, by_vacancy):
    vacancies, people = crowd
    per_page = 4
    with app.app_context():
        matcher = match_services.get_matcher()
        subjects = ([db.session.get(Vacancy, i) for i in vacancies[:2]] if by_vacancy
                    else [db.session.get(Participant, i) for i in people[:2]])  # fmt: skip
        seen = set()
        for subject in subjects:
            if by_vacancy:
                ranked = list(match_services.rank_participants(subject, None, matcher=matcher))
            else:
                ranked = list(match_services.rank_vacancies(subject, None, matcher=matcher))
            assert len(ranked) == (len(people) if by_vacancy else len(vacancies))
            for filters, group, sort in itertools.product(
                FILTERS, ["", "eligible", "near_miss", "ineligible"], listing.SORTS
            ):
                expected = _reference(ranked, filters, group, sort, 1, per_page, by_vacancy)
                for page in range(1, expected[4] + 2):  # every page and one past the last
                    want = _reference(ranked, filters, group, sort, page, per_page, by_vacancy)
                    got = _new(subject, matcher, filters, group, sort, page, per_page)
                    assert got == want, (filters, group, sort, page)
                    seen.update((g, sort) for _id, _rank, g, _result in want[0])
        # every group and sort had rows to compare
        assert seen == set(itertools.product(listing.GROUPS, listing.SORTS))


def test_the_rows_shown_are_logged(app, crowd):
    vacancies, _people = crowd
    with app.app_context():
        matcher = match_services.get_matcher()
        vacancy = db.session.get(Vacancy, vacancies[0])
        page, status = listing.fetch_page(vacancy, None, matcher, review.MatchFilters(),
                                          sort="distance", page=2, per_page=5)  # fmt: skip
        assert status.query_ready
        assert len(page.rows) == 5
        db.session.flush()
        (log,) = db.session.scalars(select(MatchLog)).all()
        assert (log.subject_type, log.subject_id) == ("vacancy", vacancy.id)
        assert log.results == [
            {"id": str(r.record.id), "score": r.result.score, "eligible": r.result.eligible}
            for r in page.rows
        ]


def test_a_changed_record_is_never_shown_from_before(app, crowd):
    """Pages of the same vacancy reuse its judgement until a record changes: then the page
    shows the change at once (the participant's new German level, the vacancy's new one)."""
    vacancies, people = crowd
    with app.app_context():
        matcher = match_services.get_matcher()
        vacancy = db.session.get(Vacancy, vacancies[0])
        filters = review.MatchFilters(min_german="C1")

        def c1_people():
            page, _status = listing.fetch_page(vacancy, None, matcher, filters, per_page=50)
            return {r.record.id for r in page.rows}

        before = c1_people()
        person = next(db.session.get(Participant, i) for i in people if i not in before)
        person.german_level = "C1"
        db.session.commit()
        assert c1_people() == before | {person.id}
        eligible = listing.fetch_page(vacancy, None, matcher, review.MatchFilters())[0].counts
        vacancy.german_level = "C1" if vacancy.german_level != "C1" else "A1"
        db.session.commit()
        assert listing.fetch_page(vacancy, None, matcher, review.MatchFilters())[0].counts != (
            eligible
        )
