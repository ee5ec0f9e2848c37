"""One log line per request, in UTC, with no secret in it; JSON lines on request."""

from __future__ import annotations

import io
import json
import logging

from placement.web.request_log import configure_logging


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "placement.request"]


def test_one_line_per_request_with_id_and_duration(client, caplog):
    caplog.set_level(logging.INFO, logger="placement.request")
    response = client.get("/login?next=/x&token=abc123", headers={"X-Request-ID": "req-1"})
    (record,) = _request_records(caplog)
    assert response.headers["X-Request-ID"] == "req-1"
    assert (record.method, record.path, record.status, record.request_id) == (
        "GET", "/login", 200, "req-1")  # fmt: skip
    assert record.duration_ms >= 0
    assert "abc123" not in record.getMessage()  # no query string


def test_request_id_generated_when_absent_or_unsafe(client, caplog):
    caplog.set_level(logging.INFO, logger="placement.request")
    response = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    assert "script" not in _request_records(caplog)[0].getMessage()


def test_passwords_and_codes_never_logged(client, create_user, caplog):
    caplog.set_level(logging.DEBUG)
    _, email = create_user("counsellor")
    client.post("/login", data={"email": email, "password": "correct horse battery staple"})
    client.get("/verify/SECRETCODE123")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "correct horse" not in text
    assert "SECRETCODE123" not in text
    assert "/verify/<code>" in text


def test_json_lines_in_utc():
    stream = io.StringIO()
    handler = configure_logging("json", stream=stream)
    try:
        logging.getLogger("placement.request").info(
            "GET / 200", extra={"method": "GET", "path": "/", "status": 200, "request_id": "x"}
        )
    finally:
        logging.getLogger().removeHandler(handler)
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["timestamp"].endswith(("Z", "+00:00"))
    assert (line["level"], line["logger"], line["status"], line["path"]) == (
        "INFO", "placement.request", 200, "/")  # fmt: skip


def test_text_lines_in_utc():
    stream = io.StringIO()
    handler = configure_logging("text", stream=stream)
    try:
        logging.getLogger("placement.test").warning("hello")
    finally:
        logging.getLogger().removeHandler(handler)
    assert stream.getvalue().split(" ")[0].endswith("Z")
