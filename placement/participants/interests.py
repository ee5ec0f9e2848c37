"""A participant marks interest in a vacancy; the counsellor sees it on the profile.

Services take explicit arguments and only flush.
"""

from __future__ import annotations

from sqlalchemy import select

from placement.accounts.models import User
from placement.audit.services import record
from placement.employers.models import Vacancy
from placement.extensions import db
from placement.notifications import services as notifications
from placement.participants.models import Interest, Participant


class InterestError(ValueError):
    """An interest that cannot be recorded; the message is user-facing."""


def find_interest(participant: Participant, vacancy: Vacancy) -> Interest | None:
    return db.session.scalar(
        select(Interest).where(
            Interest.participant_id == participant.id, Interest.vacancy_id == vacancy.id
        )
    )


def mark_interest(participant: Participant, vacancy: Vacancy, actor: User) -> Interest:
    """Record interest in a vacancy open to participants (idempotent)."""
    if not vacancy.is_visible_to_participants:
        raise InterestError("This vacancy is not open at the moment.")
    interest = find_interest(participant, vacancy)
    if interest is None:
        interest = Interest(participant=participant, vacancy=vacancy)
        db.session.add(interest)
        record(actor, "interest.mark", "participant", participant.id, vacancy=vacancy.id)
        db.session.flush()
        notifications.interest_marked(participant, vacancy)
    return interest


def remove_interest(participant: Participant, vacancy: Vacancy, actor: User) -> None:
    interest = find_interest(participant, vacancy)
    if interest is not None:
        participant.interests.remove(interest)
        record(actor, "interest.remove", "participant", participant.id, vacancy=vacancy.id)
        db.session.flush()


def interested_vacancy_ids(participant: Participant) -> set[int]:
    return {interest.vacancy_id for interest in participant.interests}


def interested_vacancies(participant: Participant):
    """A select() of the vacancies the participant marked as interesting."""
    return (
        select(Vacancy)
        .join(Vacancy.organisation)
        .where(Vacancy.id.in_(interested_vacancy_ids(participant)))
    )
