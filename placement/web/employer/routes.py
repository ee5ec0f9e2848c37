"""Employer area: the organisation's vacancies, their lifecycle and wording check, its profile."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.employers import services
from placement.employers.models import Organisation
from placement.web.employer.vacancies import (
    confirm_status_page,
    edit_page,
    status_change,
    wording_findings,
)
from placement.web.fields import SearchForm
from placement.web.guards import get_vacancy, role_required
from placement.web.helpers import organisation_badge
from placement.web.organisations.forms import OrganisationForm
from placement.web.pages import paginate

bp = Blueprint("employer", __name__, url_prefix="/employer")


def own_organisation() -> Organisation:
    organisation = current_user.organisation
    if organisation is None:
        abort(403)
    return organisation


@bp.get("/")
@role_required("employer")
def index():
    """The organisation's vacancies, newest first, with a search."""
    organisation = own_organisation()
    search = SearchForm(request.args)
    query = services.vacancies_query(organisation=organisation, search=search.q.data)
    page = paginate(query)
    return render_template(
        "employer/index.html",
        organisation=organisation,
        page=page,
        search=search,
        badge=organisation_badge(organisation),
    )


@bp.route("/vacancies/new", methods=["GET", "POST"])
@role_required("employer")
def new_vacancy():
    """Post a job or an internship."""
    return edit_page(own_organisation())


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@role_required("employer")
def edit_vacancy(vacancy_id: int):
    """Edit one of the organisation's vacancies (another organisation's: 404)."""
    vacancy = get_vacancy(vacancy_id, edit=True)
    return edit_page(vacancy.organisation, vacancy)


@bp.get("/vacancies/<int:vacancy_id>")
@role_required("employer")
def vacancy(vacancy_id: int):
    """One of the organisation's vacancies with its lifecycle buttons and wording notes."""
    item = get_vacancy(vacancy_id)
    return render_template("employer/vacancy.html", vacancy=item, findings=wording_findings(item))


@bp.post("/vacancies/<int:vacancy_id>/status")
@role_required("employer")
def vacancy_status(vacancy_id: int):
    """Publish, pause, fill, close or re-open one of the organisation's vacancies."""
    return status_change(get_vacancy(vacancy_id, edit=True))


@bp.get("/vacancies/<int:vacancy_id>/fill", endpoint="confirm_filled", defaults={"step": "filled"})
@bp.get("/vacancies/<int:vacancy_id>/close", endpoint="confirm_closed", defaults={"step": "closed"})
@role_required("employer")
def confirm_step(vacancy_id: int, step: str):
    """Ask before marking a vacancy filled or closing it."""
    return confirm_status_page(get_vacancy(vacancy_id, edit=True), step)


@bp.route("/organisation", methods=["GET", "POST"])
@role_required("employer")
def organisation():
    """Keep the organisation profile up to date."""
    org = own_organisation()
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        services.update_organisation(org, data)
        flash(_("Organisation profile saved."), "success")
        return redirect(url_for("employer.organisation"))
    status = 400 if request.method == "POST" else 200
    return render_template("employer/organisation.html", form=form, organisation=org), status
