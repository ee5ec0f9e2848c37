"""Notification e-mails: each, a daily digest, or none; each e-mail exactly once, also with two
senders at once, after a crash, and after a failing mail server; in the recipient's language."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from placement.accounts.models import User
from placement.claims import CLAIM_TIMEOUT
from placement.extensions import db
from placement.notifications import mail
from placement.notifications.models import Notification, NotificationMail
from placement.placements.mail import Mailer, MailError
from tests.notifications.test_notifications import _propose, world  # noqa: F401  (fixture)


class Crash(BaseException):
    """A crash between claiming and finishing (not caught like an error)."""


def send_notification_mails(now, send):
    """As the notification job calls it: with the app's mail settings (digest hour 7)."""
    return mail.send_notification_mails(Mailer.from_app(current_app), now, send=send)


def _now(app) -> datetime:
    with app.app_context():
        return db.session.scalar(select(Notification.created_at).order_by(Notification.id.desc()))


def _set(app, user_id, **values):
    with app.app_context():
        user = db.session.get(User, user_id)
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()


def test_each_notification_is_mailed_once(app, world):  # noqa: F811
    _propose(app, world)  # the employer and the participant are told
    now = _now(app) + timedelta(minutes=1)
    outbox = []
    with app.app_context():
        first = send_notification_mails(now, send=lambda *m: outbox.append(m))
        again = send_notification_mails(
            now + timedelta(minutes=5), send=lambda *m: outbox.append(m)
        )
        late = send_notification_mails(now + 2 * CLAIM_TIMEOUT, send=lambda *m: outbox.append(m))
    assert len(first.sent) == 2
    assert again.sent == late.sent == []
    assert sorted(to for to, _s, _b in outbox) == sorted([world["employer_email"],
                                                          world["person_email"]])  # fmt: skip
    assert all("/notifications" in body for _to, _s, body in outbox)


def test_mails_name_no_participant(app, world):  # noqa: F811
    pid = _propose(app, world)
    _set(app, world["person_user"], notify_mail="none")
    from placement.proposals.models import Proposal
    from placement.proposals.services import change_status

    with app.app_context():
        change_status(db.session.get(Proposal, pid), "invited",
                      db.session.get(User, world["employer"]))  # fmt: skip
        db.session.commit()
    outbox = []
    with app.app_context():
        send_notification_mails(_now(app) + timedelta(minutes=1), send=lambda *m: outbox.append(m))
    counsellor_mail = [body for to, _s, body in outbox if to == world["counsellor_email"]]
    assert len(counsellor_mail) == 1
    assert "invites a participant to an interview" in counsellor_mail[0]
    assert "Test Participant" not in "".join(s + b for _t, s, b in outbox)


def test_daily_digest_waits_for_its_hour_and_carries_everything_once(app, world):  # noqa: F811
    _set(app, world["person_user"], notify_mail="daily")
    _set(app, world["employer"], notify_mail="none")
    _propose(app, world)
    created = _now(app)
    early = created.replace(hour=5, minute=0) + timedelta(days=1)
    outbox = []
    with app.app_context():
        assert send_notification_mails(early, send=lambda *m: outbox.append(m)).sent == []
        at_seven = early.replace(hour=7)
        assert len(send_notification_mails(at_seven, send=lambda *m: outbox.append(m)).sent) == 1
        send_notification_mails(at_seven + timedelta(hours=3), send=lambda *m: outbox.append(m))
    assert len(outbox) == 1
    to, subject, body = outbox[0]
    assert to == world["person_email"]
    assert "1 new notifications today" in subject
    assert "Your counsellor has proposed you" in body


def test_none_and_read_notifications_are_not_mailed(app, world):  # noqa: F811
    _set(app, world["employer"], notify_mail="none")
    _propose(app, world)
    with app.app_context():
        for item in db.session.scalars(select(Notification)):
            if item.user_id == world["person_user"]:
                item.read_at = item.created_at
        db.session.commit()
    outbox = []
    with app.app_context():
        send_notification_mails(_now(app) + timedelta(minutes=1), send=lambda *m: outbox.append(m))
    assert outbox == []


def test_failed_mail_is_retried_and_a_crash_only_after_the_timeout(app, world):  # noqa: F811
    _propose(app, world)
    now = _now(app) + timedelta(minutes=1)
    outbox = []

    def failing(*message):
        raise MailError("SMTP: ConnectionRefusedError")

    def crashing(*message):
        raise Crash

    with app.app_context():
        assert len(send_notification_mails(now, send=failing).failed) == 2
        with pytest.raises(Crash):
            send_notification_mails(now + timedelta(minutes=1), send=crashing)
        # One claim is "sending" after the crash: not retried before the timeout ...
        soon = send_notification_mails(now + timedelta(minutes=2), send=lambda *m: outbox.append(m))
        assert len(soon.sent) == 1
        later = now + 2 * CLAIM_TIMEOUT
        assert len(send_notification_mails(later, send=lambda *m: outbox.append(m)).sent) == 1
        assert {m.status for m in db.session.scalars(select(NotificationMail))} == {"sent"}
    assert len(outbox) == 2


def test_two_senders_at_once_send_each_mail_once(app, world):  # noqa: F811
    _propose(app, world)  # two notifications, to two people
    now = _now(app) + timedelta(minutes=1)
    outbox: list = []
    lock = threading.Lock()
    barrier = threading.Barrier(2, timeout=30)

    def slow_send(*message):
        time.sleep(0.2)  # the other sender runs meanwhile
        with lock:
            outbox.append(message)

    def sender():
        with app.app_context():
            barrier.wait()
            send_notification_mails(now, send=slow_send)
            db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outbox) == 2
    assert len({to for to, _s, _b in outbox}) == 2


def test_mail_is_in_the_recipients_language(app, world):  # noqa: F811
    _set(app, world["employer"], locale="de")
    _set(app, world["person_user"], locale="en")
    _propose(app, world)
    outbox = []
    with app.app_context():
        send_notification_mails(_now(app) + timedelta(minutes=1), send=lambda *m: outbox.append(m))
    by_recipient = {to: (subject, body) for to, subject, body in outbox}
    german = by_recipient[world["employer_email"]]
    english = by_recipient[world["person_email"]]
    assert "Guten Tag" in german[1]
    assert "vorgeschlagen" in german[0]
    assert "Hello" in english[1]
    assert "proposed you" in english[0]


def test_cli_sends_each_mail_once(make_app, world, tmp_path):  # noqa: F811
    log = tmp_path / "mail.log"
    app = make_app(PLACEMENT_MAIL_BACKEND="file", PLACEMENT_MAIL_FILE=str(log))
    _propose(app, world)
    first = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert "e-mails sent: 2" in first.output, first.output
    again = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert "e-mails sent: 0" in again.output
    assert log.read_text().count("To: ") == 2
