"""Embedding cache: vectors keyed by (encoder name, sha256 of the exact text).

The engine only needs the small `EmbeddingCache` protocol; the web app provides a database
implementation, the engine ships `MemoryCache` and `NpzCache` (a file, for the CLI).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from .encoders import Encoder

DEFAULT_BATCH = 64


@runtime_checkable
class EmbeddingCache(Protocol):
    """Where encoded vectors are kept between runs."""

    def get_many(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        """Vectors found for these text keys (missing keys are simply absent)."""
        ...

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors under their text keys."""
        ...


def text_key(text: str) -> str:
    """Cache key of a text: sha256 hex of its exact UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class MemoryCache:
    """In-process cache (a dict per model)."""

    def __init__(self) -> None:
        self.store: dict[str, dict[str, np.ndarray]] = {}

    def get_many(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        """Vectors found for these keys."""
        found = self.store.get(model, {})
        return {k: found[k] for k in keys if k in found}

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors."""
        self.store.setdefault(model, {}).update(items)

    def __len__(self) -> int:
        return sum(len(v) for v in self.store.values())


class NpzCache(MemoryCache):
    """A MemoryCache persisted to one .npz file (written on every put_many)."""

    def __init__(self, path: str | Path):
        super().__init__()
        self.path = Path(path)
        if self.path.exists():
            with np.load(self.path, allow_pickle=False) as data:
                models = [str(m) for m in data["models"]]
                for i, model in enumerate(models):
                    keys = [str(k) for k in data[f"k{i}"]]
                    self.store[model] = dict(zip(keys, data[f"v{i}"], strict=True))

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors and rewrite the file."""
        super().put_many(model, items)
        if items:
            self.save()

    def save(self) -> None:
        """Write all vectors to the file (atomically via a temporary file)."""
        arrays: dict[str, np.ndarray] = {"models": np.array(list(self.store), dtype=str)}
        for i, (_model, vectors) in enumerate(self.store.items()):
            arrays[f"k{i}"] = np.array(list(vectors), dtype=str)
            arrays[f"v{i}"] = np.stack(list(vectors.values())).astype(np.float32)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(tmp, **arrays)
        tmp.replace(self.path)


def encode_cached(
    encoder: Encoder,
    texts: list[str],
    cache: EmbeddingCache | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> np.ndarray:
    """Vectors for `texts` in order; each distinct text not in the cache is encoded once.

    Missing texts are encoded in batches of `batch_size` and written back to the cache.
    """
    keys = [text_key(t) for t in texts]
    unique: dict[str, str] = dict(zip(keys, texts, strict=True))
    model = encoder.name
    found = cache.get_many(model, list(unique)) if cache is not None else {}
    missing = [k for k in unique if k not in found]
    new: dict[str, np.ndarray] = {}
    for start in range(0, len(missing), batch_size):
        batch = missing[start : start + batch_size]
        vectors = encoder.encode([unique[k] for k in batch])
        new.update(zip(batch, np.asarray(vectors, dtype=np.float32), strict=True))
    if cache is not None and new:
        cache.put_many(model, new)
    found.update(new)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)


class JsonFeatureStore:
    """Derived record Features (`Matcher(features=...)`) in one gzipped JSON file, for the CLI:
    a second `placement rank` over the same records derives nothing again."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.items: dict[str, dict] = {}
        if self.path.exists():
            with gzip.open(self.path, "rt", encoding="utf-8") as f:
                self.items = json.load(f)

    def get_many(self, keys: list[str]) -> dict[str, dict]:
        """Stored Features (as dicts) found for these keys."""
        return {k: self.items[k] for k in keys if k in self.items}

    def put_many(self, items: dict[str, dict]) -> None:
        """Store Features and rewrite the file (atomically via a temporary file)."""
        if not items:
            return
        self.items.update(items)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as f:
            json.dump(self.items, f, ensure_ascii=False)
        tmp.replace(self.path)
