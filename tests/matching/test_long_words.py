"""One long word must not deny service: text analysis is linear and done once per record.

Counted, not timed (timings are in bench/probe.py): the number of compound look-ups grows with
the word's length, and the skills of a vacancy are analysed once, not once per candidate.
"""

from __future__ import annotations

from placement.matching import load_lexicon
from placement.matching.paths import data_dir


class CountingDict(dict):
    lookups = 0

    def get(self, key, default=None):
        CountingDict.lookups += 1
        return super().get(key, default)


def _compound_lookups(index, word: str) -> int:
    index.compounds = CountingDict(index.compounds)
    CountingDict.lookups = 0
    index.find(word)
    return CountingDict.lookups


def test_compound_split_is_linear_in_the_word():
    lexicon = load_lexicon(data_dir() / "lexicon")
    index = lexicon._occ_index
    short = _compound_lookups(index, "Pflege" + "x" * 500)
    long = _compound_lookups(index, "Pflege" + "x" * 2000)
    # Quadratic growth (every substring) would give ~16 times as many; linear gives ~4.
    assert long < 5 * short
    assert long < 100 * 2006


def test_long_word_still_finds_the_compound_part():
    lexicon = load_lexicon(data_dir() / "lexicon")
    hits = {h.id for h in lexicon.detect("Altenpflegehelferin" + "x" * 3000, "de")}
    assert hits == {h.id for h in lexicon.detect("Altenpflegehelferinxxx", "de")}


def test_vacancy_skills_are_analysed_once_per_record(matcher, make_vacancy, make_candidate):
    calls = []
    detect = matcher.lexicon.detect_skills

    def counting(text, lang=None):
        calls.append(text)
        return detect(text, lang)

    matcher.lexicon.detect_skills = counting
    skill = "Schaltpläne lesen " + "y" * 3000
    vacancy = make_vacancy(skills=["Elektroinstallation", skill])
    candidates = [make_candidate(id=f"c{i}") for i in range(6)]
    results = matcher.rank_candidates(vacancy, candidates)
    assert len(results) == 6
    assert calls.count(skill) == 1
