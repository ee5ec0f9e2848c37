"""The ranking pools of this worker process: every matchable participant and every suggestable
vacancy in the engine's arrays, kept between requests and refreshed when records change.

A request reads one cheap stamp of the records (count and last change of the participants or
vacancies, the newest stored embedding and derived record) and uses the pool only when its
stamp is the same, else it rebuilds it, so several `placement serve` workers stay consistent
without talking to each other. The keeper of the process (keeper.py) runs the same check off
the request when records were prepared, so that a page rarely finds the pool behind. A rebuild
reads again only the records changed since (their `updated_at`), reuses what the engine derived
of unchanged records and the vectors it read before; only records whose embedding is stored
are ranked, the others are counted as still being prepared.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

import numpy as np
from flask import has_request_context
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from placement.employers.models import Organisation, Vacancy
from placement.extensions import db
from placement.matches import services
from placement.matches.models import Embedding, PreparedRecord
from placement.matching import Matcher
from placement.matching.cache import text_key
from placement.matching.pool import Pool
from placement.participants.models import Participant
from placement.queries import one_of
from placement.vocab import CEFR_LEVELS

_lock = threading.Lock()
# records whose Sides a pool derives and keeps when it is built (about 8 KB each, shared by
# records of equal content); beyond it a record's Side is derived when it is first explained
KEPT_SIDES = 12_000
_build_lock = threading.Lock()  # one rebuild at a time per process
# per encoder (weakly: a pool goes with its encoder), then per database and side
_pools: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass
class PoolEntry:
    """One side's pool as of `stamp`, with the matcher that ranks it (for the TF-IDF
    fallback a matcher of its own, fitted on these records)."""

    stamp: tuple
    matcher: Matcher
    pool: Pool
    ids: list[int]  # database ids in pool order
    waiting: list[int]  # matchable records whose embedding is not stored yet
    vectors: dict[str, np.ndarray] = field(default_factory=dict)  # text key -> vector
    sides_kept: bool = False  # what explaining its rows needs is derived (`_keep_sides`)
    # every record loaded (ready or waiting) by id: its last change as read, its engine record
    known: dict[int, tuple] = field(default_factory=dict)


def _newest_embedding():
    return select(func.max(Embedding.id)).scalar_subquery()


def _newest_prepared():
    # a record whose text was encoded before (a new German level, a withdrawn permit) becomes
    # ready when what the engine derived of it is stored, without a new embedding
    return select(func.max(PreparedRecord.id)).scalar_subquery()


def _participants_stamp() -> tuple:
    # A change of a qualification touches its participant (preparation.py), so this is enough.
    # One round trip: count and last change of the matchable records, the newest embedding and
    # derived record.
    return tuple(
        db.session.execute(
            select(
                func.count(),
                func.max(Participant.updated_at),
                _newest_embedding(),
                _newest_prepared(),
            ).where(Participant.consent_matching.is_(True))
        ).one()
    )


def _vacancies_stamp() -> tuple:
    return tuple(
        db.session.execute(
            select(
                func.count(), func.max(Vacancy.updated_at), _newest_embedding(), _newest_prepared()
            )
            .join(Vacancy.organisation)
            .where(Vacancy.status == "published", Organisation.approved.is_(True))
        ).one()
    )


def _pools_of(matcher: Matcher) -> dict:
    # one pool per encoder, database and side: matchers that differ in weights share it
    encoder = matcher.prepare().encoder_
    with _lock:
        found = _pools.get(encoder)
        if found is None:
            found = _pools[encoder] = {}
        return found


def candidate_pool(matcher: Matcher) -> PoolEntry:
    """Every matchable participant whose embedding is stored, as of now."""
    return _entry("candidate", matcher, _participants_stamp, _load_participants)


def vacancy_pool(matcher: Matcher) -> PoolEntry:
    """Every published vacancy of an approved employer whose embedding is stored, as of now."""
    return _entry("vacancy", matcher, _vacancies_stamp, _load_vacancies)


def _load_participants(before: PoolEntry | None) -> tuple[list, dict]:
    return _load(services.matchable_participants(), Participant, services.candidate_record,
                 before, selectinload(Participant.qualifications))  # fmt: skip


def _load_vacancies(before: PoolEntry | None) -> tuple[list, dict]:
    return _load(services.suggestable_vacancies(), Vacancy, services.vacancy_record, before)


def _load(query, model, record_of, before: PoolEntry | None, *options) -> tuple[list, dict]:
    """(database id, engine record) of every record the query selects, in id order, and the
    records by id with the last change they were read at. A record whose last change is the
    one `before` read it at is taken from there (every change of what its engine record holds
    moves `updated_at`: a qualification's touches its participant), the others are read."""
    current = db.session.execute(
        query.with_only_columns(model.id, model.updated_at).order_by(model.id)
    ).all()
    known = before.known if before is not None else {}
    todo = [i for i, at in current if i not in known or known[i][0] != at]
    read = {}
    for start in range(0, len(todo), 500):
        chunk = query.where(model.id.in_(todo[start : start + 500])).options(*options)
        read.update((r.id, (r.updated_at, record_of(r))) for r in db.session.scalars(chunk))
    changed, now = set(todo), {}
    for i, _ in current:  # one read since it was counted (a withdrawn consent) is left out
        if i in read:
            now[i] = read[i]
        elif i not in changed:
            now[i] = known[i]
    return [(i, found[1]) for i, found in now.items()], now


def _database() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def _entry(kind: str, matcher: Matcher, stamp_of, load) -> PoolEntry:
    pools = _pools_of(matcher)
    key = (_database(), kind)
    stamp = stamp_of()
    entry = pools.get(key)
    if entry is not None and entry.stamp == stamp:
        return entry
    with _build_lock:  # a refresh that runs (keeper.py) is waited for, not done twice
        entry = pools.get(key)
        if entry is not None and entry.stamp == stamp:
            return entry
        # the stamp as of now: a pool built meanwhile may be current (it holds all that the
        # first stamp did, and more), else the new pool is built as of now
        stamp = stamp_of()
        if entry is not None and entry.stamp == stamp:
            return entry
        loaded, known = load(entry)
        pools[key] = entry = _build(matcher, stamp, loaded, entry)
        entry.known = known
    _keep_sides(entry)
    return entry


def _keep_sides(entry: PoolEntry) -> None:
    """Derive what explaining a row needs of the pool's records (their Sides), so that a
    counsellor's first visit does not: after this page when this process keeps its pools
    (keeper.py, started here: this process serves match pages), else now."""
    if has_request_context():
        from placement.matches import keeper

        found = keeper.keeper()
        if found is not None:
            found.poke()
            return
    # what explaining a row needs, derived once per worker (not on a counsellor's first visit)
    entry.matcher.keep_sides(entry.pool.records, limit=KEPT_SIDES)
    entry.sides_kept = True


def refresh() -> None:
    """Bring this process's pools of the default matcher (the one pages rank with, whatever
    their weights) up to date, as a request would (keeper.py); build both sides if none is
    held yet."""
    matcher = services.get_matcher()
    url = _database()
    kinds = [kind for where, kind in list(_pools_of(matcher)) if where == url]
    for kind in kinds or ["candidate", "vacancy"]:
        entry = candidate_pool(matcher) if kind == "candidate" else vacancy_pool(matcher)
        if not entry.sides_kept:  # built by a request
            _keep_sides(entry)


def _build(matcher: Matcher, stamp: tuple, loaded: list, before: PoolEntry | None) -> PoolEntry:
    """The pool of the loaded records that are prepared: derived (Features stored) and
    encoded (embedding stored); in "request" mode the others are prepared here and now."""
    from placement.matches import preparation

    inline = preparation.mode() == "request"
    records = [record for _, record in loaded]
    feats = matcher.features(records, compute=inline)
    derived = [i for i, f in enumerate(feats) if f is not None]
    if matcher.is_fallback:  # TF-IDF learns its vocabulary from the records it ranks
        known = [records[i] for i in derived]
        vacancies = bool(known) and _is_vacancy(known[0])
        matcher = matcher.fitted(known if vacancies else [], [] if vacancies else known)
    keys = {i: text_key(feats[i].text) for i in derived}
    same = before is not None and before.matcher.encoder_ is matcher.encoder_
    vectors = dict(before.vectors) if same else {}
    missing = list(dict.fromkeys(k for k in keys.values() if k not in vectors))
    if matcher.is_fallback:  # a fitted TF-IDF encodes in microseconds and is never stored
        texts = {text_key(feats[i].text): feats[i].text for i in derived}
        if missing:
            new = matcher.encoder_.encode([texts[k] for k in missing])
            vectors.update(zip(missing, new, strict=True))
    elif missing:
        vectors.update(matcher.cache_.get_many(matcher.encoder_.name, missing))
        todo = [i for i in derived if keys[i] not in vectors]
        if todo and inline:  # encoded here, as before issue 13 (tests, scripts)
            new = matcher.embed([records[i] for i in todo])
            vectors.update(zip((keys[i] for i in todo), new, strict=True))
    ready = [i for i in derived if keys[i] in vectors]
    pool = matcher.pool(
        [records[i] for i in ready],
        np.stack([vectors[keys[i]] for i in ready]) if ready else np.zeros((0, 1), np.float32),
        [feats[i] for i in ready],
    )
    ready_ids = {loaded[i][0] for i in ready}
    waiting = [db_id for db_id, _ in loaded if db_id not in ready_ids]
    if waiting:
        preparation.queue_ids(pool.kind, waiting)
    ids = [loaded[i][0] for i in ready]
    return PoolEntry(stamp, matcher, pool, ids, waiting, vectors)


def _is_vacancy(record) -> bool:
    return type(record).__name__ == "VacancyRecord"


def vector_of(matcher: Matcher, record) -> np.ndarray | None:
    """The stored embedding of one record (None while it is being prepared)."""
    if matcher.is_fallback:
        return matcher.embed([record])[0]
    (feats,) = matcher.features([record], compute=False)
    if feats is None:
        return None
    key = text_key(feats.text)
    found = matcher.cache_.get_many(matcher.encoder_.name, [key])
    return found.get(key)


def mask(entry: PoolEntry, where) -> np.ndarray | None:
    """The pool records a match page's filters keep (None: all)."""
    if where is None:
        return None
    keep = np.ones(len(entry.pool), dtype=bool)
    pool = entry.pool
    if where.phase is not None and pool.kind == "candidate":
        keep &= pool.phase == where.phase
    if where.min_german and pool.kind == "candidate" and where.min_german in CEFR_LEVELS:
        keep &= pool.german >= CEFR_LEVELS.index(where.min_german)
    if where.kind and pool.kind == "vacancy":
        keep &= np.array([r.kind == where.kind for r in pool.records], dtype=bool)
    return keep


def load(ids: list[str], model) -> dict[str, Participant | Vacancy]:
    """The shown rows' database records by engine id (one query)."""
    if not ids:
        return {}
    query = select(model).where(one_of(model.id, [int(i) for i in ids]))
    if model is Vacancy:  # every row names its employer
        query = query.options(selectinload(Vacancy.organisation))
    found = db.session.scalars(query)
    return {str(r.id): r for r in found}


def clear() -> None:
    """Forget every pool and judgement of this process (tests; a changed model)."""
    with _lock:
        _pools.clear()
    services.judgements.clear()
