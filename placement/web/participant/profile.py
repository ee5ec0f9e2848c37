"""The own profile: view and edit."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.participants import services
from placement.web.participant.blueprint import bp, own_profile
from placement.web.participant.forms import ProfileForm


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
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("participant.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("participant/edit.html", form=form, participant=participant), status


@bp.post("/matching-consent")
def matching_consent():
    """Give (or take back) consent that the profile is used to suggest jobs and internships."""
    participant = own_profile()
    give = request.form.get("give") == "1"
    services.set_matching_consent(participant, give, current_user)
    if give:
        flash(_("Thank you. We now suggest jobs and internships to you."), "success")
    else:
        flash(_("Your profile is no longer used for suggestions."), "success")
    return redirect(url_for("participant.suggestions"))
