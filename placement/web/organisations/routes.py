"""Employer organisations for counsellors: the list with approval, registering one, and an
organisation's page with its outreach status, contact log and vacancies (employer CRM)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.access import STAFF
from placement.audit.services import record
from placement.employers import services as employer_services
from placement.extensions import db
from placement.outreach import services
from placement.web import transaction
from placement.web.fields import SearchForm
from placement.web.guards import get_contact_entry, get_organisation, role_required
from placement.web.organisations.forms import ContactForm, OrganisationForm, OutreachStatusForm
from placement.web.pages import paginate

bp = Blueprint("organisations", __name__, url_prefix="/counsellor/organisations")


@bp.get("")
@role_required(*STAFF)
def index():
    """Employers with their approval state."""
    search = SearchForm(request.args)
    query = employer_services.organisations_query(search.q.data)
    page = paginate(query)
    duplicates = employer_services.possible_duplicates(list(page.items))
    return render_template(
        "organisations/index.html", page=page, search=search, duplicates=duplicates
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new():
    """Register an employer organisation."""
    form = OrganisationForm()
    if form.validate_on_submit():
        data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        org = employer_services.create_organisation(data)
        flash(_("Organisation registered. Approve it to publish its vacancies."), "success")
        return redirect(url_for("organisations.index", q=org.name))
    status = 400 if request.method == "POST" else 200
    return render_template("organisations/form.html", form=form), status


@bp.post("/<int:organisation_id>/approve")
@role_required(*STAFF)
def approve(organisation_id: int):
    """Approve (or withdraw approval of) an organisation."""
    org = get_organisation(organisation_id)
    approve = request.form.get("approve", "1") == "1"
    employer_services.approve_organisation(org, approve)
    record(
        current_user,
        "organisation.approve" if approve else "organisation.unapprove",
        "organisation",
        org.id,
    )
    flash(_("Organisation approved.") if approve else _("Approval withdrawn."), "success")
    return redirect(url_for("organisations.index"))


def render_organisation(org, status_form=None, contact_form=None, code=200):
    contacts = db.session.scalars(services.contacts_query(org)).all()
    vacancies = db.session.scalars(employer_services.vacancies_query(organisation=org)).all()
    contact_form = contact_form or ContactForm(formdata=None, contacted_on=services.today())
    return render_template(
        "organisations/organisation.html",
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
    flash(_("Outreach status saved."), "success")
    return redirect(url_for("organisations.organisation", organisation_id=org.id))


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
    flash(_("Contact logged."), "success")
    return redirect(url_for("organisations.organisation", organisation_id=org.id))


@bp.post("/<int:organisation_id>/contacts/<int:entry_id>/done")
@role_required(*STAFF)
def mark_done(organisation_id: int, entry_id: int):
    """Tick off a next step."""
    org = get_organisation(organisation_id)
    entry = get_contact_entry(org, entry_id)
    try:
        services.mark_done(entry, current_user)
    except services.OutreachError:
        transaction.discard()
        flash(_("This contact has no next step."), "error")
    else:
        flash(_("Next step marked as done."), "success")
    return redirect(url_for("organisations.organisation", organisation_id=org.id))
