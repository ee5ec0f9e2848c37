"""Nearest stored embeddings: exact with NumPy by default, pgvector only when switched on and
present, with a clear error otherwise."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from sqlalchemy import create_engine, text

from placement.config import load_config
from placement.extensions import db
from placement.matches.vector_search import (
    NumpyVectorSearch,
    PgVectorSearch,
    VectorSearchUnavailable,
    get_vector_search,
)
from placement.matching import Matcher
from tests.conftest import TEST_DATABASE_URL
from tests.fakes import FakeEncoder

UNAVAILABLE = r"^pgvector is not available on this database: .+; set PLACEMENT_VECTOR_SEARCH=numpy$"


@functools.cache
def _pgvector_installed() -> bool:
    """True when the test database is PostgreSQL and the pgvector extension can be created."""
    if not TEST_DATABASE_URL:
        return False
    engine = create_engine(TEST_DATABASE_URL)
    try:
        with engine.connect() as conn:
            query = "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'"
            return conn.execute(text(query)).scalar() is not None
    finally:
        engine.dispose()


needs_pgvector = pytest.mark.skipif(
    not _pgvector_installed(), reason="needs PostgreSQL with the pgvector extension"
)


def _vectors(n: int, dim: int = 16, seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    matrix = rng.normal(size=(n, dim)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return {f"{i:064x}": row for i, row in enumerate(matrix)}


@pytest.fixture
def stored(app):
    """Vectors written through the app's embedding cache, under two models."""
    from placement.matches.services import DbEmbeddingCache

    vectors = _vectors(40)
    with app.app_context():
        cache = DbEmbeddingCache()
        cache.put_many("model-a", vectors)
        cache.put_many("model-b", {key: -vec for key, vec in vectors.items()})
        db.session.commit()
    return vectors


def _full_sort(vectors, query, keys, k):
    scored = sorted((-float(vectors[key] @ query), key) for key in keys)
    return [(key, -negative) for negative, key in scored[:k]]


def test_numpy_search_equals_a_full_sort(app, stored):
    keys = list(stored)[::2]  # a subset of the stored vectors
    query = _vectors(1, seed=99)[f"{0:064x}"]
    with app.app_context():
        search = NumpyVectorSearch()
        for k in (1, 5, len(keys), len(keys) + 3):
            found = search.top_k("model-a", query, keys, k)
            expected = _full_sort(stored, query, keys, k)
            assert [key for key, _ in found] == [key for key, _ in expected]
            assert [s for _, s in found] == pytest.approx([s for _, s in expected], abs=1e-6)
        # Another model's vectors answer for that model; unknown keys are skipped.
        other = search.top_k("model-b", query, [*keys, "f" * 64], 3)
        assert [key for key, _ in other] == [key for key, _ in _full_sort(stored, -query, keys, 3)]
        assert search.top_k("model-a", query, keys, 0) == []
        assert search.top_k("no-such-model", query, keys, 3) == []


def test_numpy_is_the_default(app):
    assert app.config["PLACEMENT_VECTOR_SEARCH"] == "numpy"
    assert isinstance(get_vector_search(app.config), NumpyVectorSearch)
    config = load_config(app.instance_path, {"PLACEMENT_VECTOR_SEARCH": "pgvector"})
    assert isinstance(get_vector_search(config), PgVectorSearch)
    with pytest.raises(ValueError, match="numpy, pgvector"):
        get_vector_search({"PLACEMENT_VECTOR_SEARCH": "faiss"})


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the SQLite case")
def test_pgvector_on_sqlite_says_so(make_app, stored):
    app = make_app(PLACEMENT_VECTOR_SEARCH="pgvector")
    with app.app_context():
        search = get_vector_search(app.config)
        with pytest.raises(VectorSearchUnavailable, match=UNAVAILABLE) as error:
            search.top_k("model-a", stored[f"{0:064x}"], list(stored), 3)
        assert "the database is sqlite, not PostgreSQL" in str(error.value)


@pytest.mark.skipif(
    not TEST_DATABASE_URL or _pgvector_installed(), reason="PostgreSQL without pgvector"
)
def test_pgvector_missing_on_postgresql_says_so(make_app, stored):
    app = make_app(PLACEMENT_VECTOR_SEARCH="pgvector")
    with app.app_context():
        with pytest.raises(VectorSearchUnavailable, match=UNAVAILABLE) as error:
            get_vector_search(app.config).top_k("model-a", stored[f"{0:064x}"], list(stored), 3)
        assert "vector" in str(error.value).split(";")[0].split(":", 1)[1]
        # The failed attempt ran on its own connection: the session is still usable.
        count = db.session.execute(text("SELECT count(*) FROM embedding")).scalar()
        assert count == 2 * len(stored)
        exists = "SELECT to_regclass('embedding_vector') IS NOT NULL"
        assert db.session.execute(text(exists)).scalar() is False


@needs_pgvector
def test_pgvector_answers_like_numpy(make_app, stored):
    app = make_app(PLACEMENT_VECTOR_SEARCH="pgvector")
    keys = list(stored)[1::2]
    query = _vectors(1, seed=5)[f"{0:064x}"]
    with app.app_context():
        search = get_vector_search(app.config)
        for model, k in (("model-a", 5), ("model-b", 7), ("model-a", len(keys))):
            found = search.top_k(model, query, keys, k)
            expected = NumpyVectorSearch().top_k(model, query, keys, k)
            assert [key for key, _ in found] == [key for key, _ in expected]
            assert [s for _, s in found] == pytest.approx([s for _, s in expected], abs=1e-5)
        db.session.commit()
        rows = db.session.execute(text("SELECT count(*) FROM embedding_vector")).scalar()
        assert rows == 2 * len(keys)  # only the candidates were mirrored


@pytest.fixture
def engine_data(_engine_data):
    return _engine_data


@pytest.fixture
def people(app, create_org, create_vacancy, create_participant):
    org = create_org()
    vacancy = create_vacancy(org, title="Koch/Köchin", description="Kochen in der Kantine.")
    texts = [
        "Koch in der Kantine, Kochen für 300 Gäste.",
        "Lagerarbeit mit Stapler und Kommissionieren.",
        "Kochen und Backen in einer Bäckerei.",
        "Kochen und Backen in einer Bäckerei.",  # the same profile text twice
        "Pflegehelferin im Altenheim.",
    ]
    ids = [
        create_participant(first_name=f"P{i}", consent_matching=True, profile_text=text)
        for i, text in enumerate(texts)
    ]
    hidden = create_participant(
        first_name="Hidden", consent_matching=False, profile_text="Koch in der Kantine."
    )
    return vacancy, ids, hidden


def test_nearest_participants_by_embedding(app, people, engine_data):
    from placement.employers.models import Vacancy
    from placement.matches.services import (
        DbEmbeddingCache,
        candidate_record,
        nearest_participants,
        vacancy_record,
    )
    from placement.participants.models import Participant

    vacancy_id, ids, hidden = people
    lexicon, postcodes = engine_data
    matcher = Matcher(encoder=FakeEncoder(), lexicon=lexicon, postcodes=postcodes,
                      cache=DbEmbeddingCache())  # fmt: skip
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        everyone = nearest_participants(vacancy, 10, matcher=matcher)
        assert sorted(p.id for p, _ in everyone) == sorted(ids)  # no one without consent

        # The same order as cosines computed straight from the matcher.
        persons = [db.session.get(Participant, i) for i in ids]
        vectors = matcher.embed([vacancy_record(vacancy), *map(candidate_record, persons)])
        pairs = zip(persons, vectors[1:], strict=True)
        cosines = {p.id: float(vectors[0] @ vec) for p, vec in pairs}
        assert [s for _, s in everyone] == pytest.approx(
            sorted(cosines.values(), reverse=True), abs=1e-6
        )
        assert [cosines[p.id] for p, _ in everyone] == pytest.approx(
            [s for _, s in everyone], abs=1e-6
        )
        assert cosines[ids[0]] > cosines[ids[4]]
        assert everyone[0][0].id == max(cosines, key=cosines.get)

        top2 = nearest_participants(vacancy, 2, matcher=matcher)
        assert [p.id for p, _ in top2] == [p.id for p, _ in everyone[:2]]
        assert nearest_participants(vacancy, 0, matcher=matcher) == []
        assert hidden not in {p.id for p, _ in everyone}


def test_nearest_participants_follows_the_switch(make_app, people, engine_data):
    from placement.employers.models import Vacancy
    from placement.matches.services import DbEmbeddingCache, nearest_participants

    if TEST_DATABASE_URL and _pgvector_installed():
        pytest.skip("pgvector is installed here")
    vacancy_id, _, _ = people
    lexicon, postcodes = engine_data
    app = make_app(PLACEMENT_VECTOR_SEARCH="pgvector")
    matcher = Matcher(encoder=FakeEncoder(), lexicon=lexicon, postcodes=postcodes,
                      cache=DbEmbeddingCache())  # fmt: skip
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        with pytest.raises(VectorSearchUnavailable, match=UNAVAILABLE):
            nearest_participants(vacancy, 3, matcher=matcher)
