"""Nearest stored embeddings to a query vector, restricted to a set of text keys.

`NumpyVectorSearch` (the default) is exact: it loads the candidates' vectors from the
`embedding` table and calls the engine's `top_k`. `PgVectorSearch` asks PostgreSQL with the
pgvector extension instead; it is opt-in (PLACEMENT_VECTOR_SEARCH=pgvector) and approximate,
since it uses an HNSW index. Its side table is created at first use, not by a migration, because
it cannot exist where the extension is missing.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from typing import Any, NoReturn, Protocol

import numpy as np
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from placement.extensions import db
from placement.matches.models import Embedding
from placement.matching import top_k as exact_top_k

CHOICES = ("numpy", "pgvector")
_BATCH = 500


class VectorSearchUnavailable(RuntimeError):
    """The configured vector search cannot run on this database."""


class VectorSearch(Protocol):
    def top_k(
        self, model: str, query_vec: np.ndarray, candidate_keys: list[str], k: int
    ) -> list[tuple[str, float]]:
        """The k candidate keys whose stored vectors are nearest to `query_vec` (cosine), best
        first, as (text key, cosine). Keys without a stored vector of `model` are skipped."""
        ...


class NumpyVectorSearch:
    """Exact top-k over the candidates' stored vectors; ties go to the smaller key."""

    def top_k(
        self, model: str, query_vec: np.ndarray, candidate_keys: list[str], k: int
    ) -> list[tuple[str, float]]:
        keys = sorted(set(candidate_keys))
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), _BATCH):
            rows = db.session.execute(
                select(Embedding.text_hash, Embedding.vector).where(
                    Embedding.model == model, Embedding.text_hash.in_(keys[start : start + _BATCH])
                )
            )
            found.update((key, np.frombuffer(blob, dtype="<f4")) for key, blob in rows)
        present = [key for key in keys if key in found]
        if not present or k <= 0:
            return []
        best, scores = exact_top_k(query_vec, np.stack([found[key] for key in present]), k)
        return [(present[i], float(s)) for i, s in zip(best, scores, strict=True)]


_prepared: set[tuple] = set()  # (database URL, what) set up in this process
_prepare_lock = threading.Lock()

_TABLE = """CREATE TABLE IF NOT EXISTS embedding_vector (
    embedding_id integer PRIMARY KEY,
    text_hash varchar(64) NOT NULL,
    model varchar(200) NOT NULL,
    dim integer NOT NULL,
    vec vector NOT NULL
)"""


class PgVectorSearch:
    """Nearest vectors through pgvector: `ORDER BY vec <=> :q LIMIT :k` on an HNSW index.

    The side table `embedding_vector` mirrors `embedding` (filled lazily, in the caller's
    transaction) with one partial HNSW index per model and dimension. It has no foreign key so
    that migrations can drop `embedding` freely; rows are joined back on id and text hash, so a
    stale row is never answered.
    """

    def top_k(
        self, model: str, query_vec: np.ndarray, candidate_keys: list[str], k: int
    ) -> list[tuple[str, float]]:
        keys = sorted(set(candidate_keys))
        query = np.asarray(query_vec, dtype="<f4")
        version = self._prepare(model, query.size)
        if not keys or k <= 0:
            return []
        self._fill(model, keys)
        dim = int(query.size)
        if version >= (0, 8):  # a filtered HNSW scan keeps looking until k rows qualify
            db.session.execute(text("SET LOCAL hnsw.iterative_scan = strict_order"))
        rows = db.session.execute(
            text(
                f"SELECT e.text_hash, ev.vec::vector({dim}) <=> CAST(:q AS vector({dim})) AS d"
                " FROM embedding_vector ev"
                " JOIN embedding e ON e.id = ev.embedding_id AND e.text_hash = ev.text_hash"
                " WHERE ev.model = :model AND ev.dim = :dim AND e.text_hash = ANY(:keys)"
                " ORDER BY d, e.text_hash LIMIT :k"
            ),
            {"q": _literal(query), "model": model, "dim": dim, "keys": keys, "k": k},
        )
        return [(key, 1.0 - float(distance)) for key, distance in rows]

    def _prepare(self, model: str, dim: int) -> tuple[int, ...]:
        """Check the extension, create the side table and this model's index (committed on a
        connection of their own, once per process); return the extension's version."""
        engine = db.engine
        if engine.dialect.name != "postgresql":
            _unavailable(f"the database is {engine.dialect.name}, not PostgreSQL")
        url = engine.url.render_as_string(hide_password=True)
        with _prepare_lock, engine.connect() as conn:
            version = _extension_version(conn)
            if version is None:
                try:
                    with conn.begin():
                        conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
                except DBAPIError as exc:
                    _unavailable(str(exc.orig).strip().splitlines()[0])
                version = _extension_version(conn) or ()
            if (url, "table") not in _prepared:
                with conn.begin():
                    conn.execute(text(_TABLE))
                _prepared.add((url, "table"))
            if (url, model, dim) not in _prepared:
                digest = hashlib.sha1(f"{model}/{dim}".encode()).hexdigest()[:16]
                name = f"embedding_vector_hnsw_{digest}"
                model_sql = model.replace("'", "''")
                with conn.begin():
                    conn.execute(
                        text(
                            f"CREATE INDEX IF NOT EXISTS {name} ON embedding_vector"
                            f" USING hnsw ((vec::vector({int(dim)})) vector_cosine_ops)"
                            f" WHERE model = '{model_sql}' AND dim = {int(dim)}"
                        )
                    )
                _prepared.add((url, model, dim))
        return version

    def _fill(self, model: str, keys: list[str]) -> None:
        """Copy the candidates' vectors not yet mirrored (or mirrored under a reused id)."""
        missing = db.session.execute(
            text(
                "SELECT e.id, e.text_hash, e.dim, e.vector FROM embedding e"
                " WHERE e.model = :model AND e.text_hash = ANY(:keys) AND NOT EXISTS ("
                "  SELECT 1 FROM embedding_vector ev"
                "  WHERE ev.embedding_id = e.id AND ev.text_hash = e.text_hash)"
            ),
            {"model": model, "keys": keys},
        ).all()
        rows = [
            {"id": id_, "hash": key, "model": model, "dim": dim,
             "vec": _literal(np.frombuffer(blob, dtype="<f4"))}
            for id_, key, dim, blob in missing
        ]  # fmt: skip
        for start in range(0, len(rows), _BATCH):
            db.session.execute(
                text(
                    "INSERT INTO embedding_vector (embedding_id, text_hash, model, dim, vec)"
                    " VALUES (:id, :hash, :model, :dim, CAST(:vec AS vector))"
                    " ON CONFLICT (embedding_id) DO UPDATE SET text_hash = EXCLUDED.text_hash,"
                    " model = EXCLUDED.model, dim = EXCLUDED.dim, vec = EXCLUDED.vec"
                ),
                rows[start : start + _BATCH],
            )


def _extension_version(conn) -> tuple[int, ...] | None:
    found = conn.execute(
        text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
    ).scalar()
    conn.rollback()  # end the implicit transaction of this read
    if found is None:
        return None
    return tuple(int(part) for part in found.split(".") if part.isdigit())


def _unavailable(reason: str) -> NoReturn:
    raise VectorSearchUnavailable(
        f"pgvector is not available on this database: {reason}; set PLACEMENT_VECTOR_SEARCH=numpy"
    )


def _literal(vec: np.ndarray) -> str:
    # pgvector's text form; repr of each float32 (as a Python float) round-trips exactly.
    return "[" + ",".join(map(str, np.asarray(vec, dtype=np.float64).tolist())) + "]"


def get_vector_search(config: Mapping[str, Any]) -> VectorSearch:
    """The vector search PLACEMENT_VECTOR_SEARCH asks for. Nothing touches the database here."""
    choice = str(config.get("PLACEMENT_VECTOR_SEARCH") or "numpy").strip().lower()
    if choice == "numpy":
        return NumpyVectorSearch()
    if choice == "pgvector":
        return PgVectorSearch()
    raise ValueError(f"PLACEMENT_VECTOR_SEARCH must be one of {', '.join(CHOICES)}, not {choice!r}")
