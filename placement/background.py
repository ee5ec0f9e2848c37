"""One background thread per kind of job, for work off the request when no RQ queue is set up.

The password-link e-mail (accounts/jobs.py) and the preparation of records for matching
(matches/preparation.py) run on the RQ queue when PLACEMENT_REDIS_URL is set, otherwise in a
thread of the app process: one thread each, started on first use, running one job at a time in
its own app context (docs/architecture.md).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from flask import Flask

from placement.extensions import db


class OneThread:
    """A single worker thread, created lazily; ``wait`` blocks until what was queued has run."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, job: Callable[..., Any], *args: Any) -> Future:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.name)
            executor = self._executor
        return executor.submit(job, *args)

    def is_current(self) -> bool:
        """True in this thread itself (a job asking where it runs)."""
        return threading.current_thread().name.startswith(f"{self.name}_")

    def wait(self, timeout: float | None = None) -> None:
        with self._lock:
            executor = self._executor
        if executor is not None:
            executor.submit(lambda: None).result(timeout)


def run_in_app(app: Flask, log: logging.Logger, failure: str, job: Callable[..., Any],
               *args: Any) -> None:  # fmt: skip
    """Run ``job(*args)`` in an app context of its own; a failure is logged and rolled back."""
    with app.app_context():
        try:
            job(*args)
        except Exception:  # noqa: BLE001 - a failed job is logged
            log.exception(failure)
            db.session.rollback()
        finally:
            db.session.remove()
