"""Exact top-k search over cached, L2-normalised vectors (pure NumPy)."""

from __future__ import annotations

import numpy as np


def top_k(query: np.ndarray, matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosine scores of the k rows of `matrix` most similar to `query`, best first.

    `query` has shape (dim,), `matrix` (n, dim); both L2-normalised, so the dot product is the
    cosine. Uses argpartition (O(n)) and sorts only the k winners; ties go to the lower index.
    """
    matrix = np.asarray(matrix)
    n = matrix.shape[0]
    if n == 0 or k <= 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
    scores = matrix @ np.asarray(query, dtype=matrix.dtype)
    k = min(k, n)
    candidates = np.argpartition(scores, n - k)[n - k :] if k < n else np.arange(n)
    order = np.lexsort((candidates, -scores[candidates]))
    best = candidates[order]
    return best, scores[best]
