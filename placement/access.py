"""The one access policy: who may see or change which record.

Deny by default. Every view asks here, with the record in hand, never only the role.
"""

from __future__ import annotations

from placement.accounts.models import User
from placement.employers.models import Organisation, Vacancy
from placement.participants.models import Participant

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
