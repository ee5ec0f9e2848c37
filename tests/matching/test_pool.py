"""Ranking by arrays equals scoring every pair one by one: same rows, order, explanations."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from placement.matching import CandidateRecord, Matcher, MemoryCache, VacancyRecord
from placement.matching.engine import Ranking
from tests.fakes import DictStore

TODAY = dt.date(2026, 6, 1)
POSTCODES = ["30159", "30167", "31134", "80331", "01067", "99999", None]
LEVELS = [None, "A1", "A2", "B1", "B2", "C1"]


def _words(lex) -> list[str]:
    words = []
    for occ in lex.occupations.values():
        words += [occ.title_de, occ.title_en, *occ.skills]
    for skill in lex.skills.values():
        words += [skill.label_de, skill.label_en]
    return [*words, "Lager", "Fahrer", "Kasse", "Reinigung", "Elektriker", "Pflege"]


def _candidates(lex, n: int, rng: random.Random) -> list[CandidateRecord]:
    words, ids = _words(lex), list(lex.occupations)
    out = []
    for i in range(n):
        phase = rng.choice([None, 4, 5])
        out.append(
            CandidateRecord.from_dict(
                {
                    "id": f"c{i:03d}",
                    "profile": " ".join(rng.sample(words, rng.randint(0, 6))),
                    "skills": rng.sample(words, rng.randint(0, 3)),
                    "desired_occupations": rng.sample(words, rng.randint(0, 2)),
                    "german_level": rng.choice(LEVELS),
                    "work_permit": rng.choice(
                        [None, True, "employment", "approval_required", "not_permitted"]
                    ),  # fmt: skip
                    "recognition": rng.choice(
                        [None, "recognised", "partial", "in_process", "none", "not_needed"]
                    ),  # fmt: skip
                    "postcode": rng.choice(POSTCODES),
                    "max_commute_km": rng.choice([None, 5, 30, 300]),
                    "hours_per_week": rng.choice([None, 10, 25, 30, 40]),
                    "phase": phase,
                    "language": rng.choice([None, "de", "en"]),
                    "permit_expires": rng.choice([None, "2026-05-01", "2026-07-01", "2030-01-01"]),
                    "current_concepts": rng.sample(ids, 1) if rng.random() < 0.3 else None,
                    "concepts": rng.sample(ids, 2) if rng.random() < 0.1 else None,
                }
            )
        )
    return out


def _vacancies(lex, n: int, rng: random.Random) -> list[VacancyRecord]:
    words = _words(lex)
    return [
        VacancyRecord.from_dict(
            {
                "id": f"v{i:03d}",
                "title": rng.choice(words),
                "description": " ".join(rng.sample(words, rng.randint(0, 5))),
                "kind": rng.choice(["job", "internship", "qualification"]),
                "skills": rng.sample(words, rng.randint(0, 4)),
                "german_level": rng.choice(LEVELS),
                "requires_recognition": rng.random() < 0.3,
                "postcode": rng.choice(POSTCODES),
                "radius_km": rng.choice([None, 20, 100]),
                "hours_per_week": rng.choice([None, 20, 30, 40]),
                "level": rng.choice([None, 1, 2, 3, 4]),
            }
        )
        for i in range(n)
    ]


def _one_by_one(matcher: Matcher, query, members) -> list:
    """The reference: every pair scored and explained, sorted as the engine sorts."""
    by_vacancy = isinstance(query, VacancyRecord)
    vectors = matcher.embed([query, *members])
    results = []
    for member, vec in zip(members, vectors[1:], strict=True):
        cosine = float(vectors[0] @ vec)
        if by_vacancy:
            results.append(matcher.score_pair(query, member, cosine))
        else:
            r = matcher.score_pair(member, query, cosine)
            r.id = member.id
            results.append(r)
    results.sort(key=lambda r: (not r.eligible, -r.score, str(r.id)))
    return results


@pytest.fixture
def world(fake_encoder, test_lexicon, postcodes):
    rng = random.Random(13)
    matcher = Matcher(encoder=fake_encoder, lexicon=test_lexicon, postcodes=postcodes,
                      cache=MemoryCache(), today=TODAY)  # fmt: skip
    return matcher, _vacancies(test_lexicon, 12, rng), _candidates(test_lexicon, 250, rng)


@pytest.mark.parametrize(("top_k", "offset"), [(10, 0), (25, 0), (7, 20), (None, 0)])
def test_ranking_a_pool_equals_scoring_every_pair(world, top_k, offset):
    matcher, vacancies, candidates = world
    candidate_pool, vacancy_pool = matcher.pool(candidates), matcher.pool(vacancies)
    queries = [(v, candidate_pool, candidates) for v in vacancies]
    queries += [(c, vacancy_pool, vacancies) for c in candidates[:25]]
    for query, pool, members in queries:
        full = _one_by_one(matcher, query, members)
        page = matcher.rank(query, pool, top_k=top_k, offset=offset)
        end = None if top_k is None else offset + top_k
        assert [r.to_dict() for r in page.results] == [r.to_dict() for r in full[offset:end]]
        failed = [[c for c in r.constraints if not c.met] for r in full]
        assert page.eligible == sum(r.eligible for r in full)
        assert page.ineligible == len(full) - page.eligible
        assert page.near_miss == sum(
            bool(f) and all(c.status == "near_miss" for c in f) for f in failed
        )


def test_rank_many_pages_without_ineligible(world):
    matcher, vacancies, candidates = world
    ranked = matcher.rank_many(vacancies[:3], candidates, "vacancy", top_k=30,
                               include_ineligible=False)  # fmt: skip
    for v, results in zip(vacancies[:3], ranked, strict=True):
        full = [r for r in _one_by_one(matcher, v, candidates) if r.eligible]
        assert [r.to_dict() for r in results] == [r.to_dict() for r in full[:30]]


def test_an_empty_pool_ranks_nothing(world):
    matcher, vacancies, _ = world
    assert matcher.rank(vacancies[0], matcher.pool([])) == Ranking([], 0, 0, 0)


def test_a_pool_of_the_same_side_is_refused(world):
    matcher, vacancies, _ = world
    with pytest.raises(ValueError, match="other side"):
        matcher.rank(vacancies[0], matcher.pool(vacancies))


def test_features_are_derived_once_and_read_back_from_the_store(
    world, fake_encoder, test_lexicon, postcodes, monkeypatch
):
    matcher, vacancies, candidates = world
    store = DictStore()
    first = Matcher(encoder=fake_encoder, lexicon=test_lexicon, postcodes=postcodes,
                    cache=matcher.cache, today=TODAY, features=store)  # fmt: skip
    expected = [first.rank(v, first.pool(candidates), top_k=10) for v in vacancies[:3]]
    assert len(store.items) == len(vacancies[:3]) + len(candidates)
    second = Matcher(encoder=fake_encoder, lexicon=test_lexicon, postcodes=postcodes,
                     cache=matcher.cache, today=TODAY, features=store)  # fmt: skip
    with monkeypatch.context() as patched:  # deriving a candidate again would fail here
        patched.setattr("placement.matching.engine.candidate_side", None)
        assert second.features(candidates, compute=False) == first.features(candidates)
        pool = second.pool(candidates)
    again = [second.rank(v, pool, top_k=10) for v in vacancies[:3]]
    assert [[r.to_dict() for r in x.results] for x in again] == [
        [r.to_dict() for r in x.results] for x in expected
    ]


def test_without_compute_unknown_records_are_none(world):
    matcher, _, candidates = world
    assert matcher.features(candidates[:2], compute=False) == [None, None]


class Counted(list):
    """A list of records that counts which rows are read one by one."""

    def __init__(self, items):
        super().__init__(items)
        self.read: set[int] = set()

    def __getitem__(self, i):
        if not isinstance(i, slice):
            self.read.add(int(i))
        return super().__getitem__(i)


def test_a_ranking_reads_only_the_records_it_scores_exactly(world):
    matcher, vacancies, candidates = world
    records = Counted(candidates)
    pool = matcher.pool(records, features=matcher.features(candidates))
    page = matcher.rank(vacancies[0], pool, top_k=5)
    assert len(page.results) == 5
    assert 5 <= len(records.read) < len(candidates) // 4
    assert {r.id for r in page.results} <= {candidates[i].id for i in records.read}


def test_features_of_a_record_differing_only_in_constraint_fields_are_its_own(world):
    matcher, _, candidates = world
    from placement.matching.features import with_fields

    plain = [c for c in candidates if not c.current_concepts][:20]
    template = matcher.features(plain[:1])[0]
    for c in plain[1:]:
        other = dataclasses.replace(plain[0], **{
            k: getattr(c, k) for k in ("id", "german_level", "work_permit", "recognition",
                                       "postcode", "max_commute_km", "hours_per_week", "phase",
                                       "permit_expires")
        })  # fmt: skip
        assert with_fields(template, other, matcher.postcodes_) == matcher.features([other])[0]


def test_a_vacancy_scored_from_its_features_scores_as_from_its_record(
    world, fake_encoder, test_lexicon, postcodes
):
    matcher, vacancies, candidates = world
    matcher.features(vacancies)  # vacancies known by their Features: their Side is not derived
    fresh = Matcher(encoder=fake_encoder, lexicon=test_lexicon, postcodes=postcodes,
                    cache=MemoryCache(), today=TODAY)  # fmt: skip
    assert all(matcher._side_of_features(v) is not None for v in vacancies)
    assert fresh.prepare()._side_of_features(vacancies[0]) is None
    for v in vacancies:
        for c in candidates[::10]:
            expected = fresh.score_pair(v, c, 0.5).to_dict()
            assert matcher.score_pair(v, c, 0.5).to_dict() == expected


def test_rank_many_equals_ranking_each_query(world):
    matcher, vacancies, candidates = world
    many = matcher.rank_many(vacancies[:4], candidates, "candidate", top_k=5)
    pool = matcher.pool(vacancies[:4])
    for c, results in zip(candidates, many, strict=True):
        assert [r.to_dict() for r in results] == [
            r.to_dict() for r in matcher.rank(c, pool, top_k=5).results
        ]


def test_sides_kept_when_a_pool_is_built_explain_as_sides_derived_on_demand(
    world, fake_encoder, test_lexicon, postcodes
):
    """A pool's Sides derived up front (`keep_sides`) give the very results of Sides derived
    when a row is first explained, and explaining then derives no candidate's Side again."""
    matcher, vacancies, candidates = world
    warm = Matcher(encoder=fake_encoder, lexicon=test_lexicon, postcodes=postcodes,
                   cache=MemoryCache(), today=TODAY)  # fmt: skip
    warm.keep_sides(candidates, limit=40)
    assert len(warm.sides_) == 40  # at most the limit
    warm.keep_sides(candidates)
    derived = []
    new_side = warm._new_side
    warm._new_side = lambda record: derived.append(record) or new_side(record)
    cold_pool, warm_pool = matcher.pool(candidates), warm.pool(candidates)
    for v in vacancies:
        cold = matcher.rank(v, cold_pool, top_k=25).results
        assert [r.to_dict() for r in warm.rank(v, warm_pool, top_k=25).results] == [
            r.to_dict() for r in cold
        ]
    assert not [r for r in derived if isinstance(r, CandidateRecord)]


def test_typical_concepts_are_the_occupations_with_a_typical_skill_half_covered(test_lexicon):
    from placement.matching.scoring import _phrase_in, typical_concepts
    from placement.matching.textnorm import tokens

    skills = [s for occ in test_lexicon.occupations.values() for s in occ.skills]
    skills += [f"{s} und mehr Worte" for s in skills[:10]] + ["", "xy", "Gabelstapler fahren"]
    for skill in skills:
        assert typical_concepts(test_lexicon, skill) == frozenset(
            occ.id
            for occ in test_lexicon.occupations.values()
            if any(_phrase_in(skill, tokens(s)) >= 0.5 for s in occ.skills)
        )
