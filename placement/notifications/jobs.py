"""The notification job: follow-ups coming due become notifications, then the e-mails due go
out. It runs where the reminders run (placement/placements/jobs.py): on the RQ queue with
PLACEMENT_REDIS_URL, in the demo's in-process scheduler, or once with
`placement notifications send`. Running it twice, or in two workers at once, is harmless.
"""

from __future__ import annotations

import click
from flask import current_app, has_app_context
from flask.cli import with_appcontext

from placement.extensions import db, utcnow

INTERVAL_SECONDS = 300


def send_notifications(now=None, send=None) -> dict:
    """Add follow-up notifications (committed), then send the e-mails due now (``send`` as in
    send_notification_mails), with the current app's mail settings and PLACEMENT_DIGEST_HOUR."""
    from placement.notifications.mail import send_notification_mails
    from placement.notifications.services import follow_ups_coming_due
    from placement.placements.mail import Mailer

    now = now or utcnow()
    added = follow_ups_coming_due(now)
    db.session.commit()
    run = send_notification_mails(
        Mailer.from_app(current_app),
        now,
        send=send,
        digest_hour=int(current_app.config["PLACEMENT_DIGEST_HOUR"]),
    )
    return {"added": added, "sent": run.sent, "skipped": run.skipped, "failed": run.failed}


def run_notifications() -> dict:
    """The job, in the current app (or a new one for a worker process)."""
    if has_app_context():
        return send_notifications()
    from placement import create_app  # pragma: no cover - a worker without the CLI's context

    with create_app().app_context():  # pragma: no cover
        return send_notifications()


@click.group("notifications")
def notifications_group() -> None:
    """Notification e-mails."""


@notifications_group.command("send")
@with_appcontext
def send_command() -> None:
    """Add follow-ups coming due and send the notification e-mails due now, once."""
    result = run_notifications()
    sent, skipped, failed = (len(result[k]) for k in ("sent", "skipped", "failed"))
    click.echo(f"Notifications added: {result['added']}; e-mails sent: {sent}, "
               f"already claimed: {skipped}, failed: {failed}.")  # fmt: skip
