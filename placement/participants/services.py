"""Operations on participant profiles. They take explicit arguments and only flush."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from placement.extensions import db
from placement.notifications.services import consent_changed
from placement.participants.models import Participant, Qualification
from placement.queries import contains

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "languages",
    "german_level",
    "work_permit",
    "permit_expires",
    "skills",
    "desired_occupations",
    "profile_text",
    "profile_language",
    "postcode",
    "max_commute_km",
    "hours_per_week",
    "earliest_start",
    "phase",
    "current_job",
    "consent_matching",
    "consent_contact",
)
QUALIFICATION_FIELDS = ("title", "country", "year", "recognition", "reference_occupation")


def _apply(participant: Participant, data: dict[str, Any]) -> None:
    for key in PROFILE_FIELDS:
        if key in data:
            setattr(participant, key, data[key])
    if "qualifications" in data:
        participant.qualifications = [
            Qualification(**{k: q.get(k) for k in QUALIFICATION_FIELDS})
            for q in data["qualifications"]
            if q.get("title")
        ]


def create_participant(data: dict[str, Any], counsellor=None, user=None) -> Participant:
    participant = Participant(counsellor=counsellor, user=user)
    _apply(participant, data)
    db.session.add(participant)
    db.session.flush()
    return participant


def create_participant_for_user(user) -> Participant:
    """The (still empty) profile that belongs to a new participant account."""
    first, _sep, last = user.name.partition(" ")
    return create_participant(
        {"first_name": first, "last_name": last, "email": user.email}, user=user
    )


def update_profile(participant: Participant, data: dict[str, Any]) -> Participant:
    """Update the fields present in ``data``; qualifications are replaced as a list."""
    _apply(participant, data)
    db.session.flush()
    return participant


def set_matching_consent(participant: Participant, give: bool, actor) -> None:
    """Give or take back consent to suggestions and proposals; the counsellor learns of it."""
    if participant.consent_matching == give:
        return
    participant.consent_matching = give
    db.session.flush()
    consent_changed(participant, "matching.given" if give else "matching.withdrawn", actor)


def participant_for_user(user) -> Participant | None:
    return db.session.scalar(select(Participant).where(Participant.user_id == user.id))


def participants_query(
    search: str | None = None,
    phase: int | None = None,
    german_level: str | None = None,
    counsellor=None,
):
    """A select() of participants by name, filtered as given."""
    query = select(Participant).order_by(
        func.lower(Participant.last_name), func.lower(Participant.first_name)
    )
    if phase:
        query = query.where(Participant.phase == phase)
    if german_level:
        query = query.where(Participant.german_level == german_level)
    if counsellor is not None:
        query = query.where(Participant.counsellor_id == counsellor.id)
    if search:
        query = query.where(
            contains(search, Participant.first_name, Participant.last_name, Participant.email,
                     Participant.postcode)
        )  # fmt: skip
    return query
