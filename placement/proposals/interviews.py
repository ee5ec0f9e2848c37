"""Interview times: the employer proposes one to three, the counsellor or the participant
accepts one, and everyone can put the accepted one in their calendar (.ics). Services only flush.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event
from sqlalchemy import select, update

from placement.accounts.models import User, utcnow
from placement.audit.services import record
from placement.extensions import db
from placement.notifications import services as notifications
from placement.proposals.models import InterviewSlot, Proposal

MAX_SLOTS = 3
MIN_MINUTES, MAX_MINUTES = 15, 480
# Times are proposed while the candidate is invited to an interview.
OPEN_FOR_TIMES = ("invited",)


class InterviewError(ValueError):
    """A step with interview times that is not allowed; the message is user-facing (and
    translated when shown)."""


def slots_for(proposal: Proposal) -> list[InterviewSlot]:
    """The proposal's current times (open or accepted), earliest first."""
    return list(
        db.session.scalars(
            select(InterviewSlot)
            .where(InterviewSlot.proposal_id == proposal.id,
                   InterviewSlot.status.in_(("open", "accepted")))
            .order_by(InterviewSlot.starts_at, InterviewSlot.id)
        )
    )  # fmt: skip


def accepted_slot(proposal: Proposal) -> InterviewSlot | None:
    return next((s for s in slots_for(proposal) if s.status == "accepted"), None)


def propose_times(
    proposal: Proposal,
    employer: User,
    starts: list[datetime],
    minutes: int,
    place: str,
    now: datetime | None = None,
) -> list[InterviewSlot]:
    """Offer 1-3 interview times (UTC) at one place; earlier open times are replaced.

    Raises ``InterviewError`` when the proposal is not at the interview stage, a time is in
    the past or twice, or a time has been accepted already.
    """
    now = now or utcnow()
    if proposal.status not in OPEN_FOR_TIMES:
        raise InterviewError(_l("Invite the candidate to an interview first."))
    starts = [s for s in starts if s is not None]
    if not 1 <= len(starts) <= MAX_SLOTS:
        raise InterviewError(_l("Propose one to three times."))
    if len(set(starts)) != len(starts):
        raise InterviewError(_l("Each time can be proposed once."))
    if any(s <= now for s in starts):
        raise InterviewError(_l("Interview times must be in the future."))
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InterviewError(_l("An interview takes between 15 minutes and 8 hours."))
    place = (place or "").strip()
    if not place:
        raise InterviewError(_l("Say where the interview takes place (address or video call)."))
    if accepted_slot(proposal) is not None:
        raise InterviewError(_l("A time has been accepted already."))
    db.session.execute(
        update(InterviewSlot)
        .where(InterviewSlot.proposal_id == proposal.id, InterviewSlot.status == "open")
        .values(status="replaced", decided_at=now)
        .execution_options(synchronize_session=False)
    )
    slots = [
        InterviewSlot(
            proposal_id=proposal.id,
            starts_at=start,
            minutes=minutes,
            place=place,
            proposed_by_id=employer.id,
            created_at=now,
        )  # fmt: skip
        for start in sorted(starts)
    ]
    db.session.add_all(slots)
    db.session.flush()
    record(employer, "interview.propose", "proposal", proposal.id,
           slots=[s.id for s in slots])  # fmt: skip
    notifications.interview_times_proposed(proposal, slots)
    return slots


def accept_time(slot: InterviewSlot, actor: User, now: datetime | None = None) -> InterviewSlot:
    """Accept one of the open times for the candidate (counsellor or the participant).

    Two people accepting at once: the proposal row is locked first, so the second finds the
    first's choice and is refused.
    """
    now = now or utcnow()
    proposal = slot.proposal
    # Lock the proposal row (PostgreSQL waits here for a concurrent acceptance to commit;
    # SQLite writes one at a time), then look again.
    db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id).values(updated_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    db.session.refresh(slot)
    if slot.status != "open":
        raise InterviewError(_l("This time is no longer open."))
    if proposal.status not in OPEN_FOR_TIMES:
        raise InterviewError(_l("The proposal is no longer at the interview stage."))
    if slot.starts_at <= now:
        raise InterviewError(_l("This time has passed; ask the employer for a new one."))
    if db.session.scalar(
        select(InterviewSlot.id).where(
            InterviewSlot.proposal_id == proposal.id, InterviewSlot.status == "accepted"
        )
    ):
        raise InterviewError(_l("Another time has been accepted already."))  # fmt: skip
    db.session.execute(
        update(InterviewSlot)
        .where(InterviewSlot.proposal_id == proposal.id, InterviewSlot.status == "open",
               InterviewSlot.id != slot.id)
        .values(status="not_chosen", decided_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    slot.status, slot.decided_at = "accepted", now
    slot.decided_by_id, slot.decided_by_role = actor.id, actor.role
    db.session.flush()
    record(actor, "interview.accept", "proposal", proposal.id, slot=slot.id)
    notifications.interview_time_accepted(slot, actor)
    return slot


def ics(slot: InterviewSlot, summary: str, description: str, location: str) -> bytes:
    """The accepted time as an iCalendar file (RFC 5545), times in UTC."""
    start = slot.starts_at.replace(tzinfo=UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//placement//interview//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"interview-{slot.id}@placement")
    event.add("dtstamp", (slot.decided_at or slot.created_at).replace(tzinfo=UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=slot.minutes))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", location)
    calendar.add_component(event)
    return calendar.to_ical()
