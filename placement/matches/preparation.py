"""Preparing records for matching off the request: encoding and occupation detection.

Saving or importing a participant's profile or a vacancy queues its preparation once the
transaction commits: on the RQ queue when PLACEMENT_REDIS_URL is set (`placement worker`; several
workers share the queue), otherwise in a background thread of the app process. Match pages rank
only prepared records and count the others (placement/matches/pools.py); they never wait for an
encoder. `placement embed` prepares everything missing from the command line.

PLACEMENT_PREPARE chooses: "auto" (RQ with Redis, else a thread), "thread", "rq", or "request"
(encode on the request, as before: for tests and one-off scripts).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from placement.background import OneThread, run_in_app
from placement.employers.models import Vacancy
from placement.extensions import db, utcnow
from placement.matches import keeper
from placement.participants.models import Participant, Qualification

log = logging.getLogger(__name__)
MODES = ("auto", "thread", "rq", "request")
BATCH = 64  # texts encoded (and committed) at a time: an interruption loses at most one batch
JOB_TIMEOUT = 3600

_thread = OneThread("placement-prepare")
PENDING_SECONDS = 120  # a record queued this recently is not queued again by this process
_pending: dict[tuple[str, int], float] = {}  # queued by this process: when
_pending_lock = threading.Lock()


def mode(app: Flask | None = None) -> str:
    """The preparation mode in effect: "thread", "rq" or "request"."""
    config = (app or current_app).config
    chosen = str(config.get("PLACEMENT_PREPARE") or "auto").strip().lower()
    if chosen not in MODES:
        raise ValueError(f"PLACEMENT_PREPARE must be one of {', '.join(MODES)}, not {chosen!r}")
    if chosen == "auto":
        return "rq" if config.get("PLACEMENT_REDIS_URL") else "thread"
    return chosen


# -- the job ---------------------------------------------------------------------------------
def prepare(participant_ids: Iterable[int] = (), vacancy_ids: Iterable[int] = (),
            model: str | None = None) -> int:  # fmt: skip
    """Encode (through the embedding table) and analyse these records; commits each batch.
    Returns how many texts were encoded (texts already stored are not encoded again)."""
    if has_app_context():
        return _prepare(list(participant_ids), list(vacancy_ids), model)
    from placement import create_app  # pragma: no cover - an RQ worker without the CLI's app

    with create_app().app_context():  # pragma: no cover
        return _prepare(list(participant_ids), list(vacancy_ids), model)


def _prepare(participant_ids: list[int], vacancy_ids: list[int], model: str | None) -> int:
    from placement.matches.services import candidate_record, get_matcher, vacancy_record

    records = []
    if participant_ids:
        # also those without consent: counsellors see vacancies for them (counselling only)
        people = db.session.scalars(select(Participant).where(Participant.id.in_(participant_ids)))
        records += [candidate_record(p) for p in people]
    if vacancy_ids:
        vacancies = db.session.scalars(select(Vacancy).where(Vacancy.id.in_(vacancy_ids)))
        records += [vacancy_record(v) for v in vacancies]
    try:
        return encode_missing(get_matcher(model), records)
    finally:
        with _pending_lock:
            for key in [*(("candidate", i) for i in participant_ids),
                        *(("vacancy", i) for i in vacancy_ids)]:  # fmt: skip
                _pending.pop(key, None)


def encode_missing(matcher, records: list, progress=None) -> int:
    """Encode the records' texts that are not stored yet, BATCH at a time, committing each
    batch; `progress(n)` is told how many texts each batch finished. Returns texts encoded."""
    matcher.prepare()
    texts = list(dict.fromkeys(matcher.embedding_texts(records)))  # derives and stores them
    try:  # keep the derived records now: no write lock may be held while the encoder runs
        db.session.commit()
    except IntegrityError:  # another worker stored some of them first: theirs stay
        db.session.rollback()
    keeper.announce()  # records whose text was encoded before are ready now
    if matcher.is_fallback:  # TF-IDF vectors depend on the pool: nothing to store ahead
        return 0
    keys = matcher.text_keys(records)
    known = matcher.cache_.get_many(matcher.encoder_.name, list(dict.fromkeys(keys)))
    from placement.matching.cache import encode_cached, text_key

    todo = [t for t in texts if text_key(t) not in known]
    if progress is not None and len(texts) > len(todo):
        progress(len(texts) - len(todo), skipped=True)
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        encode_cached(matcher.encoder_, batch, matcher.cache_, batch_size=BATCH)
        try:
            db.session.commit()
        except IntegrityError:  # another worker stored some of these texts first: theirs stay
            db.session.rollback()
        keeper.announce()  # the match pages' pools take this batch in, off the request
        if progress is not None:
            progress(len(batch))
    return len(todo)


def prepare_everything(everything: bool = False, model: str | None = None, echo=print) -> str:
    """Encode what the match pages need and is missing, with a progress bar (rate, time left)
    on stderr; returns a one-line report. `everything`: also participants without consent to
    matching and vacancies not published. The ESCO labels are encoded too (once per machine and
    encoder) unless the ESCO layer is off (PLACEMENT_ESCO=off), so no request waits for them."""
    from tqdm import tqdm

    from placement.matches.services import (
        candidate_record,
        get_matcher,
        matchable_participants,
        suggestable_vacancies,
        vacancy_record,
    )

    matcher = get_matcher(model).prepare()
    name = matcher.encoder_.name
    if len(matcher.occupations_):  # said first: the thread below may be the one fitting them
        echo(
            "Preparing the ESCO occupation labels (a few minutes the first time, once per "
            "model; PLACEMENT_ESCO=off turns the ESCO layer off) ..."
        )
    wait()  # records saved just before (the demo's data) are prepared by the thread first
    if len(matcher.occupations_):
        matcher.occupations_.fit()
        matcher.lexicon_links()
    people = select(Participant) if everything else matchable_participants()
    vacancies = select(Vacancy) if everything else suggestable_vacancies()
    records = [candidate_record(p) for p in db.session.scalars(people)]
    records += [vacancy_record(v) for v in db.session.scalars(vacancies)]
    db.session.rollback()  # nothing to keep from loading; the batches commit on their own
    echo(f"{len(records)} records, encoder {name}")
    start = time.perf_counter()
    done = {"encoded": 0, "stored": 0}
    with tqdm(total=len(set(matcher.embedding_texts(records))), unit="text", desc="encoding",
              dynamic_ncols=True) as bar:  # fmt: skip

        def progress(n: int, skipped: bool = False) -> None:
            done["stored" if skipped else "encoded"] += n
            bar.update(n)

        encode_missing(matcher, records, progress)
    secs = time.perf_counter() - start
    rate = done["encoded"] / secs if secs > 0 and done["encoded"] else 0.0
    return (f"Encoded {done['encoded']} texts ({done['stored']} were stored already) in "
            f"{secs:.1f} s ({rate:.1f} texts/s) with {name}.")  # fmt: skip


# -- queueing --------------------------------------------------------------------------------
def queue(items: Iterable[Participant | Vacancy]) -> None:
    """Queue the preparation of these records (after the current transaction commits)."""
    ids = {"candidate": [], "vacancy": []}
    for item in items:
        ids["candidate" if isinstance(item, Participant) else "vacancy"].append(item.id)
    for kind, found in ids.items():
        if found:
            queue_ids(kind, found)


def queue_ids(kind: str, ids: Iterable[int]) -> None:
    """Queue the preparation of participants ("candidate") or vacancies by id; ids already
    queued in this process are skipped. Nothing happens in "request" mode."""
    app = current_app._get_current_object()
    how = mode(app)
    if how == "request":
        return
    now = time.monotonic()
    with _pending_lock:
        fresh = [
            i for i in dict.fromkeys(ids)
            if i is not None and now - _pending.get((kind, i), -PENDING_SECONDS) >= PENDING_SECONDS
        ]  # fmt: skip
        _pending.update(((kind, i), now) for i in fresh)
    if not fresh:
        return
    people, vacancies = (fresh, []) if kind == "candidate" else ([], fresh)
    if how == "rq":
        from placement.placements.queue import queue as rq_queue

        try:
            rq_queue(app.config["PLACEMENT_REDIS_URL"]).enqueue(
                prepare, people, vacancies, job_timeout=JOB_TIMEOUT, result_ttl=3600
            )
        except Exception:  # noqa: BLE001 - Redis down: the pages keep counting them as waiting
            log.exception("cannot queue the preparation of %d records", len(fresh))
            with _pending_lock:
                for i in fresh:
                    _pending.pop((kind, i), None)
        return
    _thread.submit(run_in_app, app, log, "preparing records for matching failed", prepare, people,
                   vacancies)  # fmt: skip


def in_background() -> bool:
    """True in the app's background thread of preparation (so in a process that serves)."""
    return _thread.is_current()


def wait(timeout: float | None = None) -> None:
    """Block until the background thread has prepared everything queued so far (tests, the
    demo's preparation)."""
    _thread.wait(timeout)


# -- saving a record queues it ---------------------------------------------------------------
def _saved(kind: str):
    def note(mapper, connection, target) -> None:
        session = object_session(target)
        if session is not None and target.id is not None:
            session.info.setdefault("placement_prepare", set()).add((kind, target.id))

    return note


def _qualification_changed(mapper, connection, target) -> None:
    """A qualification's recognition is part of its participant's profile: touch the
    participant, so that the ranking pools see the change (placement/matches/pools.py)."""
    if target.participant_id is not None:
        connection.execute(
            update(Participant)
            .where(Participant.id == target.participant_id)
            .values(updated_at=utcnow())
        )
        session = object_session(target)
        if session is not None:
            session.info.setdefault("placement_prepare", set()).add(
                ("candidate", target.participant_id)
            )


def _after_commit(session: Session) -> None:
    found = session.info.pop("placement_prepare", set())
    if not found or not has_app_context() or mode() == "request":
        return
    for kind in ("candidate", "vacancy"):
        ids = sorted(i for k, i in found if k == kind)
        if ids:
            queue_ids(kind, ids)


def _after_rollback(session: Session) -> None:
    session.info.pop("placement_prepare", None)


_registered: list[bool] = []


def init_app(app: Flask) -> None:
    """Queue the preparation of saved records after each commit (registered once a process)."""
    if _registered:
        return
    for model, kind in ((Participant, "candidate"), (Vacancy, "vacancy")):
        event.listen(model, "after_insert", _saved(kind))
        event.listen(model, "after_update", _saved(kind))
    for what in ("after_insert", "after_update", "after_delete"):
        event.listen(Qualification, what, _qualification_changed)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", lambda s, t: _after_rollback(s))
    _registered.append(True)
