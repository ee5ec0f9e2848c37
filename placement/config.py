"""Configuration: safe defaults, then ``PLACEMENT_*`` environment variables, then test config."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

ENV_PREFIX = "PLACEMENT_"

# Every setting of ours, with its default. Each is read from the environment variable
# PLACEMENT_<KEY> and lands in app.config under that same name (PLACEMENT_PAGE_SIZE ...); the
# README's configuration table documents them. Keys that Flask and its extensions read
# (SECRET_KEY, SQLALCHEMY_DATABASE_URI, SESSION_COOKIE_SECURE, BABEL_DEFAULT_LOCALE,
# RATELIMIT_*, MAX_CONTENT_LENGTH) are derived from these in ``load_config``.
DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # default: SQLite file in the instance folder
    "SECRET_KEY": None,  # default: generated once, kept in the instance folder
    "EMBEDDING_MODEL": None,  # sentence-transformers name or path; None = best installed
    "MODEL_DIR": None,  # where `placement model install` puts models (default instance/models)
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    "SESSION_COOKIE_SECURE": False,  # set True behind HTTPS
    "FORCE_HTTPS": False,
    "DEFAULT_LOCALE": "de",
    "PAGE_SIZE": 25,
    "RATE_LIMITS": True,
    # Placements: follow-up schedule, reminder e-mail, background jobs (placement/placements/).
    "FOLLOWUP_SCHEDULE": "4w,3m,6m,12m",
    "NETWORK": "IQ Netzwerk",
    "NETWORK_LOGO": "",  # image file (PNG, JPEG, SVG) shown on certificates above the name
    "BASE_URL": "http://127.0.0.1:5000",
    "MAIL_BACKEND": "console",  # console | file (MAIL_FILE) | smtp
    "MAIL_FILE": None,  # the file backend's file (default instance/mail.log)
    "MAIL_FROM": "placement@localhost",
    "SMTP_HOST": "localhost",
    "SMTP_PORT": 587,
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "SMTP_STARTTLS": True,
    "REDIS_URL": None,  # set: reminders run through an RQ queue and `placement worker`
    "PREPARE": "auto",  # records encoded off the request: auto | thread | rq | request
    "POOL_REFRESH": 5,  # seconds between the stamp checks of each worker's ranking pools; 0 off
    "VECTOR_SEARCH": "numpy",  # numpy (exact) | pgvector (PostgreSQL with the extension)
    "LOG_FORMAT": "text",  # text | json (one JSON object a line)
    "LOG_LEVEL": "INFO",
    "PROXY_HOPS": 0,  # reverse proxies in front whose X-Forwarded-* headers are trusted
    "MAX_UPLOAD_MB": 16,  # largest request body (imports, files); larger ones get a 413
    "MODULES_DIR": None,  # training module files (default: placement/training/modules)
    "MATCH_WEIGHTS_FILE": None,  # learned match weights (default instance/match_weights.json)
    "IMPORT_DIR": None,  # uploads waiting for confirmation (default instance/imports)
    "INACTIVITY_DAYS": 90,  # then a participant is asked whether they still want suggestions
    "DIGEST_HOUR": 7,  # hour (UTC) from which the daily notification digest goes out
    "REQUIRE_2FA": False,  # admins and counsellors must set up a second factor (TOTP)
}


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    return value


def load_config(instance_path: str, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return the Flask config mapping for an instance folder and an environment."""
    environ = os.environ if environ is None else environ
    values = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        raw = environ.get(ENV_PREFIX + key)
        if raw is not None and raw != "":
            values[key] = _coerce(raw, default) if default is not None else raw

    instance = Path(instance_path)
    database_url = values["DATABASE_URL"] or f"sqlite:///{instance / 'placement.sqlite'}"
    secret_key = values["SECRET_KEY"] or _instance_secret(instance)
    values["MODEL_DIR"] = values["MODEL_DIR"] or str(instance / "models")
    return {
        **{ENV_PREFIX + key: value for key, value in values.items()},
        # What Flask and the extensions read, derived from the settings above.
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": values["SESSION_COOKIE_SECURE"],
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": values["DEFAULT_LOCALE"],
        "LANGUAGES": ["de", "en"],
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",  # times are stored in UTC, shown in Berlin
        "WTF_CSRF_TIME_LIMIT": None,
        # Rate limits per client address (Flask-Limiter), in Redis when configured.
        "RATELIMIT_ENABLED": values["RATE_LIMITS"],
        "RATELIMIT_STORAGE_URI": values["REDIS_URL"] or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "MAX_CONTENT_LENGTH": values["MAX_UPLOAD_MB"] * 1024 * 1024,
    }


def _instance_secret(instance: Path) -> str:
    """Generate a secret key once and keep it (mode 0600) in the instance folder.

    Several worker processes may start at once: the key is written to a private temporary file
    and linked into place, so every process reads the same, complete key.
    """
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=instance, prefix=".secret_key.")  # mode 0600
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            os.unlink(tmp)
    return path.read_text().strip()
