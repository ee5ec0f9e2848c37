"""Probes for operations: `/healthz` (the process answers) and `/readyz` (it can serve).

Neither needs a login and neither tells more than a word of status: a reason on failure names
the part that is not ready, never an address, a version or an error message.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from pathlib import Path

from flask import Blueprint
from sqlalchemy import text

from placement.extensions import db, limiter

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
_encoder_ready: list[bool] = []  # once loaded, an encoder stays loaded in this process
_lock = threading.Lock()


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Liveness: the process answers."""
    return {"status": "ok"}


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Readiness: database reachable, schema at the migrations' head, encoder loadable."""
    for check in (_database_problem, _migration_problem, _encoder_problem):
        problem = check()
        if problem:  # a 503: the request rolls back (web/transaction.py)
            return {"status": "unavailable", "reason": problem}, 503
    return {"status": "ready"}


def _database_problem() -> str | None:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        log.warning("readyz: database unreachable", exc_info=True)
        return "database unreachable"
    return None


@functools.cache
def _script_heads() -> frozenset[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _migration_problem() -> str | None:
    try:
        current = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception:  # noqa: BLE001 - no version table: never migrated
        current = set()
    if current != _script_heads():
        return "database schema not at the current version (run `placement db upgrade`)"
    return None


def _encoder_problem() -> str | None:
    """Load the configured encoder once per process (so the first match page does not)."""
    with _lock:
        if _encoder_ready:
            return None
        from placement.matches.services import get_matcher

        try:
            matcher = get_matcher().prepare()
            matcher.encoder_.name  # noqa: B018 - asking for the name loads the model
        except Exception:  # noqa: BLE001
            log.warning("readyz: encoder not loadable", exc_info=True)
            return "encoder not loadable"
        configured = os.environ.get("PLACEMENT_EMBEDDING_MODEL", "").strip().lower()
        if configured and configured not in ("tfidf", "tf-idf") and matcher.is_fallback:
            # A model was named but could not be loaded: the engine would run on TF-IDF.
            return "configured encoder not loadable"
        _encoder_ready.append(True)
    return None
