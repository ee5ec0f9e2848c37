"""The reminders' click commands: `placement reminders send|schedule` and `placement worker`."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from placement.placements.jobs import run_reminders
from placement.placements.queue import QUEUE_NAME, enqueue_reminders, queue, redis_connection
from placement.placements.scheduler import INTERVAL_SECONDS


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
