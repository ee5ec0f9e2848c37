"""The RQ plumbing of the reminders job (with PLACEMENT_REDIS_URL): the queue and enqueueing."""

from __future__ import annotations

from placement.placements.jobs import run_reminders

QUEUE_NAME = "placement"


def redis_connection(url: str):
    from redis import Redis

    return Redis.from_url(url)


def queue(url: str):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(url))


def enqueue_reminders(url: str):
    """Put one reminders job on the RQ queue."""
    return queue(url).enqueue(run_reminders, job_timeout=600, result_ttl=86400)
