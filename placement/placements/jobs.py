"""Running the reminders: once (CLI), through an RQ queue (with Redis), or in-process.

With PLACEMENT_REDIS_URL set, `placement reminders schedule` enqueues the job periodically and
`placement worker` runs it; on the embedded default an APScheduler BackgroundScheduler runs it
inside the demo's process (`placement demo` starts it). Nothing starts at import, on a request or
in tests; sending twice is harmless anyway (see reminders.py).
"""

from __future__ import annotations

import time

import click
from flask import Flask, current_app, has_app_context
from flask.cli import with_appcontext

QUEUE_NAME = "placement"
INTERVAL_SECONDS = 3600
# `placement reminders schedule` runs every 5 minutes: notification e-mails ("each") should not
# wait an hour; reminders are claimed, so running them more often sends nothing twice.
SCHEDULE_SECONDS = 300


def run_reminders() -> dict:
    """The job: send due reminders now, in the current app (or a new one for a worker)."""
    from placement.placements.reminders import send_due_reminders

    if has_app_context():
        run = send_due_reminders()
    else:  # pragma: no cover - a worker process without the CLI's app context
        from placement import create_app

        with create_app().app_context():
            run = send_due_reminders()
    return {"sent": run.sent, "skipped": run.skipped, "failed": run.failed}


def redis_connection(url: str):
    from redis import Redis

    return Redis.from_url(url)


def queue(url: str):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(url))


def enqueue_reminders(url: str):
    """Put one reminders job on the RQ queue."""
    return queue(url).enqueue(run_reminders, job_timeout=600, result_ttl=86400)


def enqueue_notifications(url: str):
    """Put one notifications job (placement/notifications/jobs.py) on the RQ queue."""
    from placement.notifications.jobs import run_notifications

    return queue(url).enqueue(run_notifications, job_timeout=600, result_ttl=86400)


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


@click.group("reminders")
def reminders_group() -> None:
    """Follow-up reminder e-mails."""


@reminders_group.command("send")
@with_appcontext
def send_command() -> None:
    """Send the due follow-up reminders once, now."""
    result = run_reminders()
    click.echo(f"Reminders sent: {len(result['sent'])}, already claimed: "
               f"{len(result['skipped'])}, failed: {len(result['failed'])}.")  # fmt: skip


@reminders_group.command("schedule")
@with_appcontext
@click.option("--interval", default=SCHEDULE_SECONDS, show_default=True, type=click.IntRange(10))
@click.option("--once", is_flag=True, help="Enqueue (or run) one job and stop.")
def schedule_command(interval: int, once: bool) -> None:
    """Every INTERVAL seconds: enqueue the reminders and notifications jobs (with Redis) or run
    them here."""
    from placement.notifications.jobs import run_notifications

    url = current_app.config.get("PLACEMENT_REDIS_URL")
    while True:
        if url:
            job = enqueue_reminders(url)
            notify = enqueue_notifications(url)
            click.echo(f"Enqueued reminders job {job.id} and notifications job {notify.id} on "
                       f"queue {QUEUE_NAME!r}.")  # fmt: skip
        else:
            result = run_reminders()
            sent = len(run_notifications()["sent"])
            click.echo(f"Reminders sent: {len(result['sent'])}; notification e-mails: {sent}.")
        if once:
            return
        time.sleep(interval)


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker for the reminders queue (needs PLACEMENT_REDIS_URL)."""
    url = current_app.config.get("PLACEMENT_REDIS_URL")
    if not url:
        raise click.ClickException("Set PLACEMENT_REDIS_URL to use the job queue.")
    from rq import SimpleWorker

    # SimpleWorker runs jobs in this process, inside the CLI's app context: no fork, so no
    # database connection is shared between processes. The job is short.
    worker = SimpleWorker([queue(url)], connection=redis_connection(url))
    worker.work(burst=burst)
