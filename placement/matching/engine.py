"""The Matcher: hard constraints first, then a score by meaning, explained.

score = weighted mean of parts in [0, 1]:
  semantic  cosine of the embeddings of vacancy and candidate text (lexicon titles appended)
  concept   occupation concept overlap from the lexicon (exact, same family, same field)
  skills    share of the vacancy's skills the candidate shows
  phase     fit to the participant's phase (4: entry fit, 5: development)
  occupation  ESCO occupations both sides are mapped onto (product of the two confidences,
            best shared occupation); its signals (lexical, use, e5) are shown as parts of
            weight 0, since they are fused into it
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from threadpoolctl import threadpool_limits

from .arrays import Vocabulary
from .cache import EmbeddingCache, MemoryCache, encode_cached, text_key
from .constraints import check_all
from .encoders import Encoder, TfidfEncoder, load_encoder
from .esco import ESCO_PREFIX, OccupationIndex, default_index, uncapitalise
from .estimate import SCORE_SLACK, estimate_parts, estimate_scores
from .explain import MatchResult, Reason, reasons_for
from .features import Features, features, features_from_dict, features_to_dict
from .geo import Postcodes, load_postcodes
from .judging import QueryView, judge
from .lexicon import Lexicon, load_lexicon
from .pool import Pool
from .records import CandidateRecord, VacancyRecord
from .scoring import (
    Side,
    bridge_text,
    candidate_side,
    concept_part,
    esco_part,
    phase_part,
    skill_part,
    vacancy_side,
)

DETECTION_CACHE_SIZE = 200_000
DERIVE_CHUNK = 2048  # records derived at a time (their Sides are large and not kept)
# The former embedding prefilter of large pools; ranking by arrays needs none (its top k are
# exact at any pool size). Kept so that code which tuned them still runs.
PREFILTER_MIN = 10_000
PREFILTER_FACTOR = 50


@dataclass
class Ranking:
    """One page of a ranking and the counts of the whole ranking.

    `results` are the rows `offset` to `offset + top_k` (eligible first, then by score), each
    fully explained; the counts cover every record of the pool.
    """

    results: list[MatchResult]
    eligible: int
    near_miss: int
    ineligible: int
    offset: int = 0

    @property
    def total(self) -> int:
        return self.eligible + self.ineligible


@dataclass
class Judged:
    """One query judged against a whole pool (`Matcher.judge_pool`): per pool record whether it
    is eligible or a near miss, the distance (km, NaN unknown), the embedding cosine and the
    estimated score (None: the weights need exact scores); exact results once computed."""

    query: VacancyRecord | CandidateRecord
    by_vacancy: bool
    eligible: np.ndarray
    near: np.ndarray
    distance: np.ndarray
    cosines: np.ndarray
    scores: np.ndarray | None
    exact: dict[int, MatchResult] = field(default_factory=dict)


class Matcher:
    """Ranks candidates for a vacancy and vacancies for a candidate.

    Parameters are stored as given; missing ones are resolved on first use: the shipped lexicon
    and postcodes from data/, the encoder from `load_encoder()`, an in-memory cache.
    Pass `lexicon=Lexicon.empty()` to turn the language bridge off.
    """

    DEFAULT_WEIGHTS: Mapping[str, float] = {
        # semantic : concept : occupation chosen on the MELO development splits (at_de, fr_de,
        # es_de), keeping the dev set at MRR 1.0; without an ESCO layer "occupation" drops out
        "semantic": 0.3,
        "concept": 0.2,
        "occupation": 0.6,
        "skills": 0.15,
        "phase": 0.15,
        # the signals fused into "occupation", shown for the explanation only
        "occupation_lexical": 0.0,
        "occupation_use": 0.0,
        "occupation_e5": 0.0,
    }
    SIGNALS = ("lexical", "use", "e5")
    # their parts in a result (weight 0: shown in the explanation, not scored)
    SIGNAL_PARTS = tuple(f"occupation_{name}" for name in SIGNALS)

    def __init__(
        self,
        encoder: Encoder | None = None,
        lexicon: Lexicon | None = None,
        postcodes: Postcodes | None = None,
        cache: EmbeddingCache | None = None,
        weights: Mapping[str, float] | None = None,
        today: dt.date | None = None,
        occupations: OccupationIndex | None = None,
        features: FeatureStore | None = None,
    ):
        self.encoder = encoder
        self.feature_store = features
        self.lexicon = lexicon
        self.postcodes = postcodes
        self.cache = cache
        self.weights = weights
        self.today = today
        self.occupations = occupations

    # -- lazily resolved collaborators -------------------------------------------------
    def _ready(self) -> None:
        if hasattr(self, "encoder_"):
            return
        self.lexicon_ = self.lexicon if self.lexicon is not None else load_lexicon()
        self.postcodes_ = self.postcodes if self.postcodes is not None else load_postcodes()
        self.cache_ = self.cache if self.cache is not None else MemoryCache()
        self.weights_ = {**self.DEFAULT_WEIGHTS, **(self.weights or {})}
        self.sides_: dict[tuple, Side] = {}
        self.features_: dict[tuple, Features] = {}
        self.concept_vocab_ = Vocabulary()
        self.lock_ = threading.RLock()
        encoder = self.encoder if self.encoder is not None else load_encoder()
        self.occupations_ = (
            self.occupations if self.occupations is not None else default_index(encoder)
        )
        self.links_: dict[str, str] | None = None
        self.derivation_ = _derivation(self.lexicon_, self.postcodes_, self.occupations_)
        self.encoder_ = encoder

    def prepare(self) -> Matcher:
        """Resolve the default lexicon, postcodes, cache and encoder now (else on first use)."""
        self._ready()
        return self

    @property
    def score_weights(self) -> dict[str, float]:
        """The weights a score is made of: without an ESCO layer its part counts 0, so that it
        does not dilute the others."""
        self._ready()
        if len(self.occupations_):
            return dict(self.weights_)
        return {**self.weights_, "occupation": 0.0}

    @property
    def is_fallback(self) -> bool:
        """True when the TF-IDF fallback encoder is in use (the app should say so)."""
        self._ready()
        return bool(getattr(self.encoder_, "is_fallback", False))

    @staticmethod
    def _key(record: VacancyRecord | CandidateRecord) -> tuple:
        # Everything a Side is derived from (not the id: equal profiles share their Side).
        concepts = tuple(record.concepts) if record.concepts is not None else None
        if isinstance(record, VacancyRecord):
            fields = (record.title, record.occupation, record.description, *record.skills)
        else:
            fields = (record.profile, tuple(record.desired_occupations), *record.skills)
        return (type(record).__name__, concepts, record.language, *fields)

    def _new_side(self, record: VacancyRecord | CandidateRecord) -> Side:
        if isinstance(record, VacancyRecord):
            return vacancy_side(self.lexicon_, record)
        return candidate_side(self.lexicon_, record)

    def _side(self, record: VacancyRecord | CandidateRecord) -> Side:
        key = self._key(record)
        side = self.sides_.get(key)
        if side is None:
            side = self._new_side(record)
            if len(self.sides_) >= DETECTION_CACHE_SIZE:
                self.sides_.clear()
            self.sides_[key] = side
        return side

    # -- ESCO occupations ---------------------------------------------------------------
    def lexicon_links(self) -> dict[str, str]:
        """Lexicon concept id -> the ESCO occupation id it stands for."""
        self._ready()
        if self.links_ is None:
            self.links_ = self.occupations_.link(self.lexicon_)
        return self.links_

    def detect_occupations(self, records: list) -> list[Side]:
        """The records' Sides with their ESCO occupations filled in (searched in one batch).

        A counsellor's correction (`concepts`) replaces detection: its "esco:" ids count with
        confidence 1, its lexicon concepts through their link. Otherwise the title/occupation
        (vacancy) or desired occupations and profile (candidate) are searched, and lexicon
        concepts found in them add their linked ESCO occupation with the concept's weight.
        """
        self._ready()
        sides = [self._side(r) for r in records]
        self._detect_into(records, sides)
        return sides

    def keep_sides(self, records: Sequence, limit: int | None = None) -> None:
        """Derive and keep the Sides of these records now (ESCO occupations detected), so that
        explaining them later (`score_pair`) finds them: a pool's records, when it is built.
        Sides are kept by content, so records equal in what they are derived from share one,
        and a rebuilt pool derives only what changed. At most `limit` new Sides (a distinct
        Side takes about 8 KB); the others are derived when they are first explained."""
        self._ready()
        todo = list({self._key(r): r for r in records if self._key(r) not in self.sides_}.values())
        todo = todo[:limit] if limit is not None else todo
        for start in range(0, len(todo), DERIVE_CHUNK):
            self.detect_occupations(todo[start : start + DERIVE_CHUNK])

    def _detect_into(self, records: list, sides: list[Side]) -> None:
        todo = [(r, s) for r, s in zip(records, sides, strict=True) if s.esco is None]
        with self.lock_:  # Features derived (or read from the store) hold what a search finds
            known = [self.features_.get(_record_key(r)) for r, _ in todo]
        for (_, side), f in zip(todo, known, strict=True):
            if f is not None and f.esco_signals is not None:
                self._esco_from(f, side)
        todo = [(r, s) for r, s in todo if s.esco is None]
        if not todo:
            return
        index, links = self.occupations_, self.lexicon_links()
        queries = [[] if r.concepts is not None else _esco_queries(r) for r, _ in todo]
        flat = list(dict.fromkeys(q for qs in queries for q in qs))
        titles = {t for r, _ in todo for t in _titles(r)}
        prose = [q for q in flat if q not in titles]  # a profile's text, not a job title
        hits = dict(zip(flat, index.search(flat, self.cache_, prose), strict=True))
        for (record, side), qs in zip(todo, queries, strict=True):
            found: dict[str, float] = {}
            signals: dict[str, dict[str, float]] = {}
            for q in qs:
                for h in hits[q]:
                    if h.confidence > found.get(h.id, 0.0):
                        found[h.id], signals[h.id] = h.confidence, h.signals
            if record.concepts is not None:
                for cid in record.concepts:
                    if cid.startswith(ESCO_PREFIX) and cid[len(ESCO_PREFIX) :] in index.esco:
                        found[cid[len(ESCO_PREFIX) :]] = 1.0
            for cid, weight in side.concepts.items():
                oid = links.get(cid)
                if oid and weight > found.get(oid, 0.0):
                    found[oid], signals[oid] = weight, {"lexicon": weight}
            best = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[: index.top]
            side.esco = dict(best)
            side.esco_signals = {k: signals.get(k, {}) for k, _ in best}
            side.esco_level = self._likeliest_level(side.esco)

    def _side_of_features(self, v: VacancyRecord) -> Side | None:
        """A vacancy's Side for scoring, from its Features when they hold all that scoring reads
        of it (their ESCO occupations with the signals, when they have any); else None. Spares
        the lexicon detection and the ESCO search of vacancies whose Features came from the
        feature store."""
        with self.lock_:
            f = self.features_.get(_record_key(v))
        if f is None or f.kind != "vacancy" or (f.esco and f.esco_signals is None):
            return None
        # skill_part reads the skill concepts beyond the listed skills' (`uncovered`, in order)
        side = Side(dict(f.concepts), dict.fromkeys(f.uncovered, 1.0), [], list(v.skills),
                    v.language)  # fmt: skip
        side.families = f.families
        side.listed_skill_ids = list(f.skill_ids)
        self._esco_from(f, side)
        return side

    def _esco_from(self, f: Features, side: Side) -> None:
        """The Side's ESCO occupations, their signals and level as its Features hold them
        (derived by `_detect_into` from the same content, so a search would find the same)."""
        side.esco = dict(f.esco)
        side.esco_signals = {k: dict(v) for k, v in (f.esco_signals or {}).items()}
        side.esco_level = self._likeliest_level(side.esco)

    def _likeliest_level(self, esco: dict[str, float]) -> int | None:
        """The ISCO skill level of the likeliest ESCO occupation (ties: the first id)."""
        best = min(esco.items(), key=lambda kv: (-kv[1], kv[0]), default=None)
        catalogue = self.occupations_.esco.occupations
        return catalogue[best[0]].level if best and best[0] in catalogue else None

    def _text(self, record, side: Side) -> str:
        bridge = bridge_text(self.lexicon_, side)
        return uncapitalise(record.text()) + (f"\n{bridge}" if bridge else "")

    def embedding_texts(self, records: list[VacancyRecord | CandidateRecord]) -> list[str]:
        """The exact texts the encoder sees for these records (record text, lexicon bridge)."""
        return [f.text for f in self.features(records)]

    def text_keys(self, records: list[VacancyRecord | CandidateRecord]) -> list[str]:
        """The embedding cache keys of these records (one per distinct embedded text)."""
        return [text_key(t) for t in self.embedding_texts(records)]

    def embed(self, records: list[VacancyRecord | CandidateRecord]) -> np.ndarray:
        """Embeddings of records (bridged texts), through the cache."""
        self._ready()
        return encode_cached(self.encoder_, self.embedding_texts(records), self.cache_)

    def features(
        self, records: list[VacancyRecord | CandidateRecord], compute: bool = True
    ) -> list[Features]:
        """What the constraints and score parts read of each record (kept per distinct record).

        Derived once per distinct record content (lexicon detection, ESCO occupations) and kept
        in memory and in the feature store; the Sides used for it are not kept. With
        `compute=False` records found nowhere are None (nothing is derived now).
        """
        self._ready()
        keys = [_record_key(r) for r in records]
        with self.lock_:
            found = [self.features_.get(k) for k in keys]
        todo = [i for i, f in enumerate(found) if f is None]
        store = self.feature_store
        if todo and store is not None:
            names = {i: self.feature_key(keys[i]) for i in todo}
            stored = store.get_many(list(dict.fromkeys(names.values())))
            with self.lock_:
                for i in todo:
                    d = stored.get(names[i])
                    if d is not None:
                        found[i] = self.features_[keys[i]] = features_from_dict(d)
            todo = [i for i in todo if found[i] is None]
        # in chunks: a chunk's Sides (token stems, large) are dropped before the next one
        for start in range(0, len(todo) if compute else 0, DERIVE_CHUNK):
            chunk = todo[start : start + DERIVE_CHUNK]
            recs = [records[i] for i in chunk]
            # vacancies' Sides are kept (few, and explained often); candidates' are not
            sides = [
                self._side(r)
                if isinstance(r, VacancyRecord)
                else self.sides_.get(self._key(r)) or self._new_side(r)
                for r in recs
            ]
            self._detect_into(recs, sides)
            with self.lock_:
                if len(self.features_) + len(chunk) > DETECTION_CACHE_SIZE:
                    self.features_.clear()
                for i, r, side in zip(chunk, recs, sides, strict=True):
                    f = features(self.lexicon_, self.postcodes_, r, side, self._text(r, side))
                    self.features_[keys[i]] = found[i] = f
            if store is not None:
                store.put_many({self.feature_key(keys[i]): features_to_dict(found[i])
                                for i in chunk})  # fmt: skip
        return found  # type: ignore[return-value]

    def feature_key(self, record_key: tuple) -> str:
        """The feature store's key of a record: its content and what derives from it."""
        return text_key(repr((self.derivation_, record_key)))

    def fit(self, vacancies: Iterable, candidates: Iterable) -> Matcher:
        """Fit an unfitted TF-IDF encoder on the corpus of both sides (other encoders: no-op).

        This changes the encoder in place: a matcher shared between threads takes `fitted`.
        """
        self._ready()
        enc = self.encoder_
        if isinstance(enc, TfidfEncoder) and not hasattr(enc, "char_"):
            records = [*map(_vacancy, vacancies), *map(_candidate, candidates)]
            enc.fit(self.embedding_texts(records))
        return self

    def fitted(self, vacancies: Iterable, candidates: Iterable) -> Matcher:
        """This matcher when its encoder needs no fitting; else a new matcher whose own TF-IDF
        encoder is fitted on these records (this one is left as it is, safe to share)."""
        self._ready()
        enc = self.encoder_
        if not isinstance(enc, TfidfEncoder) or hasattr(enc, "char_"):
            return self
        own = TfidfEncoder(**{**enc.get_params(), "is_fallback": enc.is_fallback})
        records = [*map(_vacancy, vacancies), *map(_candidate, candidates)]
        own.fit(self.embedding_texts(records))
        return self._sibling(encoder=own)

    def with_weights(self, weights: Mapping[str, float] | None) -> Matcher:
        """A matcher with other weights sharing this one's encoder, cache, lexicon, postcodes,
        occupation index and derived records."""
        return self._sibling(weights=weights)

    def _sibling(self, **changes) -> Matcher:
        self._ready()
        params = {
            "encoder": self.encoder_,
            "lexicon": self.lexicon_,
            "postcodes": self.postcodes_,
            "cache": self.cache_,
            "weights": self.weights,
            "today": self.today,
            "occupations": self.occupations_,
            **changes,
        }
        other = Matcher(**params)
        other._ready()
        # what is derived of records depends on the lexicon and occupation index, not the
        # encoder or the weights: shared
        other.feature_store = self.feature_store
        other.features_, other.sides_ = self.features_, self.sides_
        other.concept_vocab_, other.lock_ = self.concept_vocab_, self.lock_
        other.links_ = self.links_
        return other

    # -- ranking -------------------------------------------------------------------------
    def score_pair(self, v: VacancyRecord, c: CandidateRecord, cosine: float) -> MatchResult:
        """The full, explained result for one pair given their embedding cosine."""
        self._ready()
        lex = self.lexicon_
        vs = self._side_of_features(v)
        if vs is None:
            vs, cs = self.detect_occupations([v, c])
        else:
            (cs,) = self.detect_occupations([c])
        checks, distance = check_all(v, c, self.postcodes_, self.today)
        eligible = all(ch.met for ch in checks)
        current = c.current_concepts
        concept, shared, relation = concept_part(lex, vs, cs, c.phase, current)
        skills, matched, missing = skill_part(lex, vs, cs)
        floor = getattr(self.encoder_, "cosine_floor", 0.0)
        semantic = (float(cosine) - floor) / (1.0 - floor)
        occupation, occ_id, occ_signals = esco_part(vs, cs)
        parts = {
            "semantic": round(max(0.0, min(1.0, semantic)), 4),
            "concept": round(concept, 4),
            "occupation": round(occupation, 4),
            "skills": round(skills, 4),
            "phase": round(phase_part(lex, v, vs, cs, c.phase, current), 4),
        }
        for name, part in zip(self.SIGNALS, self.SIGNAL_PARTS, strict=True):
            parts[part] = round(occ_signals.get(name, 0.0), 4)
        esco_reason = None
        if occ_id is not None:
            occ = self.occupations_.esco.occupations[occ_id]
            signals = {k: occ_signals[k] for k in ("lexicon", *self.SIGNALS) if k in occ_signals}
            esco_reason = Reason(
                "esco_occupation",
                {"title": occ.title_de, "score": occupation, "signals": signals, "id": occ_id},
            )
        w = self.score_weights
        total = sum(w.get(k, 0.0) for k in parts) or 1.0
        score = sum(w.get(k, 0.0) * value for k, value in parts.items()) / total
        return MatchResult(
            id=c.id,
            score=round(score, 4),
            eligible=eligible,
            reasons=reasons_for(checks, eligible, relation, matched, esco_reason),
            constraints=checks,
            parts=parts,
            matched_skills=matched,
            missing_skills=missing,
            concepts=shared,
            distance_km=distance,
        )

    def rank_candidates(
        self,
        vacancy: VacancyRecord | dict,
        candidates: Iterable[CandidateRecord | dict],
        top_k: int | None = None,
        include_ineligible: bool = True,
    ) -> list[MatchResult]:
        """Candidates for one vacancy: eligible first, then by score (best first)."""
        v, cs = _vacancy(vacancy), [_candidate(c) for c in candidates]
        return self.rank_many([v], cs, "vacancy", top_k, include_ineligible)[0]

    def rank_vacancies(
        self,
        candidate: CandidateRecord | dict,
        vacancies: Iterable[VacancyRecord | dict],
        top_k: int | None = None,
        include_ineligible: bool = True,
    ) -> list[MatchResult]:
        """Vacancies for one candidate: eligible first, then by score (best first).

        Each result's `id` is the vacancy's id.
        """
        c, vs = _candidate(candidate), [_vacancy(v) for v in vacancies]
        return self.rank_many(vs, [c], "candidate", top_k, include_ineligible)[0]

    def rank_many(
        self,
        vacancies: list[VacancyRecord],
        candidates: list[CandidateRecord],
        direction: str = "vacancy",
        top_k: int | None = None,
        include_ineligible: bool = True,
    ) -> list[list[MatchResult]]:
        """One ranking per query record: per vacancy ("vacancy") or per candidate ("candidate").

        All texts are embedded once, in batches, through the cache; the other side is put in
        one pool and every query ranked against it (`rank`).
        """
        if direction not in ("vacancy", "candidate"):
            raise ValueError("direction must be 'vacancy' or 'candidate'")
        self.fit(vacancies, candidates)
        if not vacancies or not candidates:
            return [[] for _ in (vacancies if direction == "vacancy" else candidates)]
        feats = self.features([*vacancies, *candidates])
        vectors = encode_cached(self.encoder_, [f.text for f in feats], self.cache_)
        by_vacancy = direction == "vacancy"
        n_v = len(vacancies)
        if by_vacancy:
            queries, q_vecs = vacancies, vectors[:n_v]
            pool = self._pool(candidates, vectors[n_v:], feats[n_v:], "candidate")
        else:
            queries, q_vecs = candidates, vectors[n_v:]
            pool = self._pool(vacancies, vectors[:n_v], feats[:n_v], "vacancy")
        # One query's matrix-vector product gains nothing from BLAS threads, and with another
        # thread pool in the process (an encoder's OpenMP) they wait for each other: one thread.
        with threadpool_limits(1, user_api="blas"):
            return [
                self.rank(query, pool, top_k, 0, include_ineligible, q_vec=q_vec).results
                for query, q_vec in zip(queries, q_vecs, strict=True)
            ]

    def pool(
        self,
        records: list[VacancyRecord | CandidateRecord],
        vectors: np.ndarray | None = None,
        features: list[Features] | None = None,
    ) -> Pool:
        """The records one side of a ranking draws from, in arrays, to rank queries against.

        `vectors` are the records' embeddings in order (default: through the cache, encoding
        what is missing), `features` their Features if at hand. Build it once and reuse it for
        many queries while the records stay the same. With `features` given, `records` may be
        any sequence that reads a record when asked for it: the pool reads only the records it
        scores exactly (a page and those near its cut).
        """
        if not isinstance(records, Sequence):
            records = list(records)
        feats = features if features is not None else self.features(list(records))
        if vectors is None:
            vectors = encode_cached(self.encoder_, [f.text for f in feats], self.cache_)
        kind = "vacancy" if len(feats) and feats[0].kind == "vacancy" else "candidate"
        return self._pool(records, vectors, feats, kind)

    def _pool(self, records, vectors, feats, kind: str) -> Pool:
        with self.lock_:
            return Pool(records, np.asarray(vectors, dtype=np.float32), feats, self.lexicon_,
                        self.concept_vocab_, kind)  # fmt: skip

    def judge_pool(
        self,
        query: VacancyRecord | CandidateRecord,
        pool: Pool,
        q_vec: np.ndarray | None = None,
    ) -> Judged:
        """Judge one query against a whole pool: the hard constraints of every record at once,
        the distances and the scores estimated in bulk; nothing is explained yet.

        Pages are then cut from it with `pick` (and `score_rank`); each record it explains is
        scored exactly once (`result_of`).
        """
        self._ready()
        by_vacancy = isinstance(query, VacancyRecord)
        if pool.kind == ("vacancy" if by_vacancy else "candidate"):
            raise ValueError("the pool must hold the other side of the query")
        q = self.features([query])[0]
        if q_vec is None:
            q_vec = encode_cached(self.encoder_, [q.text], self.cache_)[0]
        view = QueryView(q)
        eligible, near, distance, unsure = judge(
            *((view, pool) if by_vacancy else (pool, view)),
            self.today or dt.date.today(),
            pool.distances(view.lat, view.lon),
        )
        eligible, near = eligible.copy(), near.copy()
        for i in np.flatnonzero(unsure):  # on the commute limit: judged pair by pair
            pair = (query, pool.records[i]) if by_vacancy else (pool.records[i], query)
            checks, _ = check_all(*pair, self.postcodes_, self.today)
            failed = [ch for ch in checks if not ch.met]
            eligible[i] = not failed
            near[i] = bool(failed) and all(ch.status == "near_miss" for ch in failed)
        w = self.score_weights
        floor = getattr(self.encoder_, "cosine_floor", 0.0)
        cosines, parts = estimate_parts(self.lexicon_, q, q_vec, pool, floor)
        scores = None
        if not any(w.get(part, 0.0) for part in self.SIGNAL_PARTS):
            scores = estimate_scores(parts, w)  # (signal parts weigh 0: left out, as 0)
        return Judged(query, by_vacancy, eligible, near, np.asarray(distance), cosines, scores)

    def result_of(self, judged: Judged, pool: Pool, i: int) -> MatchResult:
        """The exact, explained result of pool record `i` for the judged query (kept)."""
        found = judged.exact.get(int(i))
        if found is None:
            member = pool.records[i]
            if judged.by_vacancy:
                found = self.score_pair(judged.query, member, judged.cosines[i])
            else:
                found = self.score_pair(member, judged.query, judged.cosines[i])
                found.id = member.id
            judged.exact[int(i)] = found
        return found

    def pick(
        self,
        judged: Judged,
        pool: Pool,
        rows: np.ndarray,
        start: int,
        stop: int,
        keys: list[np.ndarray] | None = None,
    ) -> list[int]:
        """Pool indices at positions `start` to `stop` of `rows` ordered by `keys` (arrays over
        the pool, lexicographic, lower first), then by exact score (best first), then by id.

        Only the rows that can reach these positions, and those whose estimate is within the
        rounding slack of them, are scored exactly (`result_of`); the order equals sorting
        every row by its exact result.
        """
        rows = np.asarray(rows, dtype=np.int64)
        start, stop = max(0, start), min(stop, len(rows))
        if stop <= start:
            return []
        bucket = _buckets(rows, keys)
        if judged.scores is None:  # no estimates: every row is scored exactly
            window, base, wb = rows, 0, bucket
        else:
            c = bucket * 4.0 + (1.0 - judged.scores[rows])  # (key, best score) ascending
            order = np.argsort(c, kind="stable")
            c = c[order]
            margin = 2 * SCORE_SLACK + 1e-9
            ahead = np.searchsorted(c, c - margin, "left")  # rows surely before each row
            behind = np.searchsorted(c, c + margin, "right") - 1  # its last possible place
            can = np.flatnonzero((ahead < stop) & (behind >= start))
            base = int(np.searchsorted(c, c[can[0]] - margin, "left"))
            end = int(np.searchsorted(c, c[can[-1]] + margin, "right"))
            window, wb = rows[order[base:end]], bucket[order[base:end]]
        exact = sorted(zip(window.tolist(), wb.tolist(), strict=True), key=lambda x: (
            x[1], -self.result_of(judged, pool, x[0]).score, str(pool.ids[x[0]])))  # fmt: skip
        return [i for i, _ in exact[start - base : stop - base]]

    def score_rank(self, judged: Judged, pool: Pool, rows: np.ndarray, i: int) -> int:
        """The place (1-based) of pool record `i` among `rows` by exact score, then id."""
        rows = np.asarray(rows, dtype=np.int64)
        me = self.result_of(judged, pool, i)
        mine = (-me.score, str(pool.ids[i]))
        if judged.scores is None:
            near = rows
            surely = 0
        else:
            e = judged.scores[rows]
            margin = 2 * SCORE_SLACK + 1e-9
            surely = int((e > judged.scores[i] + margin).sum())
            near = rows[np.abs(e - judged.scores[i]) <= margin]
        ahead = 0
        for j in near.tolist():
            r = self.result_of(judged, pool, j)
            ahead += (-r.score, str(pool.ids[j])) < mine
        return surely + ahead + 1

    def rank(
        self,
        query: VacancyRecord | CandidateRecord,
        pool: Pool,
        top_k: int | None = None,
        offset: int = 0,
        include_ineligible: bool = True,
        q_vec: np.ndarray | None = None,
        mask: np.ndarray | None = None,
        max_km: float | None = None,
        judged: Judged | None = None,
    ) -> Ranking:
        """Rank a pool of the other side for one query: rows `offset` to `offset + top_k` in
        the order of `rank_many`, explained, and the counts of the whole ranking.

        The hard constraints are judged for the whole pool at once and the score estimated in
        bulk; only the records that can reach the page (those within the rounding slack of the
        cut) are scored exactly and explained, so the page equals a ranking of every pair.
        `mask` (bool per pool record) and `max_km` (known distance at most this) leave records
        out of the ranking and its counts. `judged`: this query's `judge_pool` of this pool,
        when it is at hand.
        """
        n = len(pool)
        if n == 0 or (top_k is not None and top_k <= 0):
            return Ranking([], 0, 0, 0, offset)
        judged = judged or self.judge_pool(query, pool, q_vec)
        eligible, near, scores = judged.eligible, judged.near, judged.scores
        keep = np.ones(n, dtype=bool) if mask is None else np.asarray(mask, dtype=bool).copy()
        if max_km is not None:
            with np.errstate(invalid="ignore"):
                keep &= judged.distance <= max_km
        want = n if top_k is None else offset + top_k
        rows_e = np.flatnonzero(eligible & keep)
        chosen = list(_band(rows_e, scores, want))
        if include_ineligible and len(rows_e) < want:
            chosen += list(_band(np.flatnonzero(~eligible & keep), scores, want - len(rows_e)))
        results = [self.result_of(judged, pool, i) for i in chosen]
        results.sort(key=lambda r: (not r.eligible, -r.score, str(r.id)))
        end = None if top_k is None else offset + top_k
        n_eligible, n_kept = int((eligible & keep).sum()), int(keep.sum())
        n_near = int((near & keep).sum())
        return Ranking(results[offset:end], n_eligible, n_near, n_kept - n_eligible, offset)


class FeatureStore(Protocol):
    """Where derived record Features are kept between processes (the app: a table)."""

    def get_many(self, keys: list[str]) -> dict[str, dict]:
        """Stored Features (as dicts) found for these keys."""
        ...

    def put_many(self, items: dict[str, dict]) -> None:
        """Store Features (as dicts) under their keys."""
        ...


# what Features hold; stored Features of another version are derived again (2: the ESCO
# occupations' signal scores, so that explaining a pair needs no ESCO search)
FEATURES_VERSION = 2


def _derivation(lexicon: Lexicon, postcodes: Postcodes, occupations: OccupationIndex) -> str:
    """A fingerprint of what derives Features from a record: lexicon, postcodes, occupations."""
    encoders = [
        getattr(s, "key", s.encoder.name) for s in occupations.signals if hasattr(s, "encoder")
    ]
    parts = (
        FEATURES_VERSION,
        sorted(map(repr, lexicon.occupations.values())),
        sorted(map(repr, lexicon.skills.values())),
        len(postcodes),
        (len(occupations), occupations.signal_names, encoders,
         [getattr(s, "version", 1) for s in occupations.signals]),
        # how the signals are fused and cut decides the detected occupations too
        (sorted(occupations.weights.items()), sorted(occupations.prose_weights.items()),
         occupations.top, occupations.min_confidence, occupations.prose_min_confidence),
    )  # fmt: skip
    return text_key(repr(parts))[:16]


def _record_key(record: VacancyRecord | CandidateRecord) -> tuple:
    # every field: the Features hold constraint fields and the id as well as the texts
    return (type(record).__name__, *(tuple(v) if isinstance(v, list) else v
                                     for v in vars(record).values()))  # fmt: skip


def _buckets(rows: np.ndarray, keys: list[np.ndarray] | None) -> np.ndarray:
    """Per row, the number of its group of equal keys in key order (0 for all without keys)."""
    if not keys:
        return np.zeros(len(rows), dtype=np.int64)
    values = [np.asarray(k)[rows] for k in keys]
    order = np.lexsort(values[::-1])
    change = np.zeros(len(rows), dtype=bool)
    for v in values:
        s = v[order]
        change[1:] |= s[1:] != s[:-1]
    out = np.empty(len(rows), dtype=np.int64)
    out[order] = np.cumsum(change)
    return out


def _band(rows: np.ndarray, scores: np.ndarray | None, need: int) -> np.ndarray:
    """The rows whose exact score can be among the `need` best: those whose estimate is within
    twice the slack of the need-th best estimate (all rows without estimates)."""
    if need <= 0:
        return rows[:0]
    if scores is None or len(rows) <= need:
        return rows
    s = scores[rows]
    cut = np.partition(s, len(s) - need)[len(s) - need]
    return rows[s >= cut - 2 * SCORE_SLACK]


PROFILE_QUERY_CHARS = 300


def _esco_queries(record: VacancyRecord | CandidateRecord) -> list[str]:
    """The texts a record is searched in ESCO by: its job titles, else the profile's start."""
    if isinstance(record, VacancyRecord):
        texts = [record.title, record.occupation or ""]
    else:
        texts = [*record.desired_occupations, record.profile[:PROFILE_QUERY_CHARS]]
    return list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def _titles(record: VacancyRecord | CandidateRecord) -> list[str]:
    """The job titles among a record's ESCO queries (the rest is a profile's text)."""
    if isinstance(record, VacancyRecord):
        return [t.strip() for t in (record.title, record.occupation or "")]
    return [t.strip() for t in record.desired_occupations]


def _vacancy(x: VacancyRecord | dict) -> VacancyRecord:
    return x if isinstance(x, VacancyRecord) else VacancyRecord.from_dict(x)


def _candidate(x: CandidateRecord | dict) -> CandidateRecord:
    return x if isinstance(x, CandidateRecord) else CandidateRecord.from_dict(x)
