"""Still interested? The counsellors' list of participants who have not answered or said no,
and the answer a participant gave by phone (participants/activity.py)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from placement.extensions import db
from placement.participants import activity
from placement.web.guards import get_participant, role_required
from placement.web.pages import paginate
from placement.web.participant.still_interested import posted_answer

bp = Blueprint("still_interested", __name__, url_prefix="/counsellor/still-interested")
STAFF = ("counsellor", "admin")


@bp.app_template_global()
def still_interested_count() -> int:
    """How many of the signed-in counsellor's participants the list shows."""
    query = activity.checks_for_counsellor(current_user).subquery()
    return db.session.scalar(select(func.count()).select_from(query)) or 0


@bp.get("")
@role_required(*STAFF)
def overview():
    """Participants asked whether they still want suggestions: no answer yet, or "no"."""
    show_all = request.args.get("all") == "1"
    query = activity.checks_for_counsellor(None if show_all else current_user)
    page = paginate(query)
    return render_template(
        "counsellor/still_interested.html",
        page=page,
        show_all=show_all,
        days=current_app.config["PLACEMENT_INACTIVITY_DAYS"],
    )


@bp.post("/<int:participant_id>")
@role_required(*STAFF)
def record_answer(participant_id: int):
    """Record the answer a participant gave by phone or in person."""
    participant = get_participant(participant_id)
    wants = posted_answer()
    if wants is None:
        flash(_("Please choose yes or no."), "error")
    else:
        activity.answer(participant, wants, current_user)
        flash(_("Answer recorded for %(name)s.", name=participant.display_name), "success")
    return redirect(url_for("still_interested.overview", all=request.args.get("all")))
