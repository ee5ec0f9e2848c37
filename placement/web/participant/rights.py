"""My data: see everything stored about me as a page, keep it as a PDF or take it elsewhere as
JSON (GDPR Art. 15/20), and erasure (Art. 17), all after a fresh password confirmation.

The downloads are offered on the page that shows the data: a download whose password
confirmation has run out leads back to that page, never to a password form that ends in a file.
"""

from __future__ import annotations

import json
from functools import wraps

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from placement.audit.services import record
from placement.participants.data_pdf import data_pdf
from placement.participants.erasure_files import Places
from placement.participants.rights import erase_participant, personal_data
from placement.web.auth.reauth import fresh_password_required, is_fresh
from placement.web.participant.blueprint import bp, own_profile
from placement.web.participant.data_report import exported_at, sections
from placement.web.participant.forms import EraseForm


def fresh_then_data_page(view):
    """Downloads: without a fresh password, confirm it and come back to the data page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not is_fresh():
            return redirect(url_for("reauth.confirm", next=url_for("participant.data_view")))
        return view(*args, **kwargs)

    return wrapped


@bp.get("/data")
def data():
    """What the participant can do with their data."""
    own_profile()
    return render_template("participant/data.html")


@bp.get("/data/view")
@fresh_password_required
def data_view():
    """Everything stored about me, in words and in my language, with the downloads."""
    participant = own_profile()
    data = personal_data(participant)
    record(current_user, "participant.export", "participant", participant.id, format="page")
    page = render_template("participant/data_view.html", sections=sections(data),
                           exported_at=exported_at(data))  # fmt: skip
    return page, 200, {"Cache-Control": "no-store"}


@bp.get("/data/export.pdf")
@fresh_then_data_page
def export_pdf():
    """All my data as a PDF in my language, to keep or print."""
    participant = own_profile()
    data = personal_data(participant)
    lines = [
        _("For: %(name)s", name=f"{participant.first_name} {participant.last_name}"),
        _("As of: %(when)s", when=exported_at(data)),
        _("Everything we store about you (GDPR Art. 15). The same data for other software: "
          "the JSON file on the page “My data”."),
    ]  # fmt: skip
    body = data_pdf(_("My data"), lines, sections(data), footer=_("My data"))
    record(current_user, "participant.export", "participant", participant.id, format="pdf")
    name = "meine-daten" if str(get_locale()).startswith("de") else "my-data"
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/data/export.json")
@fresh_then_data_page
def export():
    """All my data as one JSON file (machine-readable, to take elsewhere: Art. 20)."""
    participant = own_profile()
    content = json.dumps(personal_data(participant), ensure_ascii=False, indent=2)
    record(current_user, "participant.export", "participant", participant.id, format="json")
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
        erase_participant(participant, current_user, Places.of(current_app))
        logout_user()
        session.clear()
        flash(_("Your data are deleted and your account is closed."), "success")
        return redirect(url_for("main.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("participant/erase.html", form=form), status
