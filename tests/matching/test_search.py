"""Exact top-k search."""

from __future__ import annotations

import numpy as np
import pytest

from placement.matching import top_k
from placement.matching.encoders import l2_normalise


@pytest.mark.parametrize("k", [1, 5, 10, 999, 1000, 5000])
def test_top_k_equals_full_sort(k):
    rng = np.random.default_rng(k)
    matrix = l2_normalise(rng.normal(size=(1000, 32)))
    query = l2_normalise(rng.normal(size=(1, 32)))[0]
    idx, scores = top_k(query, matrix, k)
    full = np.argsort(-(matrix @ query), kind="stable")[: min(k, 1000)]
    assert idx.tolist() == full.tolist()
    assert np.allclose(scores, (matrix @ query)[full])


def test_top_k_empty():
    idx, scores = top_k(np.ones(3), np.zeros((0, 3)), 5)
    assert idx.size == 0
    assert scores.size == 0
