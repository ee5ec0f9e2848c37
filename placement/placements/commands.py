"""The reminders' click commands: `placement reminders send|schedule` and `placement worker`
(which also runs the notification e-mails' job)."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from placement.placements.jobs import run_reminders
from placement.placements.queue import (
    QUEUE_NAME,
    enqueue_notifications,
    enqueue_reminders,
    queue,
    redis_connection,
)

# `placement reminders schedule` runs every 5 minutes: notification e-mails ("each") should not
# wait an hour; reminders are claimed, so running them more often sends nothing twice.
SCHEDULE_SECONDS = 300


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
    """Run an RQ worker for the job queue: reminders, preparing records for matching (needs
    PLACEMENT_REDIS_URL)."""
    url = current_app.config.get("PLACEMENT_REDIS_URL")
    if not url:
        raise click.ClickException("Set PLACEMENT_REDIS_URL to use the job queue.")
    from rq import SimpleWorker

    # SimpleWorker runs jobs in this process, inside the CLI's app context: no fork, so no
    # database connection is shared between processes. The job is short.
    worker = SimpleWorker([queue(url)], connection=redis_connection(url))
    worker.work(burst=burst)
