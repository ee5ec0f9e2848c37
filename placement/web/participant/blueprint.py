"""The participant blueprint, its role check and the one way to load the own profile."""

from __future__ import annotations

from flask import Blueprint, abort, g
from flask_login import current_user, login_required

from placement.participants import services
from placement.participants.models import Participant

bp = Blueprint("participant", __name__, url_prefix="/me")


def own_record() -> Participant | None:
    """The signed-in participant's profile or None, looked up once per request."""
    if "own_participant" not in g:
        g.own_participant = services.participant_for_user(current_user)
    return g.own_participant


def own_profile() -> Participant:
    """The signed-in participant's profile (404 if the account has none)."""
    participant = own_record()
    if participant is None:
        abort(404)
    return participant


@bp.before_request
@login_required
def check_role():
    if current_user.role != "participant":
        abort(403)
