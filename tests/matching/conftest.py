"""Fixtures for engine tests: a fake deterministic encoder, a small test lexicon, factories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from placement.matching import (
    CandidateRecord,
    Matcher,
    MemoryCache,
    VacancyRecord,
    load_lexicon,
    load_postcodes,
)
from tests.fakes import FakeEncoder

HERE = Path(__file__).parent
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture(scope="session")
def test_lexicon():
    return load_lexicon(HERE / "data" / "lexicon")


@pytest.fixture(scope="session")
def postcodes():
    return load_postcodes()


@pytest.fixture
def matcher(fake_encoder, test_lexicon, postcodes) -> Matcher:
    return Matcher(
        encoder=fake_encoder, lexicon=test_lexicon, postcodes=postcodes, cache=MemoryCache()
    )


@pytest.fixture
def make_vacancy():
    """Factory: a valid vacancy dict-based record with overrides."""

    def make(**overrides) -> VacancyRecord:
        base = {
            "id": "v1",
            "title": "Elektroniker/in Energie- und Gebäudetechnik",
            "description": "Elektroinstallation in Neubauten, Schaltpläne lesen.",
            "kind": "job",
            "skills": ["Elektroinstallation", "Schaltpläne lesen"],
            "german_level": "B1",
            "requires_recognition": False,
            "postcode": "30159",
            "radius_km": 40,
            "hours_per_week": 30,
            "language": "de",
        }
        return VacancyRecord.from_dict({**base, **overrides})

    return make


@pytest.fixture
def make_candidate():
    """Factory: a valid, eligible candidate record with overrides."""

    def make(**overrides) -> CandidateRecord:
        base = {
            "id": "c1",
            "profile": "Electrician for eight years, house wiring, I read wiring diagrams.",
            "skills": [],
            "desired_occupations": [],
            "german_level": "B1",
            "work_permit": True,
            "recognition": "not_needed",
            "postcode": "30167",
            "max_commute_km": 50,
            "hours_per_week": 40,
            "phase": 4,
            "language": "en",
        }
        return CandidateRecord.from_dict({**base, **overrides})

    return make


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: loads the real sentence-transformers model")


def pytest_collection_modifyitems(config, items):
    """Skip slow tests unless asked for with `-m slow` or PLACEMENT_SLOW_TESTS=1."""
    if "slow" in (config.getoption("markexpr") or "") or os.environ.get("PLACEMENT_SLOW_TESTS"):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow or PLACEMENT_SLOW_TESTS=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def minilm():
    """The bundled all-MiniLM-L6-v2, loaded once per session."""
    from placement.matching import SentenceTransformerEncoder

    return SentenceTransformerEncoder().fit()
