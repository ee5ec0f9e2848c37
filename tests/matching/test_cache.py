"""Embedding caches."""

from __future__ import annotations

import numpy as np

from placement.matching import EmbeddingCache, MemoryCache, NpzCache
from placement.matching.cache import encode_cached, text_key


def test_caches_follow_the_protocol(tmp_path):
    assert isinstance(MemoryCache(), EmbeddingCache)
    assert isinstance(NpzCache(tmp_path / "c.npz"), EmbeddingCache)


def test_keys_are_model_and_exact_text(fake_encoder):
    cache = MemoryCache()
    encode_cached(fake_encoder, ["Koch", "Koch ", "Koch"], cache)
    assert fake_encoder.encoded == 2  # "Koch " differs from "Koch"; duplicates encoded once
    assert set(cache.store) == {fake_encoder.name}
    assert text_key("Koch") in cache.store[fake_encoder.name]
    fake_encoder.name = "fake-bow@2"  # another model version: nothing is reused
    encode_cached(fake_encoder, ["Koch"], cache)
    assert fake_encoder.encoded == 3


def test_npz_cache_persists(tmp_path, fake_encoder):
    path = tmp_path / "vectors.npz"
    first = encode_cached(fake_encoder, ["Maurer", "Bäcker"], NpzCache(path))
    again = encode_cached(fake_encoder, ["Bäcker", "Maurer"], NpzCache(path))
    assert fake_encoder.encoded == 2
    assert np.allclose(first[::-1], again)
