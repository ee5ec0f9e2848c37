"""Still interested? The participant's banner and answer page, and the counsellors' list of
who has not answered or said no (see participants/activity.py)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from placement.extensions import db
from placement.participants import activity
from placement.participants import services as participant_services
from placement.web.guards import get_participant, role_required
from placement.web.participant.blueprint import bp as participant_bp
from placement.web.participant.blueprint import own_profile

bp = Blueprint("still_interested", __name__)
STAFF = ("counsellor", "admin")


@participant_bp.before_request
def count_the_visit():
    """Every visit to the participant area counts as activity; after a long absence the
    question is asked first (the banner on the page)."""
    participant = participant_services.participant_for_user(current_user)
    if participant is None:
        return
    g.interest_check = activity.note_visit(participant)
    db.session.commit()  # commit-per-request: remove after i10


def _answer_from_form() -> str | None:
    value = request.form.get("answer")
    return value if value in activity.ANSWERS else None


@participant_bp.route("/still-interested", methods=["GET", "POST"])
def still_interested():
    """Do you still want suggestions? Yes keeps them coming, no pauses them."""
    participant = own_profile()
    error = None
    if request.method == "POST":
        wants = _answer_from_form()
        if wants is None:
            error = _("Please choose yes or no.")
        else:
            activity.answer(participant, wants, current_user)
            db.session.commit()  # commit-per-request: remove after i10
            flash(_("Thank you. You will get suggestions again.") if wants == "yes" else
                  _("Thank you. We pause your suggestions; you can switch them on again "
                    "here at any time."), "success")  # fmt: skip
            return redirect(url_for("participant.suggestions" if wants == "yes"
                                    else "participant.index"))  # fmt: skip
    return render_template(
        "participant/still_interested.html",
        participant=participant,
        pending=activity.pending_check(participant),
        error=error,
    ), (400 if error else 200)


@bp.app_template_global()
def still_interested_count() -> int:
    """How many of the signed-in counsellor's participants the list shows."""
    query = activity.checks_for_counsellor(current_user).subquery()
    return db.session.scalar(select(func.count()).select_from(query)) or 0


@bp.get("/counsellor/still-interested")
@role_required(*STAFF)
def overview():
    """Participants asked whether they still want suggestions: no answer yet, or "no"."""
    show_all = request.args.get("all") == "1"
    query = activity.checks_for_counsellor(None if show_all else current_user)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "counsellor/still_interested.html",
        page=page,
        show_all=show_all,
        days=activity.inactivity_days(),
    )


@bp.post("/counsellor/still-interested/<int:participant_id>")
@role_required(*STAFF)
def record_answer(participant_id: int):
    """Record the answer a participant gave by phone or in person."""
    participant = get_participant(participant_id)
    wants = _answer_from_form()
    if wants is None:
        flash(_("Please choose yes or no."), "error")
    else:
        activity.answer(participant, wants, current_user)
        db.session.commit()  # commit-per-request: remove after i10
        flash(_("Answer recorded for %(name)s.", name=participant.display_name), "success")
    return redirect(url_for("still_interested.overview", all=request.args.get("all")))
