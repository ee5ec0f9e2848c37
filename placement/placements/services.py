"""Placement operations: enter a placement, edit its schedule, record follow-ups.

Services take explicit arguments (the acting user, validated data, today) and only flush; the
view or command commits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from placement.accounts.models import User
from placement.audit.services import record
from placement.employers.models import Organisation
from placement.extensions import db, utcnow
from placement.participants.models import Participant
from placement.placements import risk
from placement.placements.models import FollowUp, Placement
from placement.placements.schedule import due_dates
from placement.vocab import CONTRACT_TYPES, END_REASONS, RISK_RANK

DUE_HORIZON_DAYS = 14  # the start page lists follow-ups due within two weeks, and all overdue
PLACEMENT_FIELDS = ("title", "occupation", "start_date", "contract_type", "contract_end",
                    "hours_per_week", "wage_band")  # fmt: skip


class PlacementError(ValueError):
    """A placement step that is not allowed; the message is user-facing."""


def today() -> date:
    return utcnow().date()


def all_placements():
    """A select() of every placement (the statistics observe them all)."""
    return select(Placement)


def create_placement(
    participant: Participant,
    organisation: Organisation,
    data: dict[str, Any],
    actor: User | None,
    *,
    vacancy=None,
    proposal=None,
    schedule: str | None = None,
    on: date | None = None,
) -> Placement:
    """Enter a placement with its follow-up schedule (the network's PLACEMENT_FOLLOWUP_SCHEDULE;
    None: DEFAULT_SCHEDULE of placements/schedule.py); the participant moves to phase 5."""
    if data.get("contract_type") not in CONTRACT_TYPES:
        raise PlacementError(_l("Choose the type of contract."))
    if data.get("contract_end") and data["contract_end"] < data["start_date"]:
        raise PlacementError(_l("The contract cannot end before it starts."))
    counsellor_id = participant.counsellor_id
    if counsellor_id is None and actor is not None and actor.role in ("counsellor", "admin"):
        counsellor_id = actor.id
    placement = Placement(
        participant=participant,
        organisation=organisation,
        vacancy=vacancy,
        proposal=proposal,
        counsellor_id=counsellor_id,
        source="proposal" if proposal is not None else "counsellor",
        phase_at_start=participant.phase,
        created_by_id=getattr(actor, "id", None),
        **{name: data.get(name) for name in PLACEMENT_FIELDS},
    )
    for label, due in due_dates(placement.start_date, schedule):
        placement.follow_ups.append(FollowUp(label=label, due_date=due))
    db.session.add(placement)
    participant.phase = 5
    participant.current_job = {"employer": organisation.name, "title": placement.title,
                               "since": placement.start_date.isoformat()}  # fmt: skip
    db.session.flush()
    apply_risk(placement, [], on or today())
    record(actor, "placement.create", "participant", participant.id, placement=placement.id)
    db.session.flush()
    return placement


def placement_from_proposal(proposal, actor: User | None, schedule: str | None = None
                            ) -> Placement | None:  # fmt: skip
    """The placement of a proposal that ended in "hired" or "internship" (created once), with
    the follow-ups of ``schedule`` (as create_placement)."""
    if proposal.status not in ("hired", "internship"):
        return None
    existing = db.session.scalar(select(Placement).where(Placement.proposal_id == proposal.id))
    if existing is not None:
        return existing
    vacancy = proposal.vacancy
    internship = proposal.status == "internship" or vacancy.kind == "internship"
    start = max(vacancy.start_date or today(), today())
    data = {
        "title": vacancy.title,
        "occupation": vacancy.occupation,
        "start_date": start,
        # A guess from the vacancy, marked for the counsellor to check (source "proposal").
        "contract_type": "internship" if internship else "permanent",
        "contract_end": None,
        "hours_per_week": vacancy.hours_per_week,
        "wage_band": None,
    }
    return create_placement(proposal.participant, vacancy.organisation, data, actor,
                            vacancy=vacancy, proposal=proposal, schedule=schedule)  # fmt: skip


def update_placement(placement: Placement, data: dict[str, Any], actor: User) -> None:
    """Correct a placement's details (the schedule stays as it is)."""
    if data.get("contract_type") not in CONTRACT_TYPES:
        raise PlacementError(_l("Choose the type of contract."))
    if data.get("contract_end") and data["contract_end"] < data["start_date"]:
        raise PlacementError(_l("The contract cannot end before it starts."))
    for name in PLACEMENT_FIELDS:
        setattr(placement, name, data.get(name))
    placement.source = "counsellor"
    record(actor, "placement.update", "placement", placement.id)
    db.session.flush()


def _open(follow_up: FollowUp) -> None:
    if follow_up.done:
        raise PlacementError(_l("This follow-up has been recorded; it cannot be changed."))
    if not follow_up.placement.active:
        raise PlacementError(_l("The placement has ended."))


def add_follow_up(placement: Placement, due: date, actor: User, label: str = "extra") -> FollowUp:
    """Add a due date to a placement's schedule."""
    if not placement.active:
        raise PlacementError(_l("The placement has ended."))
    if due < placement.start_date:
        raise PlacementError(_l("A follow-up cannot be due before the placement starts."))
    follow_up = FollowUp(label=label, due_date=due)
    placement.follow_ups.append(follow_up)
    record(actor, "follow_up.add", "placement", placement.id, due=due.isoformat())
    db.session.flush()
    return follow_up


def move_follow_up(follow_up: FollowUp, due: date, actor: User) -> None:
    """Move an open follow-up to another date."""
    _open(follow_up)
    if due < follow_up.placement.start_date:
        raise PlacementError(_l("A follow-up cannot be due before the placement starts."))
    follow_up.due_date = due
    record(actor, "follow_up.move", "placement", follow_up.placement_id, due=due.isoformat())
    db.session.flush()


def remove_follow_up(follow_up: FollowUp, actor: User) -> None:
    """Remove an open follow-up from the schedule."""
    _open(follow_up)
    placement = follow_up.placement
    placement.follow_ups.remove(follow_up)
    record(actor, "follow_up.remove", "placement", placement.id, label=follow_up.label)
    db.session.flush()


def open_follow_ups(placement: Placement) -> list[FollowUp]:
    return [f for f in placement.follow_ups if not f.done]


def apply_risk(placement: Placement, signals: list[str], on: date) -> None:
    """Set the risk level from the signals and bring the next follow-up forward if needed."""
    signals = list(dict.fromkeys([*signals, *risk.automatic_signals(placement.participant, on)]))
    placement.risk_signals = signals
    placement.risk_level = risk.risk_level(signals)
    latest = risk.next_follow_up_by(placement.risk_level, on)
    if latest is None or not placement.active:
        return
    if not any(f.due_date <= latest for f in open_follow_ups(placement)):
        placement.follow_ups.append(FollowUp(label="risk", due_date=latest))
    db.session.flush()


def end_placement(placement: Placement, ended_on: date, reason: str, actor: User) -> None:
    """End a placement; open follow-ups are dropped, the participant is back in phase 4 unless
    another placement is still active."""
    if reason not in END_REASONS:
        raise PlacementError(_l("Choose why the employment ended."))
    if ended_on < placement.start_date:
        raise PlacementError(_l("The employment cannot end before it started."))
    placement.status, placement.end_date, placement.end_reason = "ended", ended_on, reason
    for follow_up in open_follow_ups(placement):
        placement.follow_ups.remove(follow_up)
    others = db.session.scalar(
        select(Placement.id).where(
            Placement.participant_id == placement.participant_id,
            Placement.status == "active",
            Placement.id != placement.id,
        )
    )
    if others is None:
        placement.participant.phase = 4
        placement.participant.current_job = None
    record(actor, "placement.end", "placement", placement.id, reason=reason)
    db.session.flush()


def record_follow_up(follow_up: FollowUp, data: dict[str, Any], actor: User,
                     on: date | None = None) -> None:  # fmt: skip
    """Record a follow-up: contact, employment, satisfaction, risk signals and support agreed.

    Not employed any more ends the placement; risk signals raise its level and bring the next
    follow-up forward.
    """
    _open(follow_up)
    on = on or today()
    placement = follow_up.placement
    if data.get("still_employed") is False and not (
        data.get("ended_on") and data.get("end_reason")
    ):
        raise PlacementError(_l("Say when and why the employment ended."))
    if data.get("support") and not data.get("support_due"):
        raise PlacementError(_l("Support agreed needs a due date."))
    for name in ("contact_made", "still_employed", "hours_per_week", "satisfaction_participant",
                 "satisfaction_employer", "support_due"):  # fmt: skip
        setattr(follow_up, name, data.get(name))
    follow_up.risk_signals = list(data.get("risk_signals") or [])
    follow_up.support = list(data.get("support") or [])
    follow_up.note = (data.get("note") or "").strip()
    follow_up.done_at, follow_up.done_by_id = utcnow(), actor.id
    if data.get("hours_per_week") and data.get("still_employed"):
        placement.hours_per_week = data["hours_per_week"]
    record(actor, "follow_up.record", "placement", placement.id, follow_up=follow_up.id)
    db.session.flush()
    if data.get("still_employed") is False:
        end_placement(placement, data["ended_on"], data["end_reason"], actor)
    else:
        apply_risk(placement, follow_up.risk_signals, on)


def placements_query(counsellor: User | None = None, status: str | None = None):
    """A select() of placements, newest start first; with ``counsellor``: theirs."""
    query = select(Placement).join(Placement.participant)
    if counsellor is not None:
        query = query.where(
            or_(Placement.counsellor_id == counsellor.id,
                Participant.counsellor_id == counsellor.id)
        )  # fmt: skip
    if status:
        query = query.where(Placement.status == status)
    return query.order_by(Placement.start_date.desc(), Placement.id.desc())


def due_follow_ups(counsellor: User | None, on: date | None = None,
                   horizon_days: int = DUE_HORIZON_DAYS) -> list[FollowUp]:  # fmt: skip
    """Open follow-ups of active placements due within the horizon, most urgent first:
    overdue before due, high risk before low, earliest first."""
    on = on or today()
    query = (
        select(FollowUp)
        .join(FollowUp.placement)
        .join(Placement.participant)
        .where(
            FollowUp.done_at.is_(None),
            Placement.status == "active",
            FollowUp.due_date <= date.fromordinal(on.toordinal() + horizon_days),
        )
    )
    if counsellor is not None:
        query = query.where(
            or_(Placement.counsellor_id == counsellor.id,
                Participant.counsellor_id == counsellor.id)
        )  # fmt: skip
    items = db.session.scalars(query).all()
    return sorted(items, key=lambda f: (f.due_date >= on, -RISK_RANK[f.placement.risk_level],
                                        f.due_date, f.id))  # fmt: skip
