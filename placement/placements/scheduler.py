"""The in-process scheduler of `placement demo`: sends due reminders every hour and the
notification e-mails every 5 minutes, without Redis.

Started only by the demo command; never in tests or with a queue configured (then `placement
reminders schedule` and `placement worker` run the job). Sending twice is harmless anyway.
"""

from __future__ import annotations

from flask import Flask

from placement.placements.jobs import run_reminders

INTERVAL_SECONDS = 3600


def start_inprocess_scheduler(app: Flask):
    """Start (once per app) a background scheduler that sends due reminders every hour and
    the notification e-mails every few minutes."""
    if app.testing or app.config.get("PLACEMENT_REDIS_URL"):
        return None
    if "placement_scheduler" in app.extensions:
        return app.extensions["placement_scheduler"]
    from apscheduler.schedulers.background import BackgroundScheduler

    from placement.notifications.jobs import INTERVAL_SECONDS as NOTIFY_SECONDS
    from placement.notifications.jobs import run_notifications

    def job():
        with app.app_context():
            run_reminders()

    def notify_job():
        with app.app_context():
            run_notifications()

    scheduler = BackgroundScheduler(daemon=True, timezone="UTC")
    scheduler.add_job(job, "interval", seconds=INTERVAL_SECONDS, id="placement-reminders",
                      max_instances=1, coalesce=True, next_run_time=_soon())  # fmt: skip
    scheduler.add_job(notify_job, "interval", seconds=NOTIFY_SECONDS, id="placement-notifications",
                      max_instances=1, coalesce=True, next_run_time=_soon())  # fmt: skip
    scheduler.start()
    app.extensions["placement_scheduler"] = scheduler
    return scheduler


def _soon():
    from datetime import UTC, datetime, timedelta

    return datetime.now(UTC) + timedelta(seconds=5)
