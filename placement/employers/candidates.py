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
class FitFacts:
    """Why the person fits, from the match the counsellor saw when proposing: codes and values
    the page words (no engine sentence, no profile text, nothing the view does not show)."""

    eligible: bool
    matched_skills: list[str]
    german_have: str | None
    german_need: str | None
    german: str  # "met", "near_miss", "failed", "unknown", "none" (no level asked)
    # Agreed next steps before or during the job, as codes: "permit_request" (the
    # Ausländerbehörde must allow this job), "language_course" (a Berufssprachkurs towards the
    # level asked), "adaptation" (the placement counts towards full recognition).
    next_steps: list[str]


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None


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
    fit: FitFacts | None = None
    counsellor: Contact | None = None  # whom the employer talks to
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


def fit_facts(snapshot: dict | None, vacancy: Vacancy, german_level: str | None) -> FitFacts | None:
    """The stored match in codes for the employer's page (None without a stored match)."""
    if not snapshot:
        return None
    checks = {c.get("name"): c for c in snapshot.get("constraints") or []}
    german = checks.get("german_level") or {}
    steps = []
    if checks.get("work_permit", {}).get("status") == "flag":
        steps.append("permit_request")
    if german.get("status") == "near_miss":
        steps.append("language_course")
    if checks.get("recognition", {}).get("status") == "flag":
        steps.append("adaptation")
    return FitFacts(
        eligible=bool(snapshot.get("eligible")),
        matched_skills=list(snapshot.get("matched_skills") or []),
        german_have=german_level,
        german_need=vacancy.german_level,
        german="none" if not vacancy.german_level else german.get("status", "unknown"),
        next_steps=steps,
    )


def _contact(proposal: Proposal) -> Contact | None:
    staff = proposal.proposed_by or proposal.participant.counsellor
    return Contact(staff.name, staff.email) if staff is not None else None


def answers_for(proposal: Proposal, employer: User) -> list[str]:
    """The answers open to the employer now; "internship offered" only for an internship."""
    return [s for s in proposals.next_statuses(proposal, employer) if s in EMPLOYER_ANSWERS
            and (s != "internship" or proposal.vacancy.kind == "internship")]  # fmt: skip


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
        fit=fit_facts(proposal.match_snapshot, proposal.vacancy, person.german_level),
        counsellor=_contact(proposal),
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


def answer(proposal: Proposal, to_status: str, employer: User, reason: str | None = None,
           schedule: str | None = None) -> ProposalEvent:  # fmt: skip
    """The employer's answer: invite, internship offered, hired or declined (with a reason); a
    hire gets the follow-ups of ``schedule`` (PLACEMENT_FOLLOWUP_SCHEDULE).

    Raises ``ProposalError`` for a step the flow or the role does not allow; the event is the
    record of the answer (who, when, from, to, why).
    """
    if to_status not in EMPLOYER_ANSWERS:
        raise proposals.ProposalError("Employers answer with invite, internship, hire or decline.")
    if to_status == "internship" and proposal.vacancy.kind != "internship":
        raise proposals.ProposalError("An internship can be offered for an internship only.")
    event = proposals.change_status(proposal, to_status, employer, reason, schedule)
    record(employer, "proposal.answer", "proposal", proposal.id, status=to_status, reason=reason)
    return event
