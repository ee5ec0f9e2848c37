"""Reminders: one e-mail per due follow-up, even when the job runs twice or crashes midway."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import current_app

from placement.extensions import db
from placement.placements import reminders
from placement.placements.mail import Mailer, MailError
from placement.placements.models import Reminder
from placement.placements.reminders import CLAIM_TIMEOUT
from tests.conftest import redis_up

NOW = datetime(2026, 5, 1, 8, 0)


def send_due_reminders(now, send):
    """As the reminders job calls it: with the app's mail settings."""
    return reminders.send_due_reminders(Mailer.from_app(current_app), now, send=send)


class Crash(BaseException):
    """A crash of the job between claiming and finishing (not caught like an error)."""


@pytest.fixture
def due_two(app, create_placement, create_user):
    """Two placements whose 4-week and 3-month follow-ups are due on NOW (four reminders)."""
    counsellor, email = create_user("counsellor")
    for _ in range(2):
        create_placement(actor_id=counsellor, start_date=datetime(2026, 1, 15).date())
    return email


def test_run_twice_sends_once(app, due_two):
    outbox = []
    with app.app_context():
        first = send_due_reminders(NOW, send=lambda *m: outbox.append(m))
        second = send_due_reminders(NOW + timedelta(hours=1), send=lambda *m: outbox.append(m))
        later = send_due_reminders(NOW + 2 * CLAIM_TIMEOUT, send=lambda *m: outbox.append(m))
        assert len(first.sent) == 4
        assert second.sent == []
        assert len(second.skipped) == 4
        assert later.sent == []
        assert {r.status for r in db.session.scalars(db.select(Reminder))} == {"sent"}
    assert len(outbox) == 4
    assert {to for to, _s, _b in outbox} == {due_two}
    assert all("Olena" not in body for _to, _s, body in outbox)  # no name in the e-mail


def test_crash_midway_still_sends_each_once(app, due_two):
    outbox = []

    def crashing(to, subject, body):
        if len(outbox) == 2:
            raise Crash
        outbox.append(subject)

    with app.app_context(), pytest.raises(Crash):
        send_due_reminders(NOW, send=crashing)
    with app.app_context():
        statuses = sorted(r.status for r in db.session.scalars(db.select(Reminder)))
        assert statuses == ["sending", "sent", "sent"]
        # Right after the crash: the claim may have been sent, so it is not retried yet.
        soon = send_due_reminders(NOW + timedelta(minutes=5), send=lambda *m: outbox.append(m[1]))
        assert len(soon.sent) == 1
        assert len(soon.skipped) == 3
        late = send_due_reminders(NOW + 2 * CLAIM_TIMEOUT, send=lambda *m: outbox.append(m[1]))
        assert len(late.sent) == 1  # the crashed claim, after the timeout
        assert {r.status for r in db.session.scalars(db.select(Reminder))} == {"sent"}
    assert len(outbox) == 4
    assert len(set(outbox)) == 4


def test_failed_send_is_retried_next_run(app, due_two):
    calls = []

    def failing(to, subject, body):
        calls.append(subject)
        raise MailError("SMTP: ConnectionRefusedError")

    with app.app_context():
        assert len(send_due_reminders(NOW, send=failing).failed) == 4
        retry = send_due_reminders(NOW + timedelta(minutes=1), send=lambda *m: calls.append(m))
        assert len(retry.sent) == 4
        assert {r.attempts for r in db.session.scalars(db.select(Reminder))} == {2}


def test_file_backend_and_cli(make_app, create_placement, create_user, tmp_path):
    log = tmp_path / "mail.log"
    app = make_app(PLACEMENT_MAIL_BACKEND="file", PLACEMENT_MAIL_FILE=str(log))
    counsellor, email = create_user("counsellor")
    create_placement(actor_id=counsellor, start_date=datetime(2025, 1, 15).date())
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert "Reminders sent: 4" in result.output, result.output  # 4w, 3m, 6m, 12m all past
    text = log.read_text()
    assert text.count(f"To: {email}") == 4
    again = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert "Reminders sent: 0, already claimed: 4" in again.output
    assert log.read_text().count("To: ") == 4


REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.mark.skipif(not redis_up(REDIS_URL), reason="Redis on 127.0.0.1:6379 not reachable")
def test_rq_queue_runs_the_job_once(make_app, create_placement, create_user, tmp_path):
    from rq import SimpleWorker

    from placement.placements import queue as jobs

    log = tmp_path / "mail.log"
    app = make_app(PLACEMENT_REDIS_URL=REDIS_URL, PLACEMENT_MAIL_BACKEND="file",
                   PLACEMENT_MAIL_FILE=str(log))  # fmt: skip
    counsellor, _email = create_user("counsellor")
    create_placement(actor_id=counsellor, start_date=datetime(2025, 1, 15).date())
    queue = jobs.queue(REDIS_URL)
    queue.empty()
    with app.app_context():
        first, second = jobs.enqueue_reminders(REDIS_URL), jobs.enqueue_reminders(REDIS_URL)
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        first.refresh()
        second.refresh()
        results = [first.return_value(), second.return_value()]
    assert sorted(len(r["sent"]) for r in results) == [0, 4]
    assert log.read_text().count("To: ") == 4
    queue.connection.close()


def test_worker_needs_redis(runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "PLACEMENT_REDIS_URL" in result.output


def test_no_scheduler_in_tests(app):
    from placement.placements.scheduler import start_inprocess_scheduler

    assert start_inprocess_scheduler(app) is None
    assert "placement_scheduler" not in app.extensions
