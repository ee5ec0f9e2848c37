"""Matcher: ordering, explanations, protected attributes, phase, cache."""

from __future__ import annotations

import numpy as np

from placement.matching import CandidateRecord, Matcher, MatchResult, MemoryCache, VacancyRecord

PROTECTED = {
    "name": "Amina Example",
    "nationality": "SY",
    "origin": "Syria",
    "gender": "female",
    "sex": "f",
    "age": 41,
    "birth_date": "1985-01-01",
    "religion": "muslim",
    "family_status": "married, 3 children",
    "photo": "https://example.org/photo.jpg",
    "native_language": "ar",
    "birthplace": "Aleppo",
}


def test_eligible_before_ineligible(matcher, make_vacancy, make_candidate):
    strong_but_blocked = make_candidate(id="blocked", work_permit=False)
    weak = make_candidate(id="weak", profile="Ich suche Arbeit im Lager.")
    results = matcher.rank_candidates(make_vacancy(), [strong_but_blocked, weak])
    assert [r.id for r in results] == ["weak", "blocked"]
    assert results[0].eligible
    assert not results[1].eligible
    assert results[1].score > results[0].score  # still ranked by meaning within its group
    assert any("no work permit" in reason for reason in [r.text for r in results[1].reasons])
    only = matcher.rank_candidates(
        make_vacancy(), [strong_but_blocked, weak], include_ineligible=False
    )
    assert [r.id for r in only] == ["weak"]


def test_result_explains_itself(matcher, make_vacancy, make_candidate):
    (result,) = matcher.rank_candidates(make_vacancy(), [make_candidate()])
    assert isinstance(result, MatchResult)
    assert 0 <= result.score <= 1
    assert set(result.parts) == set(Matcher.DEFAULT_WEIGHTS)
    assert result.concepts == ["elektriker"]
    assert "same occupation: Elektroniker/in" in [r.text for r in result.reasons]
    assert "Schaltpläne lesen" in result.matched_skills
    assert {c.name for c in result.constraints} >= {"work_permit", "german_level", "commute"}
    assert result.to_dict()["distance_km"] < 5


def test_near_miss_carries_next_step(matcher, make_vacancy, make_candidate):
    (result,) = matcher.rank_candidates(
        make_vacancy(german_level="B2"), [make_candidate(german_level="B1")]
    )
    assert not result.eligible
    assert any("Berufssprachkurs B1->B2" in r for r in [x.text for x in result.reasons])


def test_protected_attributes_change_no_score(matcher, make_vacancy):
    base = {
        "id": "c1",
        "profile": "Elektriker, 10 Jahre Erfahrung in der Elektroinstallation.",
        "german_level": "B1",
        "work_permit": True,
        "postcode": "30167",
        "phase": 4,
    }
    variants = [base, {**base, **PROTECTED}, {**base, **{k: "other" for k in PROTECTED}}]
    dumps = []
    for data in variants:
        (result,) = matcher.rank_candidates(make_vacancy(), [data])
        dumps.append(result.to_dict())
    assert dumps[0] == dumps[1] == dumps[2]
    record = CandidateRecord.from_dict({**base, **PROTECTED})
    assert not set(PROTECTED) & set(record.to_dict())


def test_rank_vacancies(matcher, make_vacancy, make_candidate):
    vacancies = [
        make_vacancy(id="care", title="Pflegehelfer/in", description="Grundpflege", skills=[]),
        make_vacancy(id="elec"),
        make_vacancy(id="far", postcode="80331"),
    ]
    results = matcher.rank_vacancies(make_candidate(), vacancies)
    assert [r.id for r in results] == ["elec", "care", "far"]
    assert results[-1].eligible is False


def test_phase5_prefers_higher_level_in_same_family(matcher, make_vacancy, make_candidate):
    candidate = make_candidate(
        profile="Ich arbeite als Pflegehelferin im Altenheim.",
        phase=5,
        current_concepts=["pflegehelfer"],
        german_level="C1",
    )
    same = make_vacancy(id="same", title="Pflegehelfer/in", description="Altenheim", skills=[])
    higher = make_vacancy(id="higher", title="Pflegefachkraft", description="Altenheim", skills=[])
    results = matcher.rank_vacancies(candidate, [same, higher])
    assert [r.id for r in results] == ["higher", "same"]
    assert results[0].parts["phase"] > results[1].parts["phase"]
    assert any("a step up from Pflegehelfer/in" in r for r in [x.text for x in results[0].reasons])
    # in phase 4 the same occupation at today's level comes first
    seeker = make_candidate(profile="Ich arbeite als Pflegehelferin.", phase=4, german_level="C1")
    assert matcher.rank_vacancies(seeker, [same, higher])[0].id == "same"


def test_counsellor_concepts_override_detection(matcher, make_vacancy, make_candidate):
    candidate = make_candidate(profile="Viele Jahre Erfahrung.", concepts=["elektriker"])
    (result,) = matcher.rank_candidates(make_vacancy(), [candidate])
    assert result.concepts == ["elektriker"]


def test_unchanged_texts_are_never_encoded_twice(fake_encoder, test_lexicon, postcodes):
    cache = MemoryCache()
    matcher = Matcher(encoder=fake_encoder, lexicon=test_lexicon, postcodes=postcodes, cache=cache)
    v = VacancyRecord.from_dict({"id": "v", "title": "Elektriker"})
    people = [
        CandidateRecord.from_dict({"id": f"c{i}", "profile": f"text {i % 5}"}) for i in range(20)
    ]
    matcher.rank_candidates(v, people)
    assert fake_encoder.encoded == 6  # 1 vacancy + 5 distinct profile texts
    matcher.rank_candidates(v, people)
    again = Matcher(encoder=fake_encoder, lexicon=test_lexicon, postcodes=postcodes, cache=cache)
    again.rank_vacancies(people[0], [v])
    assert fake_encoder.encoded == 6
    changed = CandidateRecord.from_dict({"id": "c0", "profile": "a new text"})
    matcher.rank_candidates(v, [changed])
    assert fake_encoder.encoded == 7


def test_encoding_is_batched(fake_encoder, test_lexicon, postcodes):
    from placement.matching.cache import encode_cached

    vectors = encode_cached(fake_encoder, [f"t{i}" for i in range(150)], MemoryCache(), 64)
    assert [len(c) for c in fake_encoder.calls] == [64, 64, 22]
    assert vectors.shape == (150, fake_encoder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1)


def test_weights_reweight_parts(
    fake_encoder, test_lexicon, postcodes, make_vacancy, make_candidate
):
    only_concept = Matcher(
        encoder=fake_encoder,
        lexicon=test_lexicon,
        postcodes=postcodes,
        weights={"semantic": 0, "skills": 0, "phase": 0, "concept": 1},
    )
    (result,) = only_concept.rank_candidates(make_vacancy(), [make_candidate()])
    assert result.score == result.parts["concept"]


def test_defaults_come_from_the_data_dir(tmp_path, monkeypatch, fake_encoder, make_vacancy):
    import shutil
    from pathlib import Path

    shutil.copytree(Path(__file__).parent / "data" / "lexicon", tmp_path / "lexicon")
    (tmp_path / "postcodes_de.csv").write_text(
        "postcode,lat,lon\n30159,52.3736,9.7371\n30167,52.3914,9.7083\n"
    )
    monkeypatch.setenv("PLACEMENT_DATA_DIR", str(tmp_path))
    matcher = Matcher(encoder=fake_encoder)
    candidate = CandidateRecord.from_dict({"id": "c", "profile": "Elektriker", "postcode": "30167"})
    (result,) = matcher.rank_candidates(make_vacancy(), [candidate])
    assert result.concepts == ["elektriker"]
    assert result.distance_km < 5
    assert not matcher.is_fallback


def test_large_pools_are_shortlisted_without_losing_the_best(
    matcher, make_vacancy, make_candidate, monkeypatch
):
    pool = [make_candidate(id=f"x{i}", profile=f"Lager und Versand, Tour {i}") for i in range(60)]
    pool += [
        make_candidate(id="el1", profile="Elektriker"),
        make_candidate(id="el2", profile="Електрик, 5 років", language="uk"),
    ]
    full = matcher.rank_candidates(make_vacancy(), pool)[:2]
    monkeypatch.setattr("placement.matching.engine.PREFILTER_MIN", 10)
    monkeypatch.setattr("placement.matching.engine.PREFILTER_FACTOR", 1)
    short = matcher.rank_candidates(make_vacancy(), pool, top_k=3)
    assert len(short) == 3
    assert [r.id for r in short[:2]] == [r.id for r in full] == ["el1", "el2"]
