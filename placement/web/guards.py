"""Request guards: role checks and the one place that loads a record or answers 403/404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urljoin, urlparse

from flask import abort, request
from flask_login import current_user, login_required

from placement import access
from placement.employers.models import Organisation, Vacancy
from placement.extensions import db
from placement.participants.models import Participant


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
    vacancy = db.get_or_404(Vacancy, vacancy_id)
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


def get_organisation(organisation_id: int, post: bool = False) -> Organisation:
    organisation = db.get_or_404(Organisation, organisation_id)
    if post and not access.can_post_for(current_user, organisation):
        abort(403)
    return organisation


def is_safe_next(target: str | None) -> bool:
    """Only redirect to paths on this host (no open redirect through ``next``)."""
    if not target:
        return False
    host = urlparse(request.host_url)
    url = urlparse(urljoin(request.host_url, target))
    return url.scheme in {"http", "https"} and url.netloc == host.netloc and target.startswith("/")
