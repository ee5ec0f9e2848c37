"""The one access policy: who may see or change which record.

Deny by default. Every view asks here, with the record in hand, never only the role.
"""

from __future__ import annotations

from placement.accounts.models import User
from placement.employers.models import Organisation, Vacancy
from placement.participants.models import Participant
from placement.proposals.models import Proposal
from placement.training.models import Certificate, QuizAttempt

STAFF = {"admin", "counsellor"}


def is_staff(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role in STAFF)


def can_view_participant(user: User | None, participant: Participant) -> bool:
    """Counsellors and admins see participants; a participant sees only their own profile.

    Employers never reach a participant record through this policy: they see pseudonymised
    proposals, which have their own rules.
    """
    if not user or not user.is_authenticated:
        return False
    if user.role in STAFF:
        return True
    return user.role == "participant" and participant.user_id == user.id


def can_edit_participant(user: User | None, participant: Participant) -> bool:
    return can_view_participant(user, participant)


def can_view_vacancy(user: User | None, vacancy: Vacancy) -> bool:
    """Staff see all; employers their organisation's; participants published ones."""
    if not user or not user.is_authenticated:
        return False
    if user.role in STAFF:
        return True
    if user.role == "employer":
        return user.organisation_id == vacancy.organisation_id
    if user.role == "participant":
        return vacancy.is_visible_to_participants
    return False


def can_edit_vacancy(user: User | None, vacancy: Vacancy) -> bool:
    if not user or not user.is_authenticated:
        return False
    if user.role in STAFF:
        return True
    return user.role == "employer" and user.organisation_id == vacancy.organisation_id


def can_post_for(user: User | None, organisation: Organisation) -> bool:
    """Employers post for their own organisation; counsellors and admins on its behalf."""
    if not user or not user.is_authenticated:
        return False
    if user.role in STAFF:
        return True
    return user.role == "employer" and user.organisation_id == organisation.id


def can_manage_users(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.role == "admin")


def can_take_training(user: User | None) -> bool:
    """The diversity-awareness modules are for employers' staff."""
    return bool(user and user.is_authenticated and user.role == "employer")


def can_view_attempt(user: User | None, attempt: QuizAttempt) -> bool:
    """A quiz attempt is seen by the person who made it."""
    return can_take_training(user) and attempt.user_id == user.id


def can_view_certificate(user: User | None, certificate: Certificate) -> bool:
    """The holder, counsellors and admins; not colleagues of the same organisation."""
    if not user or not user.is_authenticated:
        return False
    return user.role in STAFF or certificate.user_id == user.id


def can_revoke_certificate(user: User | None, certificate: Certificate) -> bool:
    return is_staff(user)


def can_view_proposal(user: User | None, proposal: Proposal) -> bool:
    """Staff; the employer it was made to; the proposed participant."""
    if not user or not user.is_authenticated:
        return False
    if user.role in STAFF:
        return True
    if user.role == "employer":
        return user.organisation_id == proposal.vacancy.organisation_id
    if user.role == "participant":
        return proposal.participant.user_id == user.id
    return False


def can_answer_proposal(user: User | None, proposal: Proposal) -> bool:
    """Only the employer the proposal was made to answers it (invite, hire, decline ...)."""
    return bool(
        user
        and user.is_authenticated
        and user.role == "employer"
        and user.organisation_id == proposal.vacancy.organisation_id
    )


def can_manage_outreach(user: User | None) -> bool:
    """The employer CRM (outreach status, contact log) is for counsellors and admins."""
    return is_staff(user)


def can_follow_up_placements(user: User | None) -> bool:
    """Placements, their follow-ups and retention statistics are for counsellors and admins."""
    return is_staff(user)
