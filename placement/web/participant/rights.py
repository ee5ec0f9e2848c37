"""My data: download everything (GDPR Art. 15/20) and erasure (Art. 17), both after a fresh
password confirmation."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from placement.audit.services import record
from placement.participants.rights import erase_participant, personal_data
from placement.web.auth.reauth import fresh_password_required
from placement.web.participant.blueprint import bp, own_profile
from placement.web.participant.forms import EraseForm


@bp.get("/data")
def data():
    """What the participant can do with their data."""
    own_profile()
    return render_template("participant/data.html")


@bp.get("/data/export.json")
@fresh_password_required
def export():
    """All my data as one JSON file."""
    participant = own_profile()
    content = json.dumps(personal_data(participant), ensure_ascii=False, indent=2)
    record(current_user, "participant.export", "participant", participant.id)
    return Response(
        content,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="my-data.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/data/delete", methods=["GET", "POST"])
@fresh_password_required
def erase():
    """Delete my profile and account; anonymous counts stay for reporting."""
    participant = own_profile()
    form = EraseForm()
    if form.validate_on_submit():
        erase_participant(participant, current_user)
        logout_user()
        session.clear()
        flash(_("Your data are deleted and your account is closed."), "success")
        return redirect(url_for("main.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("participant/erase.html", form=form), status
