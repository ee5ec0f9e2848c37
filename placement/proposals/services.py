"""Consent to share, shortlists and the proposal state machine. Services only flush.

A proposal needs the participant's recorded consent to placement (``consent_matching``); the
employer sees the person's identity only while a consent to share with that named employer is
active. Every status change is stored with who and when.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from placement.accounts.models import User
from placement.audit.services import record
from placement.employers.models import Organisation, Vacancy
from placement.extensions import db, utcnow
from placement.notifications import services as notifications
from placement.participants.models import Participant
from placement.proposals.models import Consent, Note, Proposal, ProposalEvent, ShortlistEntry
from placement.vocab import DECLINE_REASONS, PROPOSAL_STATUSES

# Allowed moves; hired, declined and withdrawn end a proposal.
PROPOSAL_FLOW: dict[str, set[str]] = {
    "proposed": {"invited", "internship", "hired", "declined", "withdrawn"},
    "invited": {"internship", "hired", "declined", "withdrawn"},
    "internship": {"hired", "declined", "withdrawn"},
    "hired": set(),
    "declined": set(),
    "withdrawn": set(),
}
OPEN_STATUSES = {"proposed", "invited", "internship"}
# What each role may set: employers answer, counsellors steer, participants may step back.
ROLE_TARGETS = {
    "employer": {"invited", "internship", "hired", "declined"},
    "counsellor": set(PROPOSAL_FLOW),
    "admin": set(PROPOSAL_FLOW),
    "participant": {"withdrawn"},
}


class ProposalError(ValueError):
    """A proposal step that is not allowed; the message is user-facing."""


def active_consent(participant: Participant, organisation: Organisation) -> Consent | None:
    return db.session.scalar(
        select(Consent).where(
            Consent.participant_id == participant.id,
            Consent.organisation_id == organisation.id,
            Consent.withdrawn_at.is_(None),
        )
    )


def give_consent(participant: Participant, organisation: Organisation, actor: User) -> Consent:
    """Record consent to share the profile with one named employer (idempotent)."""
    consent = active_consent(participant, organisation)
    if consent is None:
        consent = Consent(participant=participant, organisation=organisation,
                          recorded_by_id=actor.id)  # fmt: skip
        db.session.add(consent)
        record(actor, "consent.give", "participant", participant.id, organisation=organisation.id)
        notifications.consent_changed(participant, "share.given", actor, organisation)
    db.session.flush()
    return consent


def withdraw_consent(participant: Participant, organisation: Organisation, actor: User) -> None:
    """Withdraw consent; the employer no longer sees who the person is."""
    consent = active_consent(participant, organisation)
    if consent is None:
        return
    consent.withdrawn_at = utcnow()
    record(actor, "consent.withdraw", "participant", participant.id, organisation=organisation.id)
    notifications.consent_changed(participant, "share.withdrawn", actor, organisation)
    db.session.flush()


def identity_visible(proposal: Proposal) -> bool:
    """May the employer see name and contact of the proposed person?"""
    return active_consent(proposal.participant, proposal.vacancy.organisation) is not None


def pseudonym(proposal: Proposal) -> str:
    return f"K-{proposal.id:05d}"


def add_to_shortlist(vacancy: Vacancy, participant: Participant, actor: User) -> ShortlistEntry:
    entry = db.session.scalar(
        select(ShortlistEntry).where(
            ShortlistEntry.vacancy_id == vacancy.id,
            ShortlistEntry.participant_id == participant.id,
        )
    )
    if entry is None:
        entry = ShortlistEntry(vacancy=vacancy, participant=participant, added_by_id=actor.id)
        db.session.add(entry)
        db.session.flush()
    return entry


def remove_from_shortlist(vacancy: Vacancy, participant: Participant) -> None:
    entry = db.session.scalar(
        select(ShortlistEntry).where(
            ShortlistEntry.vacancy_id == vacancy.id,
            ShortlistEntry.participant_id == participant.id,
        )
    )
    if entry is not None:
        db.session.delete(entry)
        db.session.flush()


def propose(
    vacancy: Vacancy,
    participant: Participant,
    actor: User,
    snapshot: dict | None = None,
    note: str | None = None,
) -> Proposal:
    """Propose a participant to the vacancy's employer. Needs recorded consent to placement."""
    if not participant.consent_matching:
        raise ProposalError(
            _l(
                "The participant has not consented to being proposed to employers. "
                "Record their consent first."
            )
        )
    if vacancy.status != "published" or not vacancy.organisation.approved:
        raise ProposalError(
            _l("Only published vacancies of approved employers can receive proposals.")
        )
    existing = db.session.scalar(
        select(Proposal).where(
            Proposal.vacancy_id == vacancy.id, Proposal.participant_id == participant.id
        )
    )
    if existing is not None:
        raise ProposalError(_l("This participant has been proposed for this vacancy already."))
    consent = active_consent(participant, vacancy.organisation)
    proposal = Proposal(
        vacancy=vacancy,
        participant=participant,
        proposed_by_id=actor.id,
        consent_id=consent.id if consent else None,
        match_snapshot=snapshot,
        note=note or None,
        status="proposed",
    )
    proposal.events.append(
        ProposalEvent(actor_id=actor.id, actor_role=actor.role, to_status="proposed")
    )
    db.session.add(proposal)
    db.session.flush()
    notifications.proposal_created(proposal)
    return proposal


def change_status(
    proposal: Proposal,
    to_status: str,
    actor: User,
    reason: str | None = None,
    schedule: str | None = None,
) -> ProposalEvent:
    """Move a proposal on, if the flow and the actor's role allow it; store who and when. A hire
    becomes a placement with the follow-ups of ``schedule`` (PLACEMENT_FOLLOWUP_SCHEDULE)."""
    if to_status not in PROPOSAL_FLOW:
        raise ProposalError(f"Unknown status {to_status!r}.")
    if to_status not in ROLE_TARGETS.get(actor.role, set()):
        raise ProposalError(_l("Your role cannot set this status."))
    if to_status not in PROPOSAL_FLOW[proposal.status]:
        raise ProposalError(
            _l(
                "A proposal cannot go from “%(a)s” to “%(b)s”.",
                a=PROPOSAL_STATUSES.get(proposal.status, proposal.status),
                b=PROPOSAL_STATUSES.get(to_status, to_status),
            )
        )
    if to_status == "declined":
        if reason not in DECLINE_REASONS:
            raise ProposalError(_l("Choose a reason for declining."))
    else:
        reason = None
    from_status = proposal.status
    # Compare and set: the move only happens if the proposal is still in the state it was read
    # in. Concurrent moves queue on the row (PostgreSQL re-checks the condition after the other
    # commits; SQLite writes one at a time), and the later ones find 0 rows and are refused.
    changed = db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == from_status)
        .values(status=to_status, decline_reason=reason, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(proposal)
        raise ProposalError(
            _l(
                "This proposal was changed meanwhile (it is now “%(s)s”). Reload the page.",
                s=PROPOSAL_STATUSES.get(proposal.status, proposal.status),
            )
        )
    set_committed_value(proposal, "status", to_status)
    set_committed_value(proposal, "decline_reason", reason)
    event = ProposalEvent(
        actor_id=actor.id,
        actor_role=actor.role,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    proposal.events.append(event)
    db.session.flush()
    from placement.placements.services import placement_from_proposal  # hired -> placement

    placement_from_proposal(proposal, actor, schedule)
    notifications.proposal_status_changed(proposal, to_status, actor)
    return event


def add_note(participant: Participant, author: User, text: str, proposal=None) -> Note:
    text = text.strip()
    if not text:
        raise ProposalError(_l("A note needs some text."))
    note = Note(participant_id=participant.id, proposal_id=getattr(proposal, "id", None),
                author_id=author.id, text=text)  # fmt: skip
    db.session.add(note)
    db.session.flush()
    return note


def proposals_for_organisation(organisation: Organisation):
    """A select() of the proposals an employer has received, newest first."""
    return (
        select(Proposal)
        .join(Proposal.vacancy)
        .where(Vacancy.organisation_id == organisation.id)
        .order_by(Proposal.created_at.desc())
    )


def proposals_for_participant(participant: Participant):
    return (
        select(Proposal)
        .where(Proposal.participant_id == participant.id)
        .order_by(Proposal.created_at.desc())
    )


def next_statuses(proposal: Proposal, actor: User) -> list[str]:
    """The statuses this actor may move the proposal to now (empty once it has ended)."""
    allowed = PROPOSAL_FLOW[proposal.status] & ROLE_TARGETS.get(actor.role, set())
    return [s for s in PROPOSAL_FLOW if s in allowed]


def shortlist_for(vacancy: Vacancy):
    """A select() of the vacancy's shortlist, oldest first."""
    return (
        select(ShortlistEntry)
        .where(ShortlistEntry.vacancy_id == vacancy.id)
        .order_by(ShortlistEntry.added_at, ShortlistEntry.id)
    )


def proposals_for_vacancy(vacancy: Vacancy):
    return select(Proposal).where(Proposal.vacancy_id == vacancy.id).order_by(Proposal.created_at)


def open_proposals(counsellor: User | None = None):
    """A select() of proposals still open (proposed, invited, internship), oldest change first;
    with ``counsellor``: those they made or that concern their participants."""
    query = select(Proposal).where(Proposal.status.in_(OPEN_STATUSES))
    if counsellor is not None:
        query = query.join(Proposal.participant).where(
            (Proposal.proposed_by_id == counsellor.id)
            | (Participant.counsellor_id == counsellor.id)
        )
    return query.order_by(Proposal.updated_at, Proposal.id)


def notes_for(participant: Participant, proposal: Proposal | None = None):
    """A select() of notes on a participant (or on one of their proposals), newest first."""
    query = select(Note).where(Note.participant_id == participant.id)
    if proposal is not None:
        query = query.where(Note.proposal_id == proposal.id)
    return query.order_by(Note.created_at.desc(), Note.id.desc())


def consents_for(participant: Participant):
    """A select() of all consents to share (active and withdrawn), newest first."""
    return (
        select(Consent)
        .where(Consent.participant_id == participant.id)
        .order_by(Consent.given_at.desc(), Consent.id.desc())
    )


def propose_match(
    vacancy: Vacancy,
    participant: Participant,
    actor: User,
    snapshot: dict,
    unmet_checked: bool = False,
    note: str | None = None,
) -> Proposal:
    """Propose from a match the counsellor has seen (``snapshot``: the engine's explained result).

    The engine does not decide: a counsellor may propose someone who misses a constraint after
    confirming they checked it. A missing permission to work is never overridden.
    """
    constraints = snapshot.get("constraints") or []
    if any(c.get("name") == "work_permit" and not c.get("met") for c in constraints):
        raise ProposalError(
            _l("The participant has no permission to work; they cannot be proposed.")
        )
    if not snapshot.get("eligible") and not unmet_checked:
        raise ProposalError(
            _l(
                "The participant does not meet every requirement of this vacancy. Confirm that "
                "you checked the unmet requirements to propose them anyway."
            )
        )
    proposal = propose(vacancy, participant, actor, snapshot=snapshot, note=note)
    record(actor, "proposal.create", "participant", participant.id, proposal=proposal.id,
           vacancy=vacancy.id, eligible=bool(snapshot.get("eligible")))  # fmt: skip
    return proposal


def sharing_participant_ids(organisation: Organisation) -> set[int]:
    """Ids of the participants with an active consent to share with this employer."""
    return set(
        db.session.scalars(
            select(Consent.participant_id).where(
                Consent.organisation_id == organisation.id, Consent.withdrawn_at.is_(None)
            )
        )
    )
