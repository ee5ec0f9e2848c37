"""Fixtures for the counsellors' match pages: a fast fake encoder instead of a real model, the
learned-weights file in the test's own folder, and a small world of one vacancy and people."""

from __future__ import annotations

from pathlib import Path

import pytest

from placement.matches import preparation
from placement.matches.services import DbEmbeddingCache, DbFeatureStore
from placement.matching import Matcher, MemoryCache, load_lexicon, load_postcodes
from tests.fakes import FakeEncoder, FallbackEncoder  # noqa: F401 (used by tests here)


@pytest.fixture(scope="session")
def _engine_data():
    return load_lexicon(), load_postcodes()


@pytest.fixture
def app(make_app, tmp_path):
    """The app in English (the msgids the assertions name), with the learned-weights file
    inside this test's folder."""
    return make_app(
        PLACEMENT_MATCH_WEIGHTS_FILE=str(tmp_path / "match_weights.json"), BABEL_DEFAULT_LOCALE="en"
    )


@pytest.fixture
def weights_file(app):
    return Path(app.config["PLACEMENT_MATCH_WEIGHTS_FILE"])


class EngineSpy:
    """What the pages asked of the engine; `use_fallback()` switches to a TF-IDF-like encoder."""

    def __init__(self) -> None:
        self.weights: list[dict | None] = []
        self.encoder = FakeEncoder

    def use_fallback(self) -> None:
        self.encoder = FallbackEncoder


@pytest.fixture
def engine(monkeypatch, _engine_data) -> EngineSpy:
    """Replace the engine's model with the fake encoder; records the weights asked for."""
    lexicon, postcodes = _engine_data
    spy = EngineSpy()

    def fake_get_matcher(model=None, weights=None):
        spy.weights.append(weights)
        return Matcher(encoder=spy.encoder(), lexicon=lexicon, postcodes=postcodes,
                       cache=MemoryCache(), weights=weights)  # fmt: skip

    monkeypatch.setattr("placement.matches.services.get_matcher", fake_get_matcher)
    return spy


@pytest.fixture
def world(app, create_org, create_vacancy, create_participant, engine):
    """One published vacancy of an approved employer and four people around it."""
    org = create_org(name="Lager Nord GmbH")
    vacancy = create_vacancy(org, german_level="B1", skills=["Kommissionieren", "Staplerschein"])
    base = {
        "consent_matching": True,
        "hours_per_week": 40,
        "postcode": "30159",
        "phase": 4,
        "profile_text": "Lagerarbeit, Kommissionieren, Wareneingang, Staplerschein",
    }
    eligible = create_participant(first_name="Amina", german_level="B2", **base)
    near = create_participant(first_name="Bohdan", german_level="A2", **base)
    no_permit = create_participant(
        first_name="Chen", german_level="B2", **{**base, "work_permit": "not_permitted"}
    )
    hidden = create_participant(first_name="Dara", **{**base, "consent_matching": False})
    phase5 = create_participant(first_name="Emre", german_level="C1", **{**base, "phase": 5})
    return {
        "org": org,
        "vacancy": vacancy,
        "eligible": eligible,
        "near": near,
        "no_permit": no_permit,
        "hidden": hidden,
        "phase5": phase5,
    }


class CountingEncoder(FakeEncoder):
    """The fake encoder, counting the texts it encodes and refusing to encode when told."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.refuse = False

    def encode(self, texts):
        if self.refuse:
            raise AssertionError(f"encoded on a request: {texts}")
        self.texts += texts
        return super().encode(texts)


@pytest.fixture
def encoder(monkeypatch, _engine_data):
    """One matcher of a counting fake encoder that keeps its embeddings and derived records in
    the database, as the app's does (the background preparation's tests)."""
    lexicon, postcodes = _engine_data
    enc = CountingEncoder()
    matcher = Matcher(encoder=enc, lexicon=lexicon, postcodes=postcodes, cache=DbEmbeddingCache(),
                      features=DbFeatureStore())  # fmt: skip
    monkeypatch.setattr("placement.matches.services.get_matcher", lambda *a, **k: matcher)
    yield enc
    preparation.wait(30)
