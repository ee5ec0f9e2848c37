"""Participant area: the own profile, nothing of anyone else's."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from placement.extensions import db
from placement.participants import services
from placement.web.forms import ProfileForm

bp = Blueprint("participant", __name__, url_prefix="/me")


def own_profile():
    participant = services.participant_for_user(current_user)
    if participant is None:
        abort(404)
    return participant


@bp.before_request
@login_required
def check_role():
    if current_user.role != "participant":
        abort(403)


@bp.get("/")
def index():
    """The participant's own profile."""
    participant = own_profile()
    return render_template("participant/index.html", participant=participant)


@bp.route("/edit", methods=["GET", "POST"])
def edit():
    """Edit the own profile; free text in any language."""
    participant = own_profile()
    form = ProfileForm.for_participant(participant)
    if form.validate_on_submit():
        services.update_profile(participant, form.profile_data())
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("participant.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("participant/edit.html", form=form, participant=participant), status
