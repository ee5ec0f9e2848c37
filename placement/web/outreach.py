"""Employer CRM for counsellors: an organisation's page with outreach status and contact log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from placement import vocab
from placement.employers import services as employer_services
from placement.extensions import db
from placement.outreach import services
from placement.web.form_base import BaseForm
from placement.web.forms import DateField, choices
from placement.web.guards import get_contact_entry, get_organisation, role_required

bp = Blueprint("outreach", __name__, url_prefix="/counsellor/organisations")
STAFF = ("counsellor", "admin")


class OutreachStatusForm(BaseForm):
    outreach_status = SelectField(_l("Outreach status"), choices=choices(vocab.OUTREACH_STATUSES))


class ContactForm(BaseForm):
    contacted_on = DateField(_l("Date of contact"), validators=[DataRequired()])
    channel = SelectField(_l("Channel"), choices=choices(vocab.CONTACT_CHANNELS))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    next_step = StringField(_l("Next step"), validators=[Optional(), Length(max=300)])
    due_on = DateField(_l("Next step due on"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        # Cross-field rule (Optional() stops inline validators of an empty field).
        valid = super().validate(extra_validators)
        has_step = bool((self.next_step.data or "").strip())
        if has_step and not self.due_on.data and not self.due_on.errors:
            self.due_on.errors = [_l("A next step needs a due date.")]
            valid = False
        elif self.due_on.data and not has_step:
            self.next_step.errors = [_l("Describe the next step for this date.")]
            valid = False
        return valid


def render_organisation(org, status_form=None, contact_form=None, code=200):
    contacts = db.session.scalars(services.contacts_query(org)).all()
    vacancies = db.session.scalars(employer_services.vacancies_query(organisation=org)).all()
    contact_form = contact_form or ContactForm(formdata=None, contacted_on=services.today())
    return render_template(
        "outreach/organisation.html",
        organisation=org,
        status_form=status_form or OutreachStatusForm(obj=org, formdata=None),
        contact_form=contact_form,
        contacts=contacts,
        vacancies=vacancies,
        today=services.today(),
    ), code


@bp.get("/<int:organisation_id>")
@role_required(*STAFF)
def organisation(organisation_id: int):
    """An employer's profile, outreach status, contact log and vacancies."""
    return render_organisation(get_organisation(organisation_id))


@bp.post("/<int:organisation_id>/outreach")
@role_required(*STAFF)
def outreach_status(organisation_id: int):
    """Move the employer along the outreach pipeline."""
    org = get_organisation(organisation_id)
    form = OutreachStatusForm()
    if not form.validate():
        return render_organisation(org, status_form=form, code=400)
    services.set_outreach_status(org, form.outreach_status.data, current_user)
    db.session.commit()
    flash(_("Outreach status saved."), "success")
    return redirect(url_for("outreach.organisation", organisation_id=org.id))


@bp.post("/<int:organisation_id>/contacts")
@role_required(*STAFF)
def add_contact(organisation_id: int):
    """Log a contact with the employer, with an optional next step and due date."""
    org = get_organisation(organisation_id)
    form = ContactForm()
    if not form.validate():
        return render_organisation(org, contact_form=form, code=400)
    data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    services.add_contact(org, data, current_user)
    db.session.commit()
    flash(_("Contact logged."), "success")
    return redirect(url_for("outreach.organisation", organisation_id=org.id))


@bp.post("/<int:organisation_id>/contacts/<int:entry_id>/done")
@role_required(*STAFF)
def mark_done(organisation_id: int, entry_id: int):
    """Tick off a next step."""
    org = get_organisation(organisation_id)
    entry = get_contact_entry(org, entry_id)
    try:
        services.mark_done(entry, current_user)
    except services.OutreachError:
        db.session.rollback()
        flash(_("This contact has no next step."), "error")
    else:
        db.session.commit()
        flash(_("Next step marked as done."), "success")
    return redirect(url_for("outreach.organisation", organisation_id=org.id))
