"""Logs on stdout in UTC, one line per request: method, path, status, duration, request id.

`PLACEMENT_LOG_FORMAT=json` writes JSON lines (python-json-logger) for a log collector; the
default is one readable line. A line never carries a query string, a form field, a token or
profile text: the path only, and for routes whose URL holds a secret (a token, a code) the
route's pattern instead of the path.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, request

log = logging.getLogger("placement.request")

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_SECRET_ARGS = {"token", "code"}  # URL variables that must not be written to a log
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_configured: list[str] = []


def configure_logging(fmt: str = "text", level: str = "INFO", stream=None) -> logging.Handler:
    """Send the root logger to stdout (once per process), in UTC, as text or JSON lines."""
    handler = logging.StreamHandler(stream or sys.stdout)
    if fmt == "json":
        from pythonjsonlogger.json import JsonFormatter

        formatter: logging.Formatter = JsonFormatter(
            "%(levelname)s %(name)s %(message)s",
            datefmt=DATE_FORMAT,
            timestamp=True,
            rename_fields={"levelname": "level", "name": "logger"},
        )
    else:
        formatter = logging.Formatter(TEXT_FORMAT, datefmt=DATE_FORMAT)
    formatter.converter = time.gmtime  # UTC, whatever the server's zone
    handler.setFormatter(formatter)
    handler.set_name("placement")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "placement"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Werkzeug's own access line (with query strings) is replaced by ours.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    _configured[:] = [fmt]
    return handler


def init_app(app: Flask) -> None:
    """Log every request once it is answered; give each a request id (kept from a proxy)."""
    if not app.testing and not _configured:
        configure_logging(app.config["PLACEMENT_LOG_FORMAT"], app.config["PLACEMENT_LOG_LEVEL"])
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    g.request_started = time.perf_counter()
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def _logged_path() -> str:
    rule = request.url_rule
    if rule is not None and _SECRET_ARGS & set(rule.arguments):
        return rule.rule
    return request.path


def _finish(response: Response) -> Response:
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = request_id
    path = _logged_path()
    log.info(
        "%s %s %s %sms id=%s", request.method, path, response.status_code, duration_ms,
        request_id,
        extra={"method": request.method, "path": path, "status": response.status_code,
               "duration_ms": duration_ms, "request_id": request_id},
    )  # fmt: skip
    return response
