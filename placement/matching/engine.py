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
from collections.abc import Iterable, Mapping

import numpy as np

from .cache import EmbeddingCache, MemoryCache, encode_cached
from .constraints import check_all
from .encoders import Encoder, TfidfEncoder, load_encoder
from .esco import ESCO_PREFIX, OccupationIndex, default_index, uncapitalise
from .explain import MatchResult, Reason, reasons_for
from .geo import Postcodes, load_postcodes
from .lexicon import Lexicon, load_lexicon
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
from .search import top_k

DETECTION_CACHE_SIZE = 200_000
PREFILTER_MIN = 10_000  # pools up to this size are scored in full
PREFILTER_FACTOR = 50


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

    def __init__(
        self,
        encoder: Encoder | None = None,
        lexicon: Lexicon | None = None,
        postcodes: Postcodes | None = None,
        cache: EmbeddingCache | None = None,
        weights: Mapping[str, float] | None = None,
        today: dt.date | None = None,
        occupations: OccupationIndex | None = None,
    ):
        self.encoder = encoder
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
        encoder = self.encoder if self.encoder is not None else load_encoder()
        self.occupations_ = (
            self.occupations if self.occupations is not None else default_index(encoder)
        )
        self.links_: dict[str, str] | None = None
        self.encoder_ = encoder

    def prepare(self) -> Matcher:
        """Resolve the default lexicon, postcodes, cache and encoder now (else on first use)."""
        self._ready()
        return self

    @property
    def is_fallback(self) -> bool:
        """True when the TF-IDF fallback encoder is in use (the app should say so)."""
        self._ready()
        return bool(getattr(self.encoder_, "is_fallback", False))

    def _side(self, record: VacancyRecord | CandidateRecord) -> Side:
        # Everything a Side is derived from (not the id: equal profiles share their Side).
        concepts = tuple(record.concepts) if record.concepts is not None else None
        if isinstance(record, VacancyRecord):
            fields = (record.title, record.occupation, record.description, *record.skills)
        else:
            fields = (record.profile, tuple(record.desired_occupations), *record.skills)
        key = (type(record).__name__, concepts, record.language, *fields)
        side = self.sides_.get(key)
        if side is None:
            if isinstance(record, VacancyRecord):
                side = vacancy_side(self.lexicon_, record)
            else:
                side = candidate_side(self.lexicon_, record)
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
        todo = [(r, s) for r, s in zip(records, sides, strict=True) if s.esco is None]
        if not todo:
            return sides
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
            side.esco_level = index.esco.occupations[best[0][0]].level if best else None
        return sides

    def _texts(self, records: list, sides: list[Side]) -> list[str]:
        out = []
        for record, side in zip(records, sides, strict=True):
            bridge = bridge_text(self.lexicon_, side)
            out.append(uncapitalise(record.text()) + (f"\n{bridge}" if bridge else ""))
        return out

    def embed(self, records: list[VacancyRecord | CandidateRecord]) -> np.ndarray:
        """Embeddings of records (bridged texts), through the cache."""
        self._ready()
        sides = [self._side(r) for r in records]
        return encode_cached(self.encoder_, self._texts(records, sides), self.cache_)

    def fit(self, vacancies: Iterable, candidates: Iterable) -> Matcher:
        """Fit an unfitted TF-IDF encoder on the corpus of both sides (other encoders: no-op)."""
        self._ready()
        enc = self.encoder_
        if isinstance(enc, TfidfEncoder) and not hasattr(enc, "char_"):
            records = [*map(_vacancy, vacancies), *map(_candidate, candidates)]
            sides = [self._side(r) for r in records]
            enc.fit(self._texts(records, sides))
        return self

    # -- ranking -------------------------------------------------------------------------
    def score_pair(self, v: VacancyRecord, c: CandidateRecord, cosine: float) -> MatchResult:
        """The full, explained result for one pair given their embedding cosine."""
        self._ready()
        lex = self.lexicon_
        vs, cs = self.detect_occupations([v, c])
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
        for name in self.SIGNALS:
            parts[f"occupation_{name}"] = round(occ_signals.get(name, 0.0), 4)
        esco_reason = None
        if occ_id is not None:
            occ = self.occupations_.esco.occupations[occ_id]
            signals = {k: occ_signals[k] for k in ("lexicon", *self.SIGNALS) if k in occ_signals}
            esco_reason = Reason(
                "esco_occupation",
                {"title": occ.title_de, "score": occupation, "signals": signals, "id": occ_id},
            )
        w = self.weights_
        if not len(self.occupations_):  # no ESCO layer: its part does not dilute the others
            w = {**w, "occupation": 0.0}
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

        All texts are embedded once, in batches, through the cache.
        """
        if direction not in ("vacancy", "candidate"):
            raise ValueError("direction must be 'vacancy' or 'candidate'")
        self.fit(vacancies, candidates)
        if not vacancies or not candidates:
            return [[] for _ in (vacancies if direction == "vacancy" else candidates)]
        self.detect_occupations([*vacancies, *candidates])
        vectors = self.embed([*vacancies, *candidates])
        v_vecs, c_vecs = vectors[: len(vacancies)], vectors[len(vacancies) :]
        rankings = []
        by_vacancy = direction == "vacancy"
        queries, pool = (vacancies, candidates) if by_vacancy else (candidates, vacancies)
        q_vecs, pool_vecs = (v_vecs, c_vecs) if by_vacancy else (c_vecs, v_vecs)
        for query, q_vec in zip(queries, q_vecs, strict=True):
            cosines = pool_vecs @ q_vec
            results = []
            for i in self._shortlist(query, q_vec, pool, pool_vecs, top_k):
                if by_vacancy:
                    results.append(self.score_pair(query, pool[i], cosines[i]))
                else:
                    r = self.score_pair(pool[i], query, cosines[i])
                    r.id = pool[i].id
                    results.append(r)
            if not include_ineligible:
                results = [r for r in results if r.eligible]
            results.sort(key=lambda r: (not r.eligible, -r.score, str(r.id)))
            rankings.append(results[:top_k] if top_k is not None else results)
        return rankings

    def _shortlist(self, query, q_vec, pool, pool_vecs, k: int | None) -> Iterable[int]:
        """Which pool members to score in full. All of them, unless the pool is larger than
        PREFILTER_MIN and only the top k are wanted: then the PREFILTER_FACTOR * k nearest by
        embedding (exact top-k) plus every member sharing an occupation family with the query.
        """
        if k is None or len(pool) <= PREFILTER_MIN:
            return range(len(pool))
        nearest, _ = top_k(q_vec, pool_vecs, max(PREFILTER_FACTOR * k, PREFILTER_MIN // 10))
        keep = set(nearest.tolist())
        families = self._side(query).families
        if families:
            keep.update(i for i, r in enumerate(pool) if self._side(r).families & families)
        return sorted(keep)


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
