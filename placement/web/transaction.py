"""One commit per request (docs/architecture.md, "Request and data flow").

Views and services never commit: services only flush, and the app commits once after a
successful response (status below 400, redirects included) and rolls back after an error
response or an exception. A view whose service refused the change (a domain error it shows as a
flash message and a redirect) calls :func:`discard`, so that nothing the service had written
stays, although the response itself is a success.

The few writes that must survive a failed request (the failed-login counter, the log of a
profile shown on an error page) call :func:`keep_on_error` and say why; work outside requests
(commands, the reminder worker) commits in its own code.
"""

from __future__ import annotations

from flask import Flask, Response, g

from placement.extensions import db


def discard() -> None:
    """Drop what this request has written so far: a service refused the change and the view
    shows why. What the view writes afterwards (the log of a page it shows) commits as usual."""
    db.session.rollback()


def keep_on_error() -> None:
    """Commit this request's writes even though its response is an error (4xx): for the few
    writes that must outlive a failed request, such as the failed-login counter or the log that
    a profile was shown on a page re-rendered with a form error."""
    g.keep_on_error = True


def finish(response: Response) -> Response:
    """Commit a successful request once; roll back any other."""
    if response.status_code < 400 or g.get("keep_on_error"):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def rollback_on_exception(exc: BaseException | None) -> None:
    # An exception nobody handled: nothing half-written stays.
    if exc is not None:
        db.session.rollback()


def init_app(app: Flask) -> None:
    app.after_request(finish)
    app.teardown_request(rollback_on_exception)
