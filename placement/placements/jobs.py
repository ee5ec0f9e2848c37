"""The reminders job: send the due follow-up reminders (placement/placements/reminders.py).

Run once by `placement reminders send`, periodically by `placement reminders schedule` (through
the RQ queue in queue.py when Redis is configured), or by the demo's in-process scheduler
(scheduler.py). Nothing starts at import, on a request or in tests.
"""

from __future__ import annotations

from flask import current_app, has_app_context


def run_reminders() -> dict:
    """The job: send due reminders now, in the current app (or a new one for a worker); then
    ask inactive participants once whether they are still interested."""
    if has_app_context():
        run, asked = _send()
    else:  # pragma: no cover - a worker process without the CLI's app context
        from placement import create_app

        with create_app().app_context():
            run, asked = _send()
    return {"sent": run.sent, "skipped": run.skipped, "failed": run.failed,
            "still_interested": {"sent": asked.sent, "skipped": asked.skipped,
                                 "failed": asked.failed}}  # fmt: skip


def _send():
    from placement.participants.activity import send_interest_mails
    from placement.placements.mail import Mailer
    from placement.placements.reminders import send_due_reminders

    mailer = Mailer.from_app(current_app)
    days = int(current_app.config["PLACEMENT_INACTIVITY_DAYS"])
    return send_due_reminders(mailer), send_interest_mails(mailer, days)
