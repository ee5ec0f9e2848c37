"""Consent to share the profile with a named employer, and who viewed the profile."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.employers import services as employer_services
from placement.extensions import db
from placement.participants.rights import profile_views
from placement.proposals.models import Consent
from placement.proposals.services import (
    active_consent,
    consents_for,
    give_consent,
    withdraw_consent,
)
from placement.web.confirm import confirmed, render_confirm
from placement.web.fields import choices
from placement.web.guards import get_organisation
from placement.web.participant.blueprint import bp, own_profile
from placement.web.participant.forms import ConsentForm


def _consent_form(history: list[Consent]) -> ConsentForm:
    """Approved employers, and any employer the person has consented to before."""
    known = {c.organisation_id for c in history}
    organisations = db.session.scalars(employer_services.consent_choices(known)).all()
    form = ConsentForm()
    form.organisation_id.choices = choices(
        [("", _("Choose an employer"))] + [(o.id, o.name) for o in organisations]
    )
    return form


@bp.route("/consents", methods=["GET", "POST"])
def consents():
    """Employers that may see my name and contact details; give consent to one more."""
    participant = own_profile()
    history = db.session.scalars(consents_for(participant)).all()
    form = _consent_form(history)
    if form.validate_on_submit():
        organisation = get_organisation(form.organisation_id.data)
        give_consent(participant, organisation, current_user)
        flash(
            _("%(org)s may now see your name and contact details.", org=organisation.name),
            "success",
        )
        return redirect(url_for("participant.consents"))
    active = [c for c in history if c.active]
    status = 400 if request.method == "POST" else 200
    return render_template(
        "participant/consents.html", form=form, active=active, history=history
    ), status


@bp.get("/consents/<int:organisation_id>/withdraw")
def confirm_withdraw(organisation_id: int):
    """Ask before taking back consent: what the employer will no longer see."""
    participant = own_profile()
    organisation = get_organisation(organisation_id)
    if active_consent(participant, organisation) is None:
        flash(_("%(org)s cannot see your name and contact details.", org=organisation.name),
              "info")  # fmt: skip
        return redirect(url_for("participant.consents"))
    return render_confirm(
        title=_("Take back your consent for %(org)s?", org=organisation.name),
        consequences=[
            _("%(org)s can no longer see your name and contact details.", org=organisation.name),
            _("If you have been proposed to them, they see only a code instead of your name."),
            _("You can agree again later on this page."),
        ],
        action=url_for("participant.withdraw", organisation_id=organisation.id),
        confirm_label=_("Yes, take back my consent"),
        cancel=url_for("participant.consents"),
    )


@bp.post("/consents/<int:organisation_id>/withdraw")
def withdraw(organisation_id: int):
    """Withdraw consent: the employer no longer sees who I am."""
    participant = own_profile()
    organisation = get_organisation(organisation_id)
    if not confirmed():
        return redirect(url_for("participant.confirm_withdraw", organisation_id=organisation.id))
    withdraw_consent(participant, organisation, current_user)
    flash(
        _("%(org)s can no longer see your name and contact details.", org=organisation.name),
        "success",
    )
    return redirect(url_for("participant.consents"))


@bp.get("/views")
def views():
    """Who viewed my profile and when."""
    participant = own_profile()
    items = profile_views(participant, limit=current_app.config["PLACEMENT_PAGE_SIZE"] * 8)
    return render_template("participant/views.html", views=items)
