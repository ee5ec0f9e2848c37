"""The forgotten-password e-mail, sent off the request.

The request only queues the address it was given, known or not, so that the answer takes the
same time either way (no account enumeration by timing). The job looks the address up, issues
the link (which voids older ones) and sends the e-mail: on the RQ queue when
PLACEMENT_REDIS_URL is set (`placement worker`), otherwise in a background thread of the app
process, as records are prepared for matching (placement/matches/preparation.py); the thread
starts once the answer has been sent, so that its work does not slow the answer.
"""

from __future__ import annotations

import functools
import logging

from flask import (
    after_this_request,
    current_app,
    has_app_context,
    has_request_context,
    url_for,
)

from placement.accounts import mails, tokens
from placement.accounts.services import find_user
from placement.background import OneThread, run_in_app
from placement.extensions import db
from placement.placements.mail import Mailer, MailError

log = logging.getLogger(__name__)
JOB_TIMEOUT = 120
FAILED_TTL = 3600  # a failed job keeps the address in Redis this long, not RQ's default year

_thread = OneThread("placement-mail")


def send_reset_link(email: str, base_url: str) -> bool:
    """The job: mail a new password link if the address belongs to an active account.
    Commits the link (older ones stop working). Returns whether an e-mail went out."""
    user = find_user(email)
    if user is None or not user.active:
        db.session.rollback()
        return False
    token = tokens.issue(current_app.config["SECRET_KEY"], user, "reset")
    # url_for outside a request: a request context for the address the person used
    with current_app.test_request_context(base_url=base_url):
        link = url_for("password.reset", token=token, _external=True)
    subject, body = mails.reset_mail(user, link, Mailer.from_app(current_app).default_locale)
    to = user.email
    db.session.commit()
    try:
        send_mail(to, subject, body)
    except MailError:  # logged, never shown: the page said the same for every address
        log.exception("password link not sent")
        return False
    return True


def send_mail(to: str, subject: str, body: str) -> None:
    """Send with the app's configured mail backend (MailError when it cannot)."""
    Mailer.from_app(current_app).send(to, subject, body)


def run_reset_link(email: str, base_url: str) -> bool:
    """The job in the current app, or in a new one (an RQ worker)."""
    if has_app_context():
        return send_reset_link(email, base_url)
    from placement import create_app  # pragma: no cover - a worker without the CLI's app

    with create_app().app_context():  # pragma: no cover
        return send_reset_link(email, base_url)


def queue_reset_link(email: str, base_url: str) -> None:
    """Queue the job for this address: the same work for every address."""
    app = current_app._get_current_object()
    redis_url = app.config.get("PLACEMENT_REDIS_URL")
    if redis_url:
        from placement.placements.queue import queue

        try:
            queue(redis_url).enqueue(run_reset_link, email, base_url, job_timeout=JOB_TIMEOUT,
                                     result_ttl=0, failure_ttl=FAILED_TTL)  # fmt: skip
        except Exception:  # noqa: BLE001 - Redis down: logged; the person may ask again
            log.exception("cannot queue a password link")
        return
    start = functools.partial(_thread.submit, run_in_app, app, log, "password link job failed",
                              send_reset_link, email, base_url)  # fmt: skip
    if not has_request_context():
        start()
        return

    @after_this_request
    def start_when_sent(response):
        # Not during the request: the job's work would slow its answer for a known address.
        response.call_on_close(start)
        return response


def wait(timeout: float | None = None) -> None:
    """Block until the background thread has sent what was queued so far (tests)."""
    _thread.wait(timeout)
