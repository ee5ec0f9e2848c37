"""The RQ plumbing of the background jobs (with PLACEMENT_REDIS_URL): the queue and enqueueing
the reminders and the notification e-mails."""

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


def enqueue_notifications(url: str):
    """Put one notifications job (placement/notifications/jobs.py) on the RQ queue."""
    from placement.notifications.jobs import run_notifications

    return queue(url).enqueue(run_notifications, job_timeout=600, result_ttl=86400)
