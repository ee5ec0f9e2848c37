"""The one adapter between our models and the engine, the database embedding cache, and the
log of every match list shown.

Only participants who consented to matching enter a ranking; only published vacancies of
approved employers are suggested to participants.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from importlib.metadata import version

import numpy as np
from flask import current_app
from sqlalchemy import select

from placement.employers.models import Organisation, Vacancy
from placement.extensions import db
from placement.matches.models import Embedding
from placement.matches.vector_search import VectorSearch, get_vector_search
from placement.matching import (
    CandidateRecord,
    Lexicon,
    Matcher,
    MatchResult,
    VacancyRecord,
    load_encoder,
    load_lexicon,
)
from placement.matching.cache import text_key
from placement.participants.models import Participant
from placement.proposals.models import MatchLog

ENGINE_VERSION = f"placement-matching {version('placement')}"
_RECOGNITION = {"not_applied": "none"}
_lock = threading.Lock()
_matchers: dict[tuple, Matcher] = {}


class DbEmbeddingCache:
    """Embeddings kept in the database (any dialect), keyed by model name and text hash."""

    def get_many(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            rows = db.session.execute(
                select(Embedding.text_hash, Embedding.vector).where(
                    Embedding.model == model, Embedding.text_hash.in_(keys[start : start + 500])
                )
            )
            for text_hash, blob in rows:
                found[text_hash] = np.frombuffer(blob, dtype="<f4")
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        known = self.get_many(model, list(items))
        for key, vector in items.items():
            if key in known:
                continue
            vec = np.asarray(vector, dtype="<f4")
            db.session.add(
                Embedding(model=model, text_hash=key, dim=vec.size, vector=vec.tobytes())
            )
        db.session.flush()


def vacancy_record(vacancy: Vacancy) -> VacancyRecord:
    """The engine's view of a vacancy."""
    return VacancyRecord(
        id=str(vacancy.id),
        title=vacancy.title,
        description=vacancy.description or "",
        kind=vacancy.kind,
        skills=list(vacancy.skills or []),
        occupation=vacancy.occupation,
        german_level=vacancy.german_level,
        requires_recognition=vacancy.requires_recognition,
        postcode=vacancy.postcode,
        radius_km=vacancy.radius_km,
        hours_per_week=vacancy.hours_per_week,
        language=vacancy.language,
        concepts=vacancy.concepts or None,
    )


def candidate_record(participant: Participant) -> CandidateRecord:
    """The engine's view of a participant: no name, contact or protected attribute."""
    states = [q.recognition for q in participant.qualifications]
    recognition = participant.recognition if states else "none"
    current = participant.current_job or {}
    text = participant.profile_text or ""
    if participant.phase == 5 and current.get("title"):
        text = f"{text}\n{current['title']}".strip()
    return CandidateRecord(
        id=str(participant.id),
        profile=text,
        skills=list(participant.skills or []),
        desired_occupations=list(participant.desired_occupations or []),
        german_level=participant.german_level,
        work_permit=participant.work_permit,
        recognition=_RECOGNITION.get(recognition, recognition),
        postcode=participant.postcode,
        max_commute_km=participant.max_commute_km,
        hours_per_week=participant.hours_per_week,
        phase=participant.phase,
        language=participant.profile_language,
        concepts=participant.concepts or None,
        permit_expires=participant.permit_expires,
    )


@functools.cache
def shipped_lexicon() -> Lexicon:
    """The shipped lexicon, loaded once per process and shared by the matcher, the occupation
    corrections and the wording check (it is read-only data)."""
    return load_lexicon()


def get_matcher(model: str | None = None, weights: dict | None = None) -> Matcher:
    """One matcher per model, weights and process: the encoder loads once, lazily, on first use.

    Matchers with other weights share the encoder, the cache and the lexicon of the default one.
    """
    with _lock:
        base = _matchers.get((model, None))
        if base is None:
            base = Matcher(
                encoder=load_encoder(model), cache=DbEmbeddingCache(), lexicon=shipped_lexicon()
            )
            _matchers[(model, None)] = base
        if weights is None:
            return base
        key = (model, tuple(sorted(weights.items())))
        matcher = _matchers.get(key)
        if matcher is None:
            base._ready()  # resolve the lexicon and postcodes once, then share them
            matcher = Matcher(encoder=base.encoder_, cache=base.cache, weights=weights,
                              lexicon=base.lexicon_, postcodes=base.postcodes_)  # fmt: skip
            _matchers[key] = matcher
        return matcher


def matchable_participants():
    return select(Participant).where(Participant.consent_matching.is_(True))


def suggestable_vacancies():
    return (
        select(Vacancy)
        .join(Vacancy.organisation)
        .where(Vacancy.status == "published", Organisation.approved.is_(True))
    )


@dataclass
class Ranked:
    """A result of the engine with the record it is about."""

    result: MatchResult
    record: Participant | Vacancy


def _log(actor, subject_type: str, subject_id: int, matcher: Matcher, results) -> None:
    db.session.add(
        MatchLog(
            actor_id=getattr(actor, "id", None),
            actor_role=getattr(actor, "role", None),
            subject_type=subject_type,
            subject_id=subject_id,
            engine_version=ENGINE_VERSION,
            model_name=matcher.encoder_.name,
            weights=dict(matcher.weights_),
            results=[
                {"id": r.id, "score": round(r.score, 4), "eligible": r.eligible} for r in results
            ],  # fmt: skip
        )
    )


def _fitted(matcher: Matcher, vacancies, participants) -> Matcher:
    # The TF-IDF fallback learns its vocabulary from the records it ranks.
    if matcher.is_fallback:
        matcher.fit([vacancy_record(v) for v in vacancies],
                    [candidate_record(p) for p in participants])  # fmt: skip
    return matcher


def rank_participants(vacancy: Vacancy, actor, matcher: Matcher | None = None,
                      top_k: int | None = None) -> list[Ranked]:  # fmt: skip
    """Participants ranked for a vacancy, explained; the list shown is logged."""
    matcher = matcher or get_matcher()
    people = db.session.scalars(matchable_participants()).all()
    by_id = {str(p.id): p for p in people}
    _fitted(matcher, [vacancy], people)
    results = matcher.rank_candidates(
        vacancy_record(vacancy), [candidate_record(p) for p in people], top_k=top_k
    )
    _log(actor, "vacancy", vacancy.id, matcher, results)
    return [Ranked(r, by_id[r.id]) for r in results]


def rank_vacancies(participant: Participant, actor, matcher: Matcher | None = None,
                   top_k: int | None = None) -> list[Ranked]:  # fmt: skip
    """Published vacancies ranked for a participant, explained; the list shown is logged."""
    matcher = matcher or get_matcher()
    vacancies = db.session.scalars(suggestable_vacancies()).all()
    by_id = {str(v.id): v for v in vacancies}
    _fitted(matcher, vacancies, [participant])
    results = matcher.rank_vacancies(
        candidate_record(participant), [vacancy_record(v) for v in vacancies], top_k=top_k
    )
    _log(actor, "participant", participant.id, matcher, results)
    return [Ranked(r, by_id[r.id]) for r in results]


def nearest_participants(
    vacancy: Vacancy, k: int, matcher: Matcher | None = None, search: VectorSearch | None = None
) -> list[tuple[Participant, float]]:
    """The k matchable participants whose profiles are nearest the vacancy by embedding alone
    (cosine, best first): a cheap prefilter, not a ranking; nothing is explained or logged.

    The vectors are read back from the `embedding` table, so `matcher` must cache there (the
    default one does). `search` defaults to the one PLACEMENT_VECTOR_SEARCH names.
    """
    matcher = matcher or get_matcher()
    people = db.session.scalars(matchable_participants().order_by(Participant.id)).all()
    if not people or k <= 0:
        return []
    _fitted(matcher, [vacancy], people)
    records = [vacancy_record(vacancy), *(candidate_record(p) for p in people)]
    vectors = matcher.embed(records)  # computes and stores what is missing
    by_key: dict[str, list[Participant]] = {}
    for person, key in zip(people, _text_keys(matcher, records[1:]), strict=True):
        by_key.setdefault(key, []).append(person)  # equal profiles share one vector
    search = search or get_vector_search(current_app.config)
    hits = search.top_k(matcher.encoder_.name, vectors[0], list(by_key), k)
    return [(person, score) for key, score in hits for person in by_key[key]][:k]


def _text_keys(matcher: Matcher, records: list) -> list[str]:
    # The engine keys its cache by the exact text it embeds (record text plus lexicon bridge);
    # it has no public call for that text, so this mirrors Matcher.embed.
    matcher._ready()
    sides = [matcher._side(r) for r in records]
    return [text_key(t) for t in matcher._texts(records, sides)]


def match_snapshot(vacancy: Vacancy, participant: Participant,
                   matcher: Matcher | None = None) -> dict:  # fmt: skip
    """The explained match of one pair as the counsellor sees it, for a proposal's record.

    Scores, parts, constraints and reasons, with engine, model and weights: no profile text.
    """
    matcher = matcher or get_matcher()
    _fitted(matcher, [vacancy], [participant])
    result = matcher.rank_candidates(vacancy_record(vacancy), [candidate_record(participant)])[0]
    return {
        **result.to_dict(),
        "engine_version": ENGINE_VERSION,
        "model_name": matcher.encoder_.name,
        "weights": dict(matcher.weights_),
    }
