"""Still interested? Participants who have not used the app for a while are asked whether they
still want suggestions: on their next visit (a banner) and once by e-mail from the background
job. Their answer is stored; after a "no" suggestions pause until they say yes again.
Counsellors see who has not answered and who said no.

Operations take explicit arguments and only flush, except ``send_interest_mails`` (the job),
which commits each claim in its own transaction like the follow-up reminders do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from placement.accounts.models import User, utcnow
from placement.audit.services import record
from placement.extensions import db
from placement.notifications import services as notifications
from placement.participants.models import InterestCheck, Participant
from placement.placements.mail import Mailer, MailError

ANSWERS = ("yes", "no")
CLAIM_TIMEOUT = timedelta(minutes=30)
# A visit counts once an hour: no write on every page.
ACTIVITY_GRANULARITY = timedelta(hours=1)


def last_activity(participant: Participant) -> datetime:
    return participant.last_active_at or participant.created_at


def pending_check(participant: Participant) -> InterestCheck | None:
    """The unanswered question, if one is open."""
    return db.session.scalar(
        select(InterestCheck)
        .where(InterestCheck.participant_id == participant.id, InterestCheck.answer.is_(None))
        .order_by(InterestCheck.id.desc())
        .limit(1)
    )


def _is_due(participant: Participant, now: datetime, days: int) -> bool:
    # Placed people (phase 5) and those who said no are not asked.
    return (participant.phase == 4 and participant.wants_suggestions
            and last_activity(participant) <= now - timedelta(days=days))  # fmt: skip


def open_check(participant: Participant, now: datetime) -> InterestCheck | None:
    """Open the question for the current inactivity period (once: a second opener gets the
    first one's)."""
    since = last_activity(participant)
    same = select(InterestCheck).where(
        InterestCheck.participant_id == participant.id, InterestCheck.since == since
    )
    existing = db.session.scalar(same)
    if existing is not None:
        return existing
    check = InterestCheck(participant_id=participant.id, since=since, asked_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(check)
    except IntegrityError:  # opened meanwhile by a visit or another worker
        return db.session.scalar(same)
    return check


def note_visit(participant: Participant, days: int, now: datetime | None = None
               ) -> InterestCheck | None:  # fmt: skip
    """A participant uses the app: ask first if they were away ``days`` or longer
    (PLACEMENT_INACTIVITY_DAYS), then count the visit as activity. Returns the open question
    (for the banner), if any."""
    now = now or utcnow()
    check = pending_check(participant)
    if check is None and _is_due(participant, now, days):
        check = open_check(participant, now)
    if participant.last_active_at is None or (
        now - participant.last_active_at >= ACTIVITY_GRANULARITY
    ):
        _note_activity(participant, now)
    db.session.flush()
    return check


def _note_activity(participant: Participant, now: datetime) -> None:
    """Set the time of the last activity without moving `updated_at`: a visit changes nothing
    the matching sees, and a moved `updated_at` would make every serving process rebuild its
    candidate pool and judge every match list again (matches/pools.py)."""
    db.session.execute(
        update(Participant)
        .where(Participant.id == participant.id)
        .values(last_active_at=now, updated_at=Participant.updated_at),
        execution_options={"synchronize_session": False},
    )
    set_committed_value(participant, "last_active_at", now)


def answer(participant: Participant, wants: str, actor: User, now: datetime | None = None
           ) -> InterestCheck:  # fmt: skip
    """Store the answer ("yes" or "no"); "no" pauses suggestions, "yes" resumes them.

    Answers the open question, or records one (the person changed their mind later).
    """
    if wants not in ANSWERS:
        raise ValueError(f"answer must be one of {ANSWERS}")
    now = now or utcnow()
    check = pending_check(participant)
    if check is None:
        check = InterestCheck(participant_id=participant.id, since=now, asked_at=now,
                              mail_status="none")  # fmt: skip
        db.session.add(check)
    check.answer, check.answered_at, check.answered_by_role = wants, now, actor.role
    participant.wants_suggestions = wants == "yes"
    if actor.role == "participant":
        participant.last_active_at = now
    db.session.flush()
    record(actor, "participant.still_interested", "participant", participant.id, answer=wants)
    if wants == "no":
        notifications.interest_declined(participant, check.id, actor)
    return check


def checks_for_counsellor(counsellor: User | None = None):
    """A select() of the questions not answered and the answers "no" (latest per person),
    oldest first; with ``counsellor``: their participants only."""
    latest = (
        select(func.max(InterestCheck.id)).group_by(InterestCheck.participant_id).scalar_subquery()
    )
    query = (
        select(InterestCheck)
        .join(InterestCheck.participant)
        .where(InterestCheck.id.in_(latest),
               or_(InterestCheck.answer.is_(None), InterestCheck.answer == "no"))
        .order_by(InterestCheck.asked_at, InterestCheck.id)
    )  # fmt: skip
    if counsellor is not None:
        query = query.where(Participant.counsellor_id == counsellor.id)
    return query


# ------------------------------------------------------------------ the background job


@dataclass
class InterestRun:
    """What one run did: participant ids mailed, skipped (another run has it), failed, and
    asked without e-mail (no address: the question waits for the next visit)."""

    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    no_address: list[int] = field(default_factory=list)


def due_participants(now: datetime, days: int) -> list[int]:
    """Ids of participants inactive for ``days`` whose current inactivity is not asked yet, or
    whose question's e-mail is still to be sent."""
    cutoff = now - timedelta(days=days)
    activity = func.coalesce(Participant.last_active_at, Participant.created_at)
    asked = select(InterestCheck.id).where(
        InterestCheck.participant_id == Participant.id,
        InterestCheck.since >= activity,
        or_(InterestCheck.mail_status.in_(("sent", "none")), InterestCheck.answer.is_not(None)),
    )
    ids = db.session.scalars(
        select(Participant.id)
        .where(Participant.phase == 4, Participant.wants_suggestions.is_(True),
               activity <= cutoff, ~asked.exists())
        .order_by(Participant.id)
    ).all()  # fmt: skip
    db.session.rollback()  # end the read transaction before the claims
    return list(ids)


def _claim(check_id: int, now: datetime) -> bool:
    """Claim the e-mail of a question in its own transaction; False if another run has it."""
    claimed = db.session.execute(
        update(InterestCheck)
        .where(
            InterestCheck.id == check_id,
            InterestCheck.answer.is_(None),
            or_(
                InterestCheck.mail_status.is_(None),
                InterestCheck.mail_status == "failed",
                (InterestCheck.mail_status == "sending")
                & (InterestCheck.mail_claimed_at < now - CLAIM_TIMEOUT),
            ),
        )
        .values(mail_status="sending", mail_claimed_at=now)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _finish(check_id: int, status: str, now: datetime) -> None:
    values = {"mail_status": status}
    if status == "sent":
        values["mailed_at"] = now
    db.session.execute(update(InterestCheck).where(InterestCheck.id == check_id).values(**values))
    db.session.commit()


def _message(participant: Participant, mailer: Mailer) -> tuple[str, str]:
    # In the person's language; no profile content (the e-mail may travel unencrypted).
    with force_locale(mailer.locale(participant.user.locale if participant.user else None)):
        subject = _("Do you still want job suggestions?")
        body = _(
            "Hello,\n\nyou have not used your job placement account for a while. Do you still "
            "want us to suggest jobs and internships to you?\n\nPlease sign in and answer: "
            "%(url)s\n\nIf you do not want suggestions at the moment, you can say so there; "
            "your counsellor will see it and you can change it at any time.\n",
            url=mailer.link("/me/still-interested"),
        )
    return subject, body


def send_interest_mails(mailer: Mailer, days: int, now: datetime | None = None, send=None
                        ) -> InterestRun:  # fmt: skip
    """Ask participants inactive for ``days`` (PLACEMENT_INACTIVITY_DAYS) once by e-mail
    (exactly once, as reminders.py explains).

    Commits as it goes: each question is opened and each e-mail claimed in its own transaction.
    """
    now = now or utcnow()
    send = send or mailer.send
    run = InterestRun()
    for pid in due_participants(now, days):
        participant = db.session.get(Participant, pid)
        if participant is None or not _is_due(participant, now, days):
            db.session.rollback()
            continue
        check = open_check(participant, now)
        if not participant.email:
            check.mail_status = check.mail_status or "none"
            db.session.commit()
            run.no_address.append(pid)
            continue
        check_id, to = check.id, participant.email
        subject, body = _message(participant, mailer)
        db.session.commit()
        if not _claim(check_id, now):
            run.skipped.append(pid)
            continue
        try:
            send(to, subject, body)
        except MailError:
            _finish(check_id, "failed", now)
            run.failed.append(pid)
            continue
        _finish(check_id, "sent", now)
        run.sent.append(pid)
    return run
