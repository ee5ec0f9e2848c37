"""What an employer sees of a proposed candidate, and how the employer answers a proposal.

Until the participant has consented to share their profile with this employer, the employer
sees a pseudonym and job-relevant facts only: German level, skills, languages, qualifications
with their recognition state, availability and distance. Never name, contact, photo, address,
or the country a qualification comes from (an origin proxy). Templates receive this view, never
the participant record, so nothing else can leak into a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from placement.accounts.models import User
from placement.audit.services import record
from placement.employers.models import Vacancy
from placement.matching import load_postcodes
from placement.participants.models import Participant
from placement.proposals import services as proposals
from placement.proposals.models import Proposal, ProposalEvent

# A proposal not yet made has no number: its pseudonym is given on proposing.
PREVIEW_PSEUDONYM = "K-·····"

# The answers an employer gives, in the order the buttons appear.
EMPLOYER_ANSWERS = ("invited", "internship", "hired", "declined")


@dataclass(frozen=True)
class QualificationFacts:
    title: str | None  # as written; only with consent (it names institutes, cities, countries)
    recognition: str
    reference_occupation: str | None


@dataclass(frozen=True)
class CandidateView:
    """A proposed person as the employer may see them."""

    proposal_id: int
    pseudonym: str
    identity_visible: bool
    german_level: str | None
    skills: list[str]
    languages: list[dict]
    qualifications: list[QualificationFacts]
    hours_per_week: int | None
    earliest_start: date | None
    distance_km: float | None
    note: str | None = None  # the counsellor's covering note
    # Only when the participant consented to share with this employer:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


def _distance(proposal: Proposal) -> float | None:
    snapshot = proposal.match_snapshot or {}
    if snapshot.get("distance_km") is not None:
        return round(float(snapshot["distance_km"]), 1)
    km = load_postcodes().distance_km(proposal.participant.postcode, proposal.vacancy.postcode)
    return None if km is None else round(km, 1)


def candidate_view(proposal: Proposal) -> CandidateView:
    """The candidate of a proposal as the vacancy's employer may see them now."""
    person = proposal.participant
    visible = proposals.identity_visible(proposal)
    # The first language is shown as a level, not as "first language": that marks origin; and
    # without consent in a fixed order (by code), since the order they were listed in hints at it.
    languages = [
        {"code": entry.get("code"), "level": "C2" if entry.get("level") == "native" else
         entry.get("level")}
        for entry in person.languages or []
        if entry.get("code")
    ]  # fmt: skip
    if not visible:
        languages.sort(key=lambda entry: entry["code"])
    # Without consent a qualification is its German reference occupation and recognition state
    # only: the title as written names the institute, the city, the country.
    qualifications = [
        QualificationFacts(q.title if visible else None, q.recognition, q.reference_occupation)
        for q in person.qualifications
    ]
    view = CandidateView(
        proposal_id=proposal.id,
        pseudonym=proposals.pseudonym(proposal) if proposal.id else PREVIEW_PSEUDONYM,
        identity_visible=visible,
        german_level=person.german_level,
        skills=list(person.skills or []),
        languages=languages,
        qualifications=qualifications,
        hours_per_week=person.hours_per_week,
        earliest_start=person.earliest_start,
        distance_km=_distance(proposal),
        note=proposal.note,
    )
    if not visible:
        return view
    return CandidateView(
        **{**view.__dict__, "name": person.display_name, "email": person.email,
           "phone": person.phone}
    )  # fmt: skip


def preview_candidate(
    vacancy: Vacancy, participant: Participant, snapshot: dict, note: str | None = None
) -> CandidateView:
    """What the employer would see if the counsellor proposed now (nothing is stored)."""
    # A transient proposal: never added to the session, so nothing is written.
    draft = Proposal(vacancy=vacancy, participant=participant, match_snapshot=snapshot, note=note)
    return candidate_view(draft)


def view_candidate(proposal: Proposal, employer: User) -> CandidateView:
    """The candidate for the employer, with the view recorded in the audit log."""
    view = candidate_view(proposal)
    record(employer, "participant.view", "participant", proposal.participant_id,
           proposal=proposal.id, identity=view.identity_visible)  # fmt: skip
    return view


def answer(proposal: Proposal, to_status: str, employer: User, reason: str | None = None
           ) -> ProposalEvent:  # fmt: skip
    """The employer's answer: invite, internship offered, hired or declined (with a reason).

    Raises ``ProposalError`` for a step the flow or the role does not allow; the event is the
    record of the answer (who, when, from, to, why).
    """
    if to_status not in EMPLOYER_ANSWERS:
        raise proposals.ProposalError("Employers answer with invite, internship, hire or decline.")
    event = proposals.change_status(proposal, to_status, employer, reason)
    record(employer, "proposal.answer", "proposal", proposal.id, status=to_status, reason=reason)
    return event
