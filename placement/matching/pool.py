"""A ranking pool in arrays: what one side of a ranking needs of each record, compactly.

The Matcher turns each record into `Features` once (features.py) and keeps a pool of them as
NumPy arrays and sparse matrices: small integer codes for levels, permit, recognition and
phase, float64 only where a value is compared with another record's, float32 vectors, int32
indices, and no per-record Python object beyond the records sequence given (which may load
its records lazily: only the rows scored exactly and explained are read). For one query the
Matcher judges the hard constraints of all pool records together (judging.py), estimates
every score part in bulk (estimate.py), scores the few records near the cut exactly and
explains only the rows it returns, so a ranking is the same as scoring every pair one by one.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from .arrays import Columns, RowMax, Vocabulary, matrix
from .estimate import (
    SCORE_SLACK,
    concept_credits,
    estimate_parts,
    estimate_scores,
    skill_credit_one,
    stems_of,
    typical_concepts,
    whole_word_only,
)
from .features import Features, features, features_from_dict, features_to_dict, with_fields
from .judging import DISTANCE_SLACK_KM, QueryView, haversine, judge
from .lexicon import Lexicon

__all__ = [  # the pool, and what the ranking modules offer (imported from here before)
    "DISTANCE_SLACK_KM",
    "SCORE_SLACK",
    "Features",
    "Pool",
    "QueryView",
    "Vocabulary",
    "concept_credits",
    "estimate_parts",
    "estimate_scores",
    "features",
    "features_from_dict",
    "features_to_dict",
    "judge",
    "skill_credit_one",
    "stems_of",
    "typical_concepts",
    "whole_word_only",
    "with_fields",
]


def _small(values, dtype=np.int8) -> np.ndarray:
    return np.fromiter(values, dtype=dtype)


def _floats(values) -> np.ndarray:
    return np.fromiter(values, dtype=np.float64)


def _distinct(rows) -> tuple[list[dict], np.ndarray]:
    """The distinct dicts of `rows` (in first-seen order) and each row's number among them."""
    seen: dict[tuple, int] = {}
    unique: list[dict] = []
    numbers = []
    for row in rows:
        key = tuple(row.items())
        j = seen.get(key)
        if j is None:
            j = seen[key] = len(unique)
            unique.append(row)
        numbers.append(j)
    return unique, np.asarray(numbers, dtype=np.int32)


class Pool:
    """The records one side of a ranking draws from, as arrays (built by `Matcher.pool`).

    `records[i]`, `vectors[i]` and every array row i describe the same record. `records` is
    any sequence (a list, or one that reads a record when asked for it): the pool reads only
    the records it scores exactly. The Features are not kept.
    """

    def __init__(
        self,
        records: Sequence,
        vectors: np.ndarray,
        feats: Sequence[Features],
        lex: Lexicon,
        concept_vocab: Vocabulary,
        kind: str,
    ):
        self.records = records
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.kind = kind
        self.lex = lex
        f = feats
        n = len(f)
        self.n = n
        self.ids = [x.id for x in f]  # for ties broken by id without reading a record
        self.german = _small((x.german for x in f), np.int8)
        self.level = _small((x.level for x in f), np.int8)
        self.hours = _floats(x.hours for x in f)
        # places: the distinct points (radians) and each record's point (-1 unknown)
        lat, lon = _floats(x.lat for x in f), _floats(x.lon for x in f)
        known = ~(np.isnan(lat) | np.isnan(lon))
        points, inverse = np.unique(np.stack([lat[known], lon[known]], axis=1), axis=0,
                                    return_inverse=True)  # fmt: skip
        self.points = np.radians(points.reshape(-1, 2))
        self.point = np.full(n, -1, dtype=np.int32)
        self.point[known] = inverse.reshape(-1)
        self.concepts_vocab = concept_vocab
        # concepts and ESCO occupations: a matrix of the distinct rows (records share them) and
        # each record's row in it
        distinct, self.concept_row = _distinct(x.concepts for x in f)
        self.concepts = matrix(distinct, concept_vocab)
        self.concepts_max = RowMax(self.concepts)
        self.esco_vocab = Vocabulary()
        distinct, self.esco_row = _distinct(x.esco for x in f)
        self.esco = matrix(distinct, self.esco_vocab)
        self.esco_max = RowMax(self.esco)
        self.family_vocab = Vocabulary()
        self.families = Columns(matrix((x.families for x in f), self.family_vocab, False),
                                self.family_vocab)  # fmt: skip
        if self.kind == "vacancy":
            self.requires_recognition = _small((x.requires_recognition for x in f), bool)
            self.vkind = _small((x.vkind for x in f), np.int8)
            self.radius = _floats(x.radius for x in f)
            self.skill_vocab = Vocabulary()
            self.skills = matrix((x.skills for x in f), self.skill_vocab, weights=False)
            self.skill_ids = {
                skill: ids for x in f for skill, ids in zip(x.skills, x.skill_ids, strict=True)
            }
            self.sc_vocab = Vocabulary()
            self.uncovered = matrix((x.uncovered for x in f), self.sc_vocab, weights=False)
            self.skill_total = _floats(len(x.skills) + len(x.uncovered) for x in f)
        else:
            self.permit = _small((x.permit for x in f), np.int8)
            self.recognition = _small((x.recognition for x in f), np.int8)
            self.max_commute = _floats(x.max_commute for x in f)
            self.expires = _floats(np.nan if x.expires is None else x.expires for x in f)
            self.phase = _small((x.phase for x in f), np.int8)
            # the concept part's credits differ by phase (4, 5, other): each record's class
            self.concept_class = np.where(self.phase == 4, 1, np.where(self.phase == 5, 2, 0))
            self.concept_class = self.concept_class.astype(np.int8)
            self.typical = Columns(matrix((x.typical for x in f), concept_vocab, False),
                                   concept_vocab)  # fmt: skip
            self.sc_vocab = Vocabulary()
            self.skill_concepts = Columns(matrix((x.skill_concepts for x in f), self.sc_vocab,
                                                 False), self.sc_vocab)  # fmt: skip
            listed: dict[str, list[int]] = {}
            for i, x in enumerate(f):
                for s in x.listed:
                    listed.setdefault(s, []).append(i)
            self.listed = {s: np.asarray(rows, dtype=np.int32) for s, rows in listed.items()}
            self.words = sorted({w for x in f for w in x.words})
            word_vocab = Vocabulary()
            for w in self.words:
                word_vocab(w)
            self.by_word = Columns(matrix((x.words for x in f), word_vocab, weights=False),
                                   word_vocab)  # fmt: skip

    def __len__(self) -> int:
        return self.n

    @property
    def nbytes(self) -> int:
        """Memory of the arrays (vectors included), in bytes."""
        total = 0
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                total += value.nbytes
            elif sparse.issparse(value):
                total += value.data.nbytes + value.indices.nbytes + value.indptr.nbytes
            elif isinstance(value, Columns):
                total += value.nbytes
            elif isinstance(value, RowMax):
                total += value.nonempty.nbytes + value.starts.nbytes
        total += sum(rows.nbytes for rows in getattr(self, "listed", {}).values())
        return total

    # -- places -----------------------------------------------------------------------------
    def distances(self, lat: float, lon: float) -> np.ndarray:
        """Great-circle km from a point (radians) of the other side to every record (NaN where
        unknown), computed once per distinct point as `judging.haversine` computes it."""
        p_lat, p_lon = self.points[:, 0], self.points[:, 1]
        if self.kind == "vacancy":
            per_point = haversine(p_lat, p_lon, lat, lon)
        else:
            per_point = haversine(lat, lon, p_lat, p_lon)
        per_point = np.append(per_point, np.nan)  # index -1: unknown place
        return per_point[self.point]

    # -- rows with a word ---------------------------------------------------------------------
    def rows_with_prefix(self, stem: str, whole: bool) -> np.ndarray:
        """Bool per row: a token of the record starts with `stem` (or equals it, `whole`)."""
        lo = bisect.bisect_left(self.words, stem)
        if whole:
            hi = lo + 1 if lo < len(self.words) and self.words[lo] == stem else lo
        else:
            hi = bisect.bisect_left(self.words, stem + "\U0010ffff")
        out = np.zeros(len(self), dtype=bool)
        if hi > lo:
            ptr, rows = self.by_word.indptr, self.by_word.rows
            out[rows[ptr[lo] : ptr[hi]]] = True
        return out
