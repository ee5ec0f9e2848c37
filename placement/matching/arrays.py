"""Sparse rows of string ids as SciPy matrices, and the per-row reductions the score parts use."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy import sparse


class Vocabulary:
    """String ids -> column numbers, growing as records are added."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.index)

    def __call__(self, key: str) -> int:
        return self.index.setdefault(key, len(self.index))

    def get(self, key: str) -> int | None:
        return self.index.get(key)


def matrix(rows: Iterable, vocab: Vocabulary, weights: bool = True) -> sparse.csr_matrix:
    """A CSR matrix (records x vocabulary) of dicts (id -> weight, float64) or of sets/lists
    (counts, int32 data). Indices are int32."""
    indptr, indices, data = [0], [], []
    for row in rows:
        if isinstance(row, dict):
            for key, value in row.items():
                indices.append(vocab(key))
                data.append(value if weights else 1.0)
        else:
            counts: dict[int, int] = {}
            for key in row:
                j = vocab(key)
                counts[j] = counts.get(j, 0) + 1
            indices.extend(counts)
            data.extend(counts.values())
        indptr.append(len(indices))
    shape = (len(indptr) - 1, max(len(vocab), 1))
    dtype = np.float64 if weights else np.int32
    m = sparse.csr_matrix(
        (
            np.asarray(data, dtype=dtype),
            np.asarray(indices, dtype=np.int32),
            np.asarray(indptr, dtype=np.int64 if len(indices) >= 2**31 else np.int32),
        ),
        shape=shape,
    )
    return m


class Columns:
    """For a boolean pattern (records x vocabulary): the rows holding each column, compact.

    Only what `any_of` needs: int32 row numbers per column (no values)."""

    def __init__(self, m: sparse.csr_matrix, vocab: Vocabulary):
        csc = m.tocsc()
        csc.sort_indices()
        self.vocab = vocab
        self.n = m.shape[0]
        self.indptr = csc.indptr.astype(np.int64)
        self.rows = csc.indices.astype(np.int32)

    @property
    def nbytes(self) -> int:
        return self.indptr.nbytes + self.rows.nbytes

    def any_of(self, keys: Iterable[str]) -> np.ndarray:
        """Bool per row: the row holds one of these ids."""
        out = np.zeros(self.n, dtype=bool)
        size = len(self.indptr) - 1
        for key in keys:
            j = self.vocab.get(key)
            if j is not None and j < size:
                out[self.rows[self.indptr[j] : self.indptr[j + 1]]] = True
        return out


def lookup(vocab: Vocabulary, weights: dict[str, float], size: int) -> np.ndarray:
    """The weights as a dense vector over the first `size` columns of the vocabulary."""
    out = np.zeros(size, dtype=np.float64)
    for key, value in weights.items():
        j = vocab.get(key)
        if j is not None and j < size:
            out[j] = value
    return out


def sized(values: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(size, dtype=np.float64)
    k = min(size, len(values))
    out[:k] = values[:k]
    return out


class RowMax:
    """Per row of a CSR matrix, the max over its entries of some per-entry products (0 for an
    empty row, never below 0); the row boundaries are worked out once."""

    def __init__(self, m: sparse.csr_matrix):
        self.n = m.shape[0]
        self.nonempty = np.flatnonzero(np.diff(m.indptr) > 0)
        self.starts = m.indptr[:-1][self.nonempty]

    def __call__(self, products: np.ndarray) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float64)
        if self.nonempty.size:
            out[self.nonempty] = np.maximum.reduceat(products, self.starts)
        return np.maximum(out, 0.0)
