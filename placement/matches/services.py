"""The one adapter between our models and the engine, the database embedding cache, and the
log of every match list shown.

Only participants who consented to matching enter a ranking; only published vacancies of
approved employers are suggested to participants.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from importlib.metadata import version

import numpy as np
from flask import current_app
from sqlalchemy import select

from placement.employers.models import Organisation, Vacancy
from placement.extensions import db
from placement.matches.models import Embedding, MatchLog, PreparedRecord
from placement.matches.vector_search import VectorSearch, get_vector_search
from placement.matching import (
    CandidateRecord,
    Judged,
    Lexicon,
    Matcher,
    MatchResult,
    VacancyRecord,
    load_encoder,
    load_lexicon,
)
from placement.participants.models import Participant
from placement.queries import one_of

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


class DbFeatureStore:
    """What the engine derived of records, kept in the database (`prepared_record`)."""

    def get_many(self, keys: list[str]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for start in range(0, len(keys), 500):
            rows = db.session.execute(
                select(PreparedRecord.key, PreparedRecord.features).where(
                    PreparedRecord.key.in_(keys[start : start + 500])
                )
            )
            found.update((key, value) for key, value in rows)
        return found

    def put_many(self, items: dict[str, dict]) -> None:
        known = self.get_many(list(items))
        for key, value in items.items():
            if key not in known:
                db.session.add(PreparedRecord(key=key, features=value))
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

    Matchers with other weights share the encoder, the cache, the lexicon and the derived
    records of the default one (`Matcher.with_weights`).
    """
    with _lock:
        base = _matchers.get((model, None))
        if base is None:
            base = Matcher(
                encoder=load_encoder(model),
                cache=DbEmbeddingCache(),
                lexicon=shipped_lexicon(),
                features=DbFeatureStore(),
            )
            _matchers[(model, None)] = base
        if weights is None:
            return base
        key = (model, tuple(sorted(weights.items())))
        matcher = _matchers.get(key)
        if matcher is None:
            matcher = _matchers[key] = base.with_weights(weights)
        return matcher


def matchable_participants():
    """Participants who may be ranked and proposed: consent to matching, and no "no" to
    "still interested?" (participants/activity.py) standing."""
    return select(Participant).where(
        Participant.consent_matching.is_(True), Participant.wants_suggestions.is_(True)
    )


def suggestable_vacancies():
    return (
        select(Vacancy)
        .join(Vacancy.organisation)
        .where(Vacancy.status == "published", Organisation.approved.is_(True))
    )


@dataclass
class MatchWhere:
    """What a match page narrows the ranking to (None = any); never changes a score."""

    phase: int | None = None  # participants' phase
    min_german: str | None = None  # participants' German level at least this
    max_km: float | None = None  # distance between the postcodes at most this
    kind: str | None = None  # vacancies of this kind
    eligible_only: bool = False


@dataclass
class Ranked:
    """A result of the engine with the record it is about."""

    result: MatchResult
    record: Participant | Vacancy


@dataclass
class RankedPage:
    """One page of a ranking: its rows, the counts of the whole ranking, and how many records
    are not ranked yet because they are still being prepared (encoded) in the background."""

    rows: list[Ranked]
    eligible: int = 0
    near_miss: int = 0
    ineligible: int = 0
    preparing: int = 0
    offset: int = 0
    page_size: int | None = None
    query_ready: bool = True  # False: the vacancy/profile itself is still being prepared
    eligible_only: bool = False

    @property
    def total(self) -> int:
        """Rows of the whole ranking (after filters)."""
        return self.eligible if self.eligible_only else self.eligible + self.ineligible

    # paging, in the names of Flask-SQLAlchemy's Pagination (templates/macros.html)
    @property
    def page(self) -> int:
        return self.offset // self.page_size + 1 if self.page_size else 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size)) if self.page_size else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _log(actor, subject_type: str, subject_id: int, matcher: Matcher, results) -> None:
    db.session.add(
        MatchLog(
            actor_id=getattr(actor, "id", None),
            actor_role=getattr(actor, "role", None),
            subject_type=subject_type,
            subject_id=subject_id,
            engine_version=ENGINE_VERSION,
            model_name=matcher.encoder_.name,
            weights=matcher.score_weights,
            results=[
                {"id": r.id, "score": round(r.score, 4), "eligible": r.eligible} for r in results
            ],  # fmt: skip
        )
    )


def rank_participants(
    vacancy: Vacancy,
    actor,
    matcher: Matcher | None = None,
    top_k: int | None = None,
    offset: int = 0,
    where: MatchWhere | None = None,
) -> RankedPage:
    """Participants ranked for a vacancy, explained; the rows shown are logged.

    Ranks the ready participants of this process's candidate pool (`pools.candidate_pool`);
    those still being prepared are counted, not waited for.
    """
    return _rank(vacancy, actor, matcher, top_k, offset, where, "vacancy")


def rank_vacancies(
    participant: Participant,
    actor,
    matcher: Matcher | None = None,
    top_k: int | None = None,
    offset: int = 0,
    where: MatchWhere | None = None,
    load: bool = True,
) -> RankedPage:
    """Published vacancies ranked for a participant, explained; the rows shown are logged.
    With ``load=False`` the rows carry no database record (None): the caller loads what it
    shows (`vacancy_facts`, `records_of`)."""
    return _rank(participant, actor, matcher, top_k, offset, where, "participant", load=load)


@dataclass
class Judging:
    """A subject judged against its pool (`judge_subject`): the pool entry, the matcher that
    ranks it, the subject's engine record and the engine's judgement (None while the subject
    itself is still being prepared: it is queued, nothing is ranked)."""

    entry: object  # pools.PoolEntry
    matcher: Matcher
    record: VacancyRecord | CandidateRecord
    judged: Judged | None


def judge_subject(subject: Vacancy | Participant, matcher: Matcher | None = None) -> Judging:
    """Judge a vacancy against the candidate pool or a participant against the vacancy pool
    of this process: constraints and estimated scores for every record, nothing explained."""
    from placement.matches import pools, preparation

    matcher = matcher or get_matcher()
    by_vacancy = isinstance(subject, Vacancy)
    entry = pools.candidate_pool(matcher) if by_vacancy else pools.vacancy_pool(matcher)
    record = vacancy_record(subject) if by_vacancy else candidate_record(subject)
    # the TF-IDF fallback ranks with the encoder fitted on the pool (no shared state changes)
    fitted = entry.matcher.with_weights(matcher.weights) if matcher.is_fallback else matcher
    key = (repr(record), fitted.encoder_.name, tuple(sorted(fitted.weights_.items())),
           dt.date.today())  # fmt: skip
    judged = judgements.get(key, entry)
    if judged is not None:  # judged before against this very pool (so it was prepared)
        return Judging(entry, fitted, record, judged)
    q_vec = pools.vector_of(fitted, record)
    if q_vec is None and preparation.mode() == "request":
        q_vec = fitted.embed([record])[0]
    if q_vec is None:  # the query itself is not encoded yet: queue it, rank nothing yet
        preparation.queue([subject])
        return Judging(entry, fitted, record, None)
    if not len(entry.pool):
        return Judging(entry, fitted, record, _empty(record))
    judged = fitted.judge_pool(record, entry.pool, q_vec)
    judgements.put(key, entry, judged)
    return Judging(entry, fitted, record, judged)


class Judgements:
    """The judgements of the last subjects ranked in this process, so that the next page of a
    list, a reload or another counsellor on the same vacancy neither judges the pool again nor
    explains a row twice.

    A judgement is a function of the subject's engine record (every field, the id included),
    the model, the weights, the day and the pool it was judged against; all of these but the
    pool are the key, and the pool must be the very pool object of the request (a pool is
    rebuilt, as a new object, whenever a record of its side changes). So a change to the
    subject, to any record of the pool, to the weights or the date is never served from here.
    It holds engine results only (no names, no user): who may see a list is checked before, and
    every list shown is still logged with its viewer. About `budget` bytes (arrays and the
    results explained) are kept, the least recently used go first.
    """

    def __init__(self, budget: int = 256 * 2**20) -> None:
        self.budget = budget
        self.lock = threading.Lock()
        self.items: OrderedDict[tuple, tuple[object, Judged]] = OrderedDict()

    def get(self, key: tuple, entry) -> Judged | None:
        with self.lock:
            found = self.items.get(key)
            if found is None or found[0] is not entry:
                return None
            self.items.move_to_end(key)
            return found[1]

    def put(self, key: tuple, entry, judged: Judged) -> None:
        with self.lock:
            self.items[key] = (entry, judged)
            self.items.move_to_end(key)
            # explained results are added after a judgement is kept: counted at each put
            size = sum(_bytes(j) for _, j in self.items.values())
            while size > self.budget and len(self.items) > 1:
                _, (_, dropped) = self.items.popitem(last=False)
                size -= _bytes(dropped)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


def _bytes(judged: Judged) -> int:
    """About what a judgement holds: its arrays, its explained results (with their explanations
    as rendered on a page, web/matches/routes.kept_html)."""
    return 40 * len(judged.eligible) + 12_000 * len(judged.exact) + 4096


judgements = Judgements()


def _empty(record) -> Judged:
    nothing = np.zeros(0)
    return Judged(record, isinstance(record, VacancyRecord), nothing.astype(bool),
                  nothing.astype(bool), nothing, nothing, nothing)  # fmt: skip


def records_of(ids: list[str], participants: bool) -> dict:
    """The database records (participants or vacancies) of engine ids, in one query."""
    from placement.matches import pools

    return pools.load(ids, Participant if participants else Vacancy)


def vacancy_facts(ids: list[str]) -> dict:
    """What a list of many vacancies names and what their words to a participant speak of, by
    engine id, in one light query (no ORM objects): id, kind, title, employer, German level,
    radius and hours. Vacancies no longer published are left out."""
    found = db.session.execute(
        select(Vacancy.id, Vacancy.kind, Vacancy.title, Organisation.name.label("employer"),
               Vacancy.german_level, Vacancy.radius_km, Vacancy.hours_per_week)
        .join(Vacancy.organisation)
        .where(one_of(Vacancy.id, [int(i) for i in ids]), Vacancy.status == "published")
    )  # fmt: skip
    return {str(row.id): row for row in found}


def log_shown(actor, subject_type: str, subject_id: int, matcher: Matcher, results) -> None:
    """Log a list shown: who, when, engine, model, weights, and the ids and scores of its rows."""
    _log(actor, subject_type, subject_id, matcher, results)


def _rank(subject, actor, matcher, top_k, offset, where, subject_type: str,
          log: bool = True, load: bool = True) -> RankedPage:  # fmt: skip
    from placement.matches import pools

    judging = judge_subject(subject, matcher)
    entry, fitted = judging.entry, judging.matcher
    if judging.judged is None:
        return RankedPage([], preparing=len(entry.waiting), offset=offset, page_size=top_k,
                          query_ready=False)  # fmt: skip
    mask = pools.mask(entry, where)
    ranking = fitted.rank(judging.record, entry.pool, top_k, offset,
                          include_ineligible=not (where and where.eligible_only),
                          mask=mask, max_km=where.max_km if where else None,
                          judged=judging.judged)  # fmt: skip
    if log:
        _log(actor, subject_type, subject.id, fitted, ranking.results)
    by_vacancy = subject_type == "vacancy"
    ids = [r.id for r in ranking.results]
    if load:
        records = pools.load(ids, Participant if by_vacancy else Vacancy)
    else:
        records = dict.fromkeys(ids)
    return RankedPage(
        [Ranked(r, records[r.id]) for r in ranking.results if r.id in records],
        ranking.eligible,
        ranking.near_miss,
        ranking.ineligible,
        preparing=len(entry.waiting),
        offset=offset,
        page_size=top_k,
        eligible_only=bool(where and where.eligible_only),
    )


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
    records = [vacancy_record(vacancy), *(candidate_record(p) for p in people)]
    matcher = matcher.fitted(records[:1], records[1:])
    vectors = matcher.embed(records)  # computes and stores what is missing
    by_key: dict[str, list[Participant]] = {}
    for person, key in zip(people, matcher.text_keys(records[1:]), strict=True):
        by_key.setdefault(key, []).append(person)  # equal profiles share one vector
    search = search or get_vector_search(current_app.config)
    hits = search.top_k(matcher.encoder_.name, vectors[0], list(by_key), k)
    return [(person, score) for key, score in hits for person in by_key[key]][:k]


def match_snapshot(vacancy: Vacancy, participant: Participant,
                   matcher: Matcher | None = None) -> dict:  # fmt: skip
    """The explained match of one pair as the counsellor sees it, for a proposal's record.

    Scores, parts, constraints and reasons, with engine, model and weights: no profile text.
    """
    from placement.matches import pools

    matcher = matcher or get_matcher()
    if matcher.is_fallback:  # the encoder the match page ranked with
        matcher = pools.candidate_pool(matcher).matcher.with_weights(matcher.weights)
    result = matcher.rank_candidates(vacancy_record(vacancy), [candidate_record(participant)])[0]
    return {
        **result.to_dict(),
        "engine_version": ENGINE_VERSION,
        "model_name": matcher.encoder_.name,
        "weights": matcher.score_weights,
    }
