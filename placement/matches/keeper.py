"""Keeping this process's ranking pools current off the request.

A request reads the stamp of the records and rebuilds its pool when the stamp moved
(pools.py); after an import, that rebuild would fall on the first match page. So each process
that serves match pages keeps one thread that refreshes its pools when records change:

- at once when a preparation job announces a batch of prepared records (`announce`): a job in
  this process (the background thread) wakes it directly; a job anywhere else (`placement
  worker`, another `placement serve` worker) publishes on Redis when PLACEMENT_REDIS_URL is set;
- every PLACEMENT_POOL_REFRESH seconds a stamp check, for changes no job announces (a consent
  withdrawn, a participant erased, a vacancy closed, another worker without Redis).

The thread refreshes through the very stamp check of a request (`pools.refresh`), so a page
never sees other results than it would have built itself; a request that comes while a
refresh runs waits for it (one build at a time per process) instead of building a second pool.
PLACEMENT_POOL_REFRESH = 0 turns the thread off: requests rebuild their pools as before.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time

from flask import Flask, current_app, has_app_context

from placement.extensions import db

log = logging.getLogger(__name__)
CHANNEL = "placement:records-prepared:"  # + a digest of the database URL
RETRY_SECONDS = 30  # a lost Redis connection is tried again after this
# at most about this share of a worker's time goes into refreshing (announcements in quick
# succession, a fast encoder's batches, are taken in together after a pause)
SHARE = 0.25


def channel(app: Flask) -> str:
    """The Redis channel of this app's database (processes of other databases ignore it)."""
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=True)
    return CHANNEL + hashlib.sha256(url.encode()).hexdigest()[:16]


class Keeper:
    """One thread per process and app that refreshes the app's pools when poked or every
    `interval` seconds; with `redis_url`, a second one that pokes it on announcements."""

    def __init__(self, app: Flask, interval: float, redis_url: str | None = None) -> None:
        self.app = app
        self.interval = interval
        self.redis_url = redis_url
        self.channel = channel(app)
        self.refreshes = 0  # refreshes done (each checks every pool's stamp)
        self.last: tuple[float, float] = (0.0, 0.0)  # the last refresh: start, end (monotonic)
        self._stopped = threading.Event()
        self._changed = threading.Condition()
        self._asked = 0  # pokes so far
        self._done = 0  # pokes covered by the refreshes finished
        self._thread = threading.Thread(target=self._run, name="placement-pools", daemon=True)
        self._listener: threading.Thread | None = None
        if redis_url:
            self._listener = threading.Thread(target=self._listen, name="placement-pools-redis",
                                              daemon=True)  # fmt: skip

    def start(self) -> Keeper:
        self._thread.start()
        if self._listener is not None:
            self._listener.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self._stopped.set()
        with self._changed:
            self._changed.notify_all()
        self._thread.join(timeout)
        if self._listener is not None:
            self._listener.join(timeout)

    def poke(self) -> None:
        """Refresh now (records of this database changed)."""
        with self._changed:
            self._asked += 1
            self._changed.notify_all()

    def settle(self, timeout: float | None = None) -> bool:
        """Block until a refresh that began after every poke so far has finished (tests,
        benchmarks); False on timeout."""
        with self._changed:
            target = self._asked
            return self._changed.wait_for(lambda: self._done >= target, timeout)

    def _run(self) -> None:
        while not self._stopped.is_set():
            with self._changed:
                if self._asked == self._done:
                    self._changed.wait(self.interval)
                target = self._asked
            if self._stopped.is_set():
                break
            start = time.monotonic()
            self._refresh()
            took = time.monotonic() - start
            self.last = (start, start + took)
            with self._changed:
                self._done = target
                self._changed.notify_all()
            self._stopped.wait(min(took * (1 / SHARE - 1), self.interval))

    def _refresh(self) -> None:
        from placement.matches import pools

        with self.app.app_context():
            try:
                pools.refresh()
            except Exception:  # noqa: BLE001 - a failed refresh is logged; requests rebuild
                log.exception("refreshing the ranking pools failed")
                db.session.rollback()
            finally:
                db.session.remove()
        self.refreshes += 1

    def _listen(self) -> None:
        from placement.placements.queue import redis_connection

        while not self._stopped.is_set():
            try:
                pubsub = redis_connection(self.redis_url).pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                while not self._stopped.is_set():
                    if pubsub.get_message(timeout=1.0) is not None:
                        self.poke()
                pubsub.close()
            except Exception:  # noqa: BLE001 - Redis away: the periodic check still runs
                log.warning("ranking pools: no announcements from Redis, retrying in %d s",
                            RETRY_SECONDS, exc_info=True)  # fmt: skip
                self._stopped.wait(RETRY_SECONDS)


_keepers: dict[int, Keeper] = {}  # per app (by id) in this process
_lock = threading.Lock()


def keeper(app: Flask | None = None, start: bool = True) -> Keeper | None:
    """This process's keeper of the app's pools, started on first use (None when
    PLACEMENT_POOL_REFRESH is 0)."""
    app = app or current_app._get_current_object()
    interval = float(app.config.get("PLACEMENT_POOL_REFRESH") or 0)
    if interval <= 0:
        return None
    with _lock:
        found = _keepers.get(id(app))
        if found is None and start:
            found = _keepers[id(app)] = Keeper(app, interval, app.config.get("PLACEMENT_REDIS_URL"))
            found.start()
        return found


def stop(app: Flask) -> None:
    """Stop the app's keeper, if it runs (tests)."""
    with _lock:
        found = _keepers.pop(id(app), None)
    if found is not None:
        found.stop()


def announce(app: Flask | None = None) -> None:
    """Records of the app's database were prepared: wake this process's keeper (starting it)
    and, with Redis, every other process's."""
    if app is None and not has_app_context():
        return
    app = app or current_app._get_current_object()
    from placement.matches import preparation

    # a job of the app's background thread starts the keeper: this process serves pages;
    # an RQ worker or `placement embed` only tells the others
    found = keeper(app, start=preparation.in_background())
    if found is not None:
        found.poke()
    url = app.config.get("PLACEMENT_REDIS_URL")
    if url:
        from placement.placements.queue import redis_connection

        try:
            redis_connection(url).publish(channel(app), str(time.time()))
        except Exception:  # noqa: BLE001 - the others find out by their periodic check
            log.warning("cannot announce prepared records on Redis", exc_info=True)
