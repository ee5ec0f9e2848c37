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


def run_reminders() -> dict:
    """The job: send due reminders now, in the current app (or a new one for a worker); then
    ask inactive participants once whether they are still interested."""
    from placement.participants.activity import send_interest_mails
    from placement.placements.reminders import send_due_reminders

    if has_app_context():
        run, asked = send_due_reminders(), send_interest_mails()
    else:  # pragma: no cover - a worker process without the CLI's app context
        from placement import create_app

        with create_app().app_context():
            run, asked = send_due_reminders(), send_interest_mails()
    return {"sent": run.sent, "skipped": run.skipped, "failed": run.failed,
            "still_interested": {"sent": asked.sent, "skipped": asked.skipped,
                                 "failed": asked.failed}}  # fmt: skip


def redis_connection(url: str):
    from redis import Redis

    return Redis.from_url(url)


def queue(url: str):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(url))


def enqueue_reminders(url: str):
    """Put one reminders job on the RQ queue."""
    return queue(url).enqueue(run_reminders, job_timeout=600, result_ttl=86400)


def start_inprocess_scheduler(app: Flask):
    """Start (once per app) a background scheduler that sends due reminders every hour."""
    if app.testing or app.config.get("PLACEMENT_REDIS_URL"):
        return None
    if "placement_scheduler" in app.extensions:
        return app.extensions["placement_scheduler"]
    from apscheduler.schedulers.background import BackgroundScheduler

    def job():
        with app.app_context():
            run_reminders()

    scheduler = BackgroundScheduler(daemon=True, timezone="UTC")
    scheduler.add_job(job, "interval", seconds=INTERVAL_SECONDS, id="placement-reminders",
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
@click.option("--interval", default=INTERVAL_SECONDS, show_default=True, type=click.IntRange(10))
@click.option("--once", is_flag=True, help="Enqueue (or run) one job and stop.")
def schedule_command(interval: int, once: bool) -> None:
    """Every INTERVAL seconds: enqueue the reminders job (with Redis) or run it here."""
    url = current_app.config.get("PLACEMENT_REDIS_URL")
    while True:
        if url:
            job = enqueue_reminders(url)
            click.echo(f"Enqueued reminders job {job.id} on queue {QUEUE_NAME!r}.")
        else:
            result = run_reminders()
            click.echo(f"Reminders sent: {len(result['sent'])}.")
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
