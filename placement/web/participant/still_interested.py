"""Still interested? Every visit to the participant area counts as activity; after a long
absence the question is asked first (a banner), and answered on its own page
(participants/activity.py)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.participants import activity
from placement.web.participant.blueprint import bp, own_profile, own_record


def posted_answer() -> str | None:
    """The "yes" or "no" of a still-interested form (None for anything else)."""
    value = request.form.get("answer")
    return value if value in activity.ANSWERS else None


@bp.before_request
def count_the_visit():
    """Count the visit; after a long absence open the question (shown as a banner)."""
    participant = own_record()
    if participant is not None:
        g.interest_check = activity.note_visit(
            participant, current_app.config["PLACEMENT_INACTIVITY_DAYS"]
        )


@bp.route("/still-interested", methods=["GET", "POST"])
def still_interested():
    """Do you still want suggestions? Yes keeps them coming, no pauses them."""
    participant = own_profile()
    error = None
    if request.method == "POST":
        wants = posted_answer()
        if wants is None:
            error = _("Please choose yes or no.")
        else:
            activity.answer(participant, wants, current_user)
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
