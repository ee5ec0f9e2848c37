"""Test doubles shared by the engine tests (tests/matching) and the app tests (tests/matches)."""

from __future__ import annotations

import hashlib

import numpy as np

from placement.matching.textnorm import tokens


class FakeEncoder:
    """Bag of hashed word tokens: deterministic, instant, no model files; counts every text it
    encodes (``calls``, ``encoded``)."""

    name = "fake-bow@1"
    dim = 64

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    @property
    def encoded(self) -> int:
        return sum(len(c) for c in self.calls)

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for tok in tokens(text):
                out[i, int(hashlib.md5(tok.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1
        return out / norms


class FallbackEncoder(FakeEncoder):
    """The fake in the role of the TF-IDF fallback (no model installed)."""

    name = "tfidf-fallback@test"
    is_fallback = True


class DictStore:
    """A feature store in a dict (the app's is a table): `items` holds what was put."""

    def __init__(self) -> None:
        self.items: dict[str, dict] = {}

    def get_many(self, keys):
        return {k: self.items[k] for k in keys if k in self.items}

    def put_many(self, items):
        self.items.update(items)
