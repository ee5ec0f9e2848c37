"""Creating and reading notifications. Services take explicit arguments and only flush.

The domain services call the event functions below where the event happens (a proposal made or
answered, an interest, a consent change); the background job adds follow-ups coming due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from placement.accounts.models import User
from placement.extensions import db, utcnow
from placement.notifications.models import Notification

MAIL_CHOICES = ("each", "daily", "none")
# How far ahead a follow-up counts as "coming due" for the counsellor's notification.
FOLLOW_UP_NOTICE = timedelta(days=7)


def notify(user: User | None, kind: str, key: str | None = None, participant=None,
           **params) -> Notification | None:  # fmt: skip
    """Add a notification for ``user`` (nothing for no user or an inactive one). With ``key``,
    the same event is notified once: a second call with the same key adds nothing."""
    if user is None or not user.active:
        return None
    participant_id = getattr(participant, "id", None)
    if key is not None:
        exists = db.session.scalar(
            select(Notification.id).where(Notification.user_id == user.id, Notification.key == key)
        )
        if exists is not None:
            return None
    item = Notification(user_id=user.id, kind=kind, key=key, participant_id=participant_id,
                        params=params)  # fmt: skip
    try:
        with db.session.begin_nested():  # a concurrent job may add the same key first
            db.session.add(item)
    except IntegrityError:
        return None
    return item


def _employer_staff(organisation) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(
                User.organisation_id == organisation.id,
                User.role == "employer",
                User.active.is_(True),
            )
        )
    )


def _counsellors(participant, proposal=None) -> list[User]:
    """Whoever follows the person: her counsellor and the one who made the proposal."""
    people = [participant.counsellor, getattr(proposal, "proposed_by", None)]
    seen, found = set(), []
    for user in people:
        if user is not None and user.id not in seen and user.role in ("counsellor", "admin"):
            seen.add(user.id)
            found.append(user)
    return found


def proposal_created(proposal) -> None:
    """The employer's staff learn of a new proposal; the participant that she was proposed."""
    for user in _employer_staff(proposal.vacancy.organisation):
        # Tied to the participant so that her erasure takes it along; the text shows the
        # pseudonym only.
        notify(user, "proposal.new", key=f"proposal.new:{proposal.id}",
               participant=proposal.participant, proposal=proposal.id)  # fmt: skip
    _tell_participant(proposal, "proposed")


def proposal_status_changed(proposal, to_status: str, actor: User) -> None:
    """Counsellors learn of an employer's answer; the participant of any change."""
    if actor.role == "employer":
        for user in _counsellors(proposal.participant, proposal):
            notify(user, "proposal.answer", key=f"proposal.answer:{proposal.id}:{to_status}",
                   participant=proposal.participant, proposal=proposal.id,
                   status=to_status)  # fmt: skip
    _tell_participant(proposal, to_status, actor)


def _tell_participant(proposal, status: str, actor: User | None = None) -> None:
    """The participant learns of a change she did not make herself."""
    person = proposal.participant
    if person.user is not None and (actor is None or actor.id != person.user.id):
        notify(person.user, "proposal.status", key=f"proposal.status:{proposal.id}:{status}",
               participant=person, proposal=proposal.id, status=status)  # fmt: skip


def interest_marked(participant, vacancy) -> None:
    for user in _counsellors(participant):
        notify(user, "interest.new", key=f"interest:{participant.id}:{vacancy.id}",
               participant=participant, vacancy=vacancy.id)  # fmt: skip


def consent_changed(participant, change: str, actor: User, organisation=None) -> None:
    """``change``: "share.given", "share.withdrawn", "matching.given", "matching.withdrawn".
    The counsellor learns of it unless she made the change herself."""
    for user in _counsellors(participant):
        if user.id != actor.id:
            notify(user, "consent.change", participant=participant, change=change,
                   organisation=getattr(organisation, "id", None))  # fmt: skip


def interview_times_proposed(proposal, slots: list) -> None:
    """The employer offered interview times: the counsellors and the participant learn of it
    (once per offer: a new offer replaces the open times and is told again)."""
    offer = min(slot.id for slot in slots)
    person = proposal.participant
    for user in _counsellors(person, proposal):
        notify(user, "interview.times", key=f"interview.times:{offer}", participant=person,
               proposal=proposal.id)  # fmt: skip
    if person.user is not None:
        notify(person.user, "interview.times.you", key=f"interview.times:{offer}",
               participant=person, proposal=proposal.id)  # fmt: skip


def interview_time_accepted(slot, actor: User) -> None:
    """A time was accepted: the employer's staff, the counsellors and the participant learn of
    it, except whoever accepted it."""
    proposal = slot.proposal
    person = proposal.participant
    key = f"interview.fixed:{slot.id}"
    told = [
        *((user, "interview.fixed.employer") for user in
          _employer_staff(proposal.vacancy.organisation)),
        *((user, "interview.fixed") for user in _counsellors(person, proposal)),
        *([(person.user, "interview.fixed.you")] if person.user is not None else []),
    ]  # fmt: skip
    for user, kind in told:
        if user.id != actor.id:
            notify(user, kind, key=key, participant=person, proposal=proposal.id, slot=slot.id)


def interest_declined(participant, check_id: int, actor: User) -> None:
    """The participant said no to "still interested?": the counsellor learns of it (unless she
    recorded the answer herself)."""
    for user in _counsellors(participant):
        if user.id != actor.id:
            notify(user, "interest.no", key=f"interest.no:{check_id}", participant=participant)


def follow_ups_coming_due(now: datetime) -> int:
    """Notify counsellors of open follow-ups due within FOLLOW_UP_NOTICE (once per follow-up and
    due date, however often the job runs). Returns how many were added; only flushes."""
    from placement.placements.models import FollowUp, Placement

    rows = db.session.scalars(
        select(FollowUp)
        .join(FollowUp.placement)
        .where(
            FollowUp.done_at.is_(None),
            FollowUp.due_date <= (now + FOLLOW_UP_NOTICE).date(),
            FollowUp.due_date >= (now - FOLLOW_UP_NOTICE).date(),
            Placement.status == "active",
        )
    ).all()
    added = 0
    for follow_up in rows:
        placement = follow_up.placement
        counsellor = placement.counsellor or placement.participant.counsellor
        due = follow_up.due_date.isoformat()
        added += (
            notify(counsellor, "followup.due", key=f"followup:{follow_up.id}:{due}",
                   participant=placement.participant, placement=placement.id, due=due)
            is not None
        )  # fmt: skip
    db.session.flush()
    return added


def notifications_for(user: User, unread_only: bool = False):
    """A select() of the user's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all) as read; returns how many changed."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    changed = db.session.execute(query.values(read_at=utcnow())).rowcount
    db.session.flush()
    return changed


def set_mail_choice(user: User, choice: str) -> None:
    if choice not in MAIL_CHOICES:
        raise ValueError(f"unknown choice {choice!r}")
    user.notify_mail = choice
    db.session.flush()
