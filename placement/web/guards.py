"""Request guards: role checks and the one place that loads a record or answers 403/404."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from urllib.parse import urlparse

from flask import abort, current_app
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from placement import access
from placement.employers.models import Organisation, Vacancy
from placement.extensions import db
from placement.outreach.models import ContactEntry
from placement.participants.models import Participant
from placement.placements.models import FollowUp, Placement
from placement.proposals.models import Proposal
from placement.training.models import Certificate, QuizAttempt
from placement.training.modules import Module


def role_required(*roles: str) -> Callable:
    """Signed in (else redirect to login) and of one of ``roles`` (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def get_vacancy(vacancy_id: int, edit: bool = False) -> Vacancy:
    """The vacancy, or 404 when it does not exist or the user may not see it, 403 to edit."""
    # every page of a vacancy names its employer: one round trip for both
    vacancy = db.get_or_404(Vacancy, vacancy_id, options=[joinedload(Vacancy.organisation)])
    if not access.can_view_vacancy(current_user, vacancy):
        abort(404)
    if edit and not access.can_edit_vacancy(current_user, vacancy):
        abort(403)
    return vacancy


def get_participant(participant_id: int) -> Participant:
    """The participant, or 404 for anyone who may not see the record (no hint that it exists)."""
    participant = db.get_or_404(Participant, participant_id)
    if not access.can_view_participant(current_user, participant):
        abort(404)
    return participant


def get_proposal(proposal_id: int) -> Proposal:
    """The proposal, or 404 for anyone who may not see it (no hint that it exists)."""
    proposal = db.get_or_404(Proposal, proposal_id)
    if not access.can_view_proposal(current_user, proposal):
        abort(404)
    return proposal


def get_answerable_proposal(proposal_id: int) -> Proposal:
    """A proposal the current employer may see and answer; 404 for anyone else."""
    proposal = get_proposal(proposal_id)
    if not access.can_answer_proposal(current_user, proposal):
        abort(404)
    return proposal


def get_contact_entry(organisation: Organisation, entry_id: int) -> ContactEntry:
    """An entry of this organisation's contact log, for staff; 404 otherwise."""
    entry = db.get_or_404(ContactEntry, entry_id)
    if entry.organisation_id != organisation.id or not access.can_manage_outreach(current_user):
        abort(404)
    return entry


def get_organisation(organisation_id: int, post: bool = False) -> Organisation:
    organisation = db.get_or_404(Organisation, organisation_id)
    if post and not access.can_post_for(current_user, organisation):
        abort(403)
    return organisation


def training_modules() -> Mapping[str, Module]:
    """The training modules, by slug, loaded once per process (``create_app``)."""
    return current_app.extensions["modules"]


def get_module(slug: str) -> Module:
    """A training module loaded at start-up, or 404."""
    module = training_modules().get(slug)
    if module is None:
        abort(404)
    return module


def get_certificate(certificate_id: int, revoke: bool = False) -> Certificate:
    """A certificate for its holder and staff; 404 for anyone else (no hint that it exists)."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if not access.can_view_certificate(current_user, certificate):
        abort(404)
    if revoke and not access.can_revoke_certificate(current_user, certificate):
        abort(403)
    return certificate


def get_quiz_attempt(attempt_id: int, module: Module) -> QuizAttempt:
    """One's own quiz attempt in this module, or 404."""
    attempt = db.get_or_404(QuizAttempt, attempt_id)
    if attempt.module_slug != module.slug or not access.can_view_attempt(current_user, attempt):
        abort(404)
    return attempt


def get_placement(placement_id: int) -> Placement:
    """A placement, for counsellors and admins; 404 for anyone else."""
    placement = db.get_or_404(Placement, placement_id)
    if not access.can_follow_up_placements(current_user):
        abort(404)
    return placement


def get_follow_up(placement: Placement, follow_up_id: int) -> FollowUp:
    """A follow-up of this placement, or 404."""
    follow_up = db.get_or_404(FollowUp, follow_up_id)
    if follow_up.placement_id != placement.id:
        abort(404)
    return follow_up


def is_safe_next(target: str | None) -> bool:
    """Only redirect to paths on this site (no open redirect through ``next``).

    A same-site path starts with one "/" and has no scheme, host or backslash: browsers read
    "//host", "/\\host" and "////host" as another site. Control characters (CR/LF) are a
    malformed request: 400.
    """
    if not target:
        return False
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        abort(400)
    if not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return False
    url = urlparse(target)
    return not url.scheme and not url.netloc and url.path.startswith("/")
