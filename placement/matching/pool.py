"""A ranking pool in arrays: hard constraints for every record at once, scores estimated in bulk.

The Matcher turns each record into `Features` once (what the constraints and score parts read:
levels, permit, coordinates, hours, concepts, ESCO occupations, skills, tokens) and keeps a pool
of them as NumPy arrays and sparse matrices. For one query it then judges the hard constraints
of all pool records together and estimates every score part in bulk. The estimate differs from
the exact score (`Matcher.score_pair`) only by rounding (parts are rounded to 4 decimals, so at
most `SCORE_SLACK`); the Matcher scores the few records near the cut exactly and explains only
the rows it returns, so a ranking is the same as scoring every pair one by one.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import math
import sys
import weakref
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .geo import EARTH_RADIUS_KM, Postcodes
from .lexicon import Lexicon
from .records import CEFR_LEVELS, CandidateRecord, VacancyRecord
from .scoring import (
    _GEEZ,
    FIELD_CREDIT,
    TYPICAL_CREDIT,
    TYPICAL_MIN_WEIGHT,
    Side,
    _families,
    _level_of,
    _stem_in,
)
from .textnorm import normalise, token_matches, tokens

# |estimate - exact score| is below this: each part may round differently by 1e-4, the sum too.
SCORE_SLACK = 5e-4
DISTANCE_SLACK_KM = 1e-6  # distances this close to a limit are judged exactly, pair by pair

_PERMIT = {None: 0, "any_work": 1, "employment": 1, "approval_required": 2, "not_permitted": 3}
_RECOGNITION = {None: -1, "recognised": 0, "not_needed": 0, "partial": 1, "in_process": 2}
_KINDS = {"job": 0, "internship": 1, "qualification": 2}


def _level_index(level: str | None) -> int:
    return CEFR_LEVELS.index(level) if level in CEFR_LEVELS else -1


def _nan(x: float | None) -> float:
    return np.nan if x is None else float(x)


@dataclass(slots=True)
class Features:
    """What the constraints and the score parts need of one record (its Side can go)."""

    id: str
    kind: str  # "vacancy" or "candidate"
    text: str  # what the encoder sees (record text and lexicon bridge)
    german: int
    lat: float
    lon: float
    hours: float
    concepts: dict[str, float]  # vacancy: its concepts; candidate: those the concept part uses
    esco: dict[str, float]
    level: int  # vacancy: required level; candidate: level of the phase part (-1 = unknown)
    families: frozenset[str]
    # vacancy only
    requires_recognition: bool = False
    vkind: int = 0
    radius: float = np.nan
    skills: list[str] = field(default_factory=list)
    skill_ids: list[frozenset[str]] = field(default_factory=list)  # concepts in each skill
    uncovered: list[str] = field(default_factory=list)  # skill concepts beyond listed skills
    # candidate only
    permit: int = 0
    recognition: int = -1
    max_commute: float = np.nan
    expires: int | None = None  # ordinal day
    phase: int = 0
    typical: frozenset[str] = frozenset()  # lexicon concepts lending their typical skills
    skill_concepts: frozenset[str] = frozenset()
    listed: tuple[str, ...] = ()  # normalised listed skills
    words: tuple[str, ...] = ()  # the text's distinct tokens


_SETS = ("families", "typical", "skill_concepts")
_TUPLES = ("listed", "words")
_FLOATS = ("lat", "lon", "hours", "radius", "max_commute")


def features_to_dict(f: Features) -> dict:
    """JSON-safe dict of Features (NaN as None, sets as sorted lists), for a feature store."""
    out = dataclasses.asdict(f)
    for key in _SETS:
        out[key] = sorted(out[key])
    for key in _TUPLES:
        out[key] = list(out[key])
    for key in _FLOATS:
        out[key] = None if math.isnan(out[key]) else out[key]
    out["skill_ids"] = [sorted(ids) for ids in f.skill_ids]
    return out


def features_from_dict(d: dict) -> Features:
    """The inverse of `features_to_dict`."""
    d = dict(d)
    for key in _SETS:
        d[key] = frozenset(d[key])
    for key in _TUPLES:
        d[key] = tuple(sys.intern(x) for x in d[key])
    for key in _FLOATS:
        d[key] = np.nan if d[key] is None else float(d[key])
    d["skill_ids"] = [frozenset(ids) for ids in d["skill_ids"]]
    return Features(**d)


def features(
    lex: Lexicon,
    postcodes: Postcodes,
    record: VacancyRecord | CandidateRecord,
    side: Side,
    text: str,
) -> Features:
    """The Features of a record, from its Side (ESCO occupations detected) and embedded text."""
    point = postcodes.get(record.postcode)
    lat, lon = point if point is not None else (np.nan, np.nan)
    common = {
        "id": record.id,
        "text": text,
        "german": _level_index(record.german_level),
        "lat": lat,
        "lon": lon,
        "hours": _nan(record.hours_per_week),
        "esco": dict(side.esco or {}),
    }
    if isinstance(record, VacancyRecord):
        covered = set().union(*side.listed_skill_ids) if side.listed_skill_ids else set()
        return Features(
            **common,
            kind="vacancy",
            concepts=dict(side.concepts),
            level=_or_minus(record.level or _level_of(lex, side.concepts, side)),
            families=_families(lex, side.concepts),
            requires_recognition=record.requires_recognition,
            vkind=_KINDS.get(record.kind, 0),
            radius=_nan(record.radius_km),
            skills=list(record.skills),
            skill_ids=list(side.listed_skill_ids),
            uncovered=[s for s in side.skill_concepts if s not in covered],
        )
    # as scoring.concept_part (current job counts in phase 5) and phase_part (in any phase)
    current = record.current_concepts
    cands = side.concepts
    if record.phase == 5 and current:
        cands = {**side.concepts, **dict.fromkeys(current, 1.0)}
    base = dict.fromkeys(current, 1.0) if current else side.concepts
    return Features(
        **common,
        kind="candidate",
        concepts=dict(cands),
        level=_or_minus(_level_of(lex, base, None if current else side)),
        families=_families(lex, base),
        permit=_PERMIT.get(record.work_permit, 0),
        recognition=_RECOGNITION.get(record.recognition, 3),
        max_commute=_nan(record.max_commute_km),
        expires=record.permit_expires.toordinal() if record.permit_expires else None,
        phase=record.phase or 0,
        typical=frozenset(
            k for k, w in side.concepts.items() if w >= TYPICAL_MIN_WEIGHT and k in lex.occupations
        ),
        skill_concepts=frozenset(side.skill_concepts),
        listed=tuple(dict.fromkeys(normalise(s).strip() for s in side.listed_skills)),
        words=tuple(sorted({sys.intern(t) for t in side.tokens})),
    )


def _or_minus(level: int | None) -> int:
    return -1 if level is None else int(level)


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


def _matrix(rows: list, vocab: Vocabulary, weights: bool = True) -> sparse.csr_matrix:
    """A CSR matrix (records x vocabulary) of dicts (id -> weight) or sets/lists (counts)."""
    indptr, indices, data = [0], [], []
    for row in rows:
        if isinstance(row, dict):
            items = row.items()
        else:
            counts: dict[str, float] = {}
            for key in row:
                counts[key] = counts.get(key, 0.0) + 1.0
            items = counts.items()
        for key, value in items:
            indices.append(vocab(key))
            data.append(value if weights else 1.0)
        indptr.append(len(indices))
    shape = (len(rows), max(len(vocab), 1))
    return sparse.csr_matrix(
        (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
        shape=shape,
    )


def _row_max(m: sparse.csr_matrix, values: np.ndarray) -> np.ndarray:
    """Per row, the max over its entries of data * values (0 for an empty row, never below 0)."""
    out = np.zeros(m.shape[0], dtype=np.float64)
    if m.nnz == 0:
        return out
    products = m.data * values
    starts = m.indptr[:-1]
    nonempty = np.flatnonzero(np.diff(m.indptr) > 0)
    out[nonempty] = np.maximum.reduceat(products, starts[nonempty])
    return np.maximum(out, 0.0)


def _lookup(vocab: Vocabulary, weights: dict[str, float], size: int) -> np.ndarray:
    out = np.zeros(size, dtype=np.float64)
    for key, value in weights.items():
        j = vocab.get(key)
        if j is not None and j < size:
            out[j] = value
    return out


class Pool:
    """The records one side of a ranking draws from, as arrays (built by `Matcher.pool`).

    `records[i]`, `vectors[i]` and every array row i describe the same record.
    """

    def __init__(
        self,
        records: list,
        vectors: np.ndarray,
        feats: list[Features],
        lex: Lexicon,
        concept_vocab: Vocabulary,
        kind: str,
    ):
        self.records = records
        self.vectors = vectors
        self.kind = kind
        self.lex = lex
        f = feats
        self.ids = [x.id for x in f]
        self.german = np.array([x.german for x in f], dtype=np.int16)
        self.lat = np.radians(np.array([x.lat for x in f], dtype=np.float64))
        self.lon = np.radians(np.array([x.lon for x in f], dtype=np.float64))
        self.hours = np.array([x.hours for x in f], dtype=np.float64)
        self.level = np.array([x.level for x in f], dtype=np.int16)
        self.concepts_vocab = concept_vocab
        self.concepts = _matrix([x.concepts for x in f], concept_vocab)
        self.esco_vocab = Vocabulary()
        self.esco = _matrix([x.esco for x in f], self.esco_vocab)
        self.family_vocab = Vocabulary()
        self.families = _matrix([x.families for x in f], self.family_vocab, weights=False)
        if self.kind == "vacancy":
            self.requires_recognition = np.array([x.requires_recognition for x in f], dtype=bool)
            self.vkind = np.array([x.vkind for x in f], dtype=np.int8)
            self.radius = np.array([x.radius for x in f], dtype=np.float64)
            self.skill_vocab = Vocabulary()
            self.skills = _matrix([x.skills for x in f], self.skill_vocab, weights=False)
            self.skill_ids = {
                skill: ids for x in f for skill, ids in zip(x.skills, x.skill_ids, strict=True)
            }
            self.sc_vocab = Vocabulary()
            self.uncovered = _matrix([x.uncovered for x in f], self.sc_vocab, weights=False)
            self.skill_total = np.array(
                [len(x.skills) + len(x.uncovered) for x in f], dtype=np.float64
            )
        else:
            self.permit = np.array([x.permit for x in f], dtype=np.int8)
            self.recognition = np.array([x.recognition for x in f], dtype=np.int8)
            self.max_commute = np.array([x.max_commute for x in f], dtype=np.float64)
            self.expires = np.array(
                [np.nan if x.expires is None else x.expires for x in f], dtype=np.float64
            )
            self.phase = np.array([x.phase for x in f], dtype=np.int8)
            self.typical = _matrix([x.typical for x in f], concept_vocab, weights=False)
            self.sc_vocab = Vocabulary()
            self.skill_concepts = _matrix([x.skill_concepts for x in f], self.sc_vocab, False)
            self.listed: dict[str, list[int]] = {}
            for i, x in enumerate(f):
                for s in x.listed:
                    self.listed.setdefault(s, []).append(i)
            words = sorted({w for x in f for w in x.words})
            self.words = words
            word_vocab = Vocabulary()
            for w in words:
                word_vocab(w)
            self.by_word = _matrix([x.words for x in f], word_vocab, weights=False).tocsc()

    def __len__(self) -> int:
        return len(self.records)

    @property
    def nbytes(self) -> int:
        """Memory of the arrays (vectors included), in bytes."""
        total = self.vectors.nbytes
        for value in vars(self).values():
            if isinstance(value, np.ndarray) and value is not self.vectors:
                total += value.nbytes
            elif sparse.issparse(value):
                total += value.data.nbytes + value.indices.nbytes + value.indptr.nbytes
        return total

    # -- rows with a word ------------------------------------------------------------------
    def rows_with_prefix(self, stem: str, whole: bool) -> np.ndarray:
        """Bool per row: a token of the record starts with `stem` (or equals it, `whole`)."""
        lo = bisect.bisect_left(self.words, stem)
        if whole:
            hi = lo + 1 if lo < len(self.words) and self.words[lo] == stem else lo
        else:
            hi = bisect.bisect_left(self.words, stem + "\U0010ffff")
        out = np.zeros(len(self), dtype=bool)
        if hi > lo:
            out[self.by_word.indices[self.by_word.indptr[lo] : self.by_word.indptr[hi]]] = True
        return out


def concept_credits(
    lex: Lexicon, vocab: Vocabulary, cid: str, other_is_vacancy: bool, phase: int | None
) -> np.ndarray:
    """`scoring.concept_credit` of one concept against every concept of the vocabulary.

    `cid` is the candidate's concept when `other_is_vacancy`, else the vacancy's.
    """
    entries = list(vocab.index.items())  # a snapshot: another thread may add to the vocabulary
    out = np.zeros(len(entries), dtype=np.float64)
    me = lex.occupations.get(cid)
    for other, j in entries:
        vid, c_id = (other, cid) if other_is_vacancy else (cid, other)
        if vid == c_id:
            out[j] = 0.8 if phase == 5 else 1.0
            continue
        o = lex.occupations.get(other)
        if me is None or o is None:
            continue
        v, c = (o, me) if other_is_vacancy else (me, o)
        if v.family == c.family:
            if phase == 5:
                out[j] = 1.0 if v.level > c.level else 0.4
            elif phase == 4:
                out[j] = 0.7 if v.level <= c.level else 0.5
            else:
                out[j] = 0.6
        elif v.field == c.field:
            out[j] = FIELD_CREDIT
    return out


def judge(v, c, today: dt.date) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The hard constraints for a vacancy and candidates (or a candidate and vacancies) at once.

    `v` and `c` are Pools or single-record views (`QueryView`); arrays broadcast. Returns
    (eligible, near miss, distance km (NaN unknown), unsure): `unsure` marks pairs whose distance
    sits on the commute limit, which the caller judges exactly (floating point of trigonometry).
    """
    hard = c.permit == 3
    # German level: one level below is a near miss
    need, have = v.german, c.german
    known = (need >= 0) & (have >= 0)
    gap = np.where(known, need - have, 0)
    near = gap == 1
    hard = hard | (gap > 1)
    # recognition
    rec = c.recognition
    req = v.requires_recognition
    adapting = np.asarray((v.vkind == 1) | (v.vkind == 2), dtype=bool)
    near = near | (req & (((rec == 1) & ~adapting) | (rec == 2)))
    hard = hard | (req & (rec == 3))
    # commute
    dlat, dlon = c.lat - v.lat, c.lon - v.lon
    h = np.sin(dlat / 2) ** 2 + np.cos(v.lat) * np.cos(c.lat) * np.sin(dlon / 2) ** 2
    with np.errstate(invalid="ignore"):
        distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    limit = np.fmin(c.max_commute, v.radius)
    with np.errstate(invalid="ignore"):
        too_far = distance > limit
        unsure = np.abs(distance - limit) <= DISTANCE_SLACK_KM
    hard = hard | too_far
    # hours
    with np.errstate(invalid="ignore"):
        short = c.hours < v.hours
        near = near | (short & (c.hours >= 0.75 * v.hours))
        hard = hard | (short & ~(c.hours >= 0.75 * v.hours))
        hard = hard | (c.expires < today.toordinal())
    shape = np.broadcast(hard, near, distance).shape
    hard, near = np.broadcast_to(hard, shape), np.broadcast_to(near, shape)
    unsure = np.broadcast_to(unsure, shape)
    hard, near = hard.astype(bool), near.astype(bool)
    return ~(hard | near), near & ~hard, np.broadcast_to(distance, shape), unsure


class QueryView:
    """One record's Features with the attribute names of a Pool (scalars broadcast)."""

    def __init__(self, f: Features):
        self.f = f
        self.german = f.german
        self.lat, self.lon = math.radians(f.lat), math.radians(f.lon)
        self.hours = f.hours
        self.level = f.level
        self.requires_recognition = np.bool_(f.requires_recognition)
        self.vkind = f.vkind
        self.radius = f.radius
        self.permit = f.permit
        self.recognition = f.recognition
        self.max_commute = f.max_commute
        self.expires = np.nan if f.expires is None else float(f.expires)
        self.phase = f.phase


def skill_credit_one(
    lex: Lexicon, skill: str, ids: frozenset[str], c: Features, stems: frozenset[str]
) -> float:
    """Credit of one listed vacancy skill for one candidate (as `scoring.skill_part`);
    `stems` = `stems_of(c.words)`."""
    stoks = [t[:6] for t in tokens(skill) if len(t) >= 3]
    whole = frozenset(c.words)
    share = sum(_stem_in(t, stems, whole) for t in stoks) / len(stoks) if stoks else 0.0
    if normalise(skill).strip() in c.listed or bool(ids & c.skill_concepts) or share >= 0.5:
        return 1.0
    if any(_typical_match(lex, skill, cid) for cid in c.typical):
        return TYPICAL_CREDIT
    return 0.0


def stems_of(words: frozenset[str]) -> frozenset[str]:
    out = set(words)
    for t in words:
        out.update(t[:k] for k in (3, 4, 5, 6) if len(t) >= k)
    return frozenset(out)


_TYPICAL_MEMO: dict[tuple[int, str], frozenset[str]] = {}
# per lexicon: each occupation's id and the tokens of each of its typical skills
_SKILL_TOKENS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _occupation_skill_tokens(lex: Lexicon) -> list[tuple[str, list[list[str]]]]:
    found = _SKILL_TOKENS.get(lex)
    if found is None:
        found = [(occ.id, [tokens(s) for s in occ.skills]) for occ in lex.occupations.values()]
        _SKILL_TOKENS[lex] = found
    return found


def typical_concepts(lex: Lexicon, skill: str) -> frozenset[str]:
    """Lexicon occupations one of whose typical skills covers half the words of `skill`
    (`scoring._phrase_in` >= 0.5, with the occupations' skills tokenised once per lexicon)."""
    key = (id(lex), skill)
    found = _TYPICAL_MEMO.get(key)
    if found is None:
        stoks = [t[:6] for t in tokens(skill) if len(t) >= 3]
        found = frozenset(
            oid
            for oid, skills in _occupation_skill_tokens(lex)
            if stoks
            and any(
                2 * sum(any(token_matches(s, t) for t in toks) for s in stoks) >= len(stoks)
                for toks in skills
            )
        )
        if len(_TYPICAL_MEMO) > 100_000:
            _TYPICAL_MEMO.clear()
        _TYPICAL_MEMO[key] = found
    return found


def _typical_match(lex: Lexicon, skill: str, cid: str) -> bool:
    return cid in typical_concepts(lex, skill)


def whole_word_only(stem: str) -> bool:
    """`scoring._stem_in`: stems under 4 characters (3 in Ge'ez script) match whole tokens."""
    return not (len(stem) >= 4 or (len(stem) == 3 and _GEEZ.match(stem)))


def _row_max_of(m: sparse.csr_matrix, products: np.ndarray) -> np.ndarray:
    out = np.zeros(m.shape[0], dtype=np.float64)
    nonempty = np.flatnonzero(np.diff(m.indptr) > 0)
    if nonempty.size:
        out[nonempty] = np.maximum.reduceat(products, m.indptr[:-1][nonempty])
    return np.maximum(out, 0.0)


def _any_column(m: sparse.csr_matrix, vocab: Vocabulary, keys) -> np.ndarray:
    cols = [j for j in (vocab.get(k) for k in keys) if j is not None and j < m.shape[1]]
    if not cols:
        return np.zeros(m.shape[0], dtype=bool)
    return np.asarray(m[:, cols].sum(axis=1)).ravel() > 0


def _sized(values: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(size, dtype=np.float64)
    k = min(size, len(values))
    out[:k] = values[:k]
    return out


def _phase_values(phase, vkind, v_level, c_level, shares) -> np.ndarray:
    """`scoring.phase_part` over arrays (levels -1 = unknown)."""
    unknown = (v_level < 0) | (c_level < 0)
    p4 = np.where(
        (vkind == 1) | (v_level == 1),
        1.0,
        np.where(unknown, 0.6, np.where(v_level <= c_level, 1.0, 0.4)),
    )
    step = np.where(v_level > c_level, 1.0, np.where(v_level == c_level, 0.4, 0.1))
    p5 = np.where(vkind == 2, 1.0, np.where(unknown | ~shares, 0.3, step))
    return np.where(phase == 4, p4, np.where(phase == 5, p5, 0.5))


def estimate_parts(
    lex: Lexicon, q: Features, q_vec: np.ndarray, pool: Pool, floor: float
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Cosines and the score parts of the query against every pool record, in bulk."""
    n = len(pool)
    cosines = pool.vectors @ q_vec
    semantic = np.clip((cosines.astype(np.float64) - floor) / (1.0 - floor), 0.0, 1.0)
    vocab = pool.concepts_vocab
    size = pool.concepts.shape[1]
    occupation = np.minimum(
        _row_max(pool.esco, _lookup(pool.esco_vocab, q.esco, pool.esco.shape[1])[
            pool.esco.indices]),
        1.0,
    ) if pool.esco.nnz else np.zeros(n)  # fmt: skip
    if q.kind == "vacancy":  # the pool holds candidates
        g = np.zeros((3, size), dtype=np.float64)
        for vid, vw in q.concepts.items():
            for row, phase in enumerate((None, 4, 5)):
                credits = _sized(concept_credits(lex, vocab, vid, False, phase), size)
                np.maximum(g[row], vw * credits, out=g[row])
        klass = np.where(pool.phase == 4, 1, np.where(pool.phase == 5, 2, 0))
        rows = np.repeat(np.arange(n), np.diff(pool.concepts.indptr))
        products = pool.concepts.data * g[klass[rows], pool.concepts.indices]
        concept = np.minimum(_row_max_of(pool.concepts, products), 1.0)
        credit = np.zeros(n, dtype=np.float64)
        for skill, ids in zip(q.skills, q.skill_ids, strict=True):
            hit = np.zeros(n, dtype=bool)
            listed = pool.listed.get(normalise(skill).strip())
            if listed:
                hit[listed] = True
            hit |= _any_column(pool.skill_concepts, pool.sc_vocab, ids)
            stoks = [t[:6] for t in tokens(skill) if len(t) >= 3]
            if stoks:
                found = sum(
                    pool.rows_with_prefix(t, whole_word_only(t)).astype(np.int32) for t in stoks
                )
                hit |= found / len(stoks) >= 0.5
            typical = _any_column(pool.typical, vocab, typical_concepts(lex, skill))
            credit += np.where(hit, 1.0, np.where(typical, TYPICAL_CREDIT, 0.0))
        for sid in q.uncovered:
            credit += _any_column(pool.skill_concepts, pool.sc_vocab, [sid])
        total = len(q.skills) + len(q.uncovered)
        skills = credit / total if total else np.zeros(n)
        shares = _any_column(pool.families, pool.family_vocab, q.families)
        phase = _phase_values(pool.phase, q.vkind, q.level, pool.level.astype(np.int64), shares)
    else:  # a candidate against vacancies
        h = np.zeros(size, dtype=np.float64)
        for cid, cw in q.concepts.items():
            credits = _sized(concept_credits(lex, vocab, cid, True, q.phase), size)
            np.maximum(h, cw * credits, out=h)
        products = pool.concepts.data * h[pool.concepts.indices]
        concept = np.minimum(_row_max_of(pool.concepts, products), 1.0)
        stems = stems_of(frozenset(q.words))
        values = np.zeros(max(len(pool.skill_vocab), 1), dtype=np.float64)
        for skill, j in pool.skill_vocab.index.items():
            values[j] = skill_credit_one(lex, skill, pool.skill_ids[skill], q, stems)
        have = _lookup(pool.sc_vocab, dict.fromkeys(q.skill_concepts, 1.0), pool.uncovered.shape[1])
        credit = pool.skills @ values[: pool.skills.shape[1]] + pool.uncovered @ have
        with np.errstate(invalid="ignore", divide="ignore"):
            skills = np.where(pool.skill_total > 0, credit / pool.skill_total, 0.0)
        shares = _any_column(pool.families, pool.family_vocab, q.families)
        phase = _phase_values(q.phase, pool.vkind, pool.level.astype(np.int64), q.level, shares)
    parts = {
        "semantic": semantic,
        "concept": concept,
        "occupation": occupation,
        "skills": skills,
        "phase": np.broadcast_to(phase, (n,)),
    }
    return cosines, parts


def estimate_scores(parts: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """The weighted mean of the rounded parts, as `Matcher.score_pair` computes it."""
    total = sum(weights.get(k, 0.0) for k in parts) or 1.0
    score = sum(weights.get(k, 0.0) * np.round(v, 4) for k, v in parts.items())
    return np.round(score / total, 4)
