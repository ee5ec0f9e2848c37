"""Employer area: the organisation's vacancies and its profile."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.employers import services
from placement.employers.models import Organisation, Vacancy
from placement.extensions import db
from placement.web.forms import OrganisationForm, SearchForm, VacancyForm
from placement.web.guards import get_vacancy, role_required

bp = Blueprint("employer", __name__, url_prefix="/employer")


def own_organisation() -> Organisation:
    organisation = current_user.organisation
    if organisation is None:
        abort(403)
    return organisation


def save_vacancy(form: VacancyForm, organisation: Organisation, vacancy: Vacancy | None):
    """Validate and save a vacancy form; returns the vacancy, or None when it must be re-shown.

    Shared by employers and by counsellors posting on an employer's behalf.
    """
    if not form.validate_on_submit():
        return None
    data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    try:
        if vacancy is None:
            vacancy = services.create_vacancy(organisation, data, current_user)
        else:
            services.update_vacancy(vacancy, data)
    except services.VacancyError as error:
        db.session.rollback()
        form.status.errors.append(str(error))
        return None
    db.session.commit()
    flash(_("Vacancy saved."), "success")
    return vacancy


@bp.get("/")
@role_required("employer")
def index():
    """The organisation's vacancies, newest first, with a search."""
    organisation = own_organisation()
    search = SearchForm(request.args)
    query = services.vacancies_query(organisation=organisation, search=search.q.data)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "employer/index.html", organisation=organisation, page=page, search=search
    )


@bp.route("/vacancies/new", methods=["GET", "POST"])
@role_required("employer")
def new_vacancy():
    """Post a job or an internship."""
    organisation = own_organisation()
    form = VacancyForm()
    vacancy = save_vacancy(form, organisation, None)
    if vacancy:
        return redirect(url_for("employer.index"))
    return render_template(
        "employer/vacancy_form.html", form=form, organisation=organisation, vacancy=None
    ), (400 if request.method == "POST" else 200)


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@role_required("employer")
def edit_vacancy(vacancy_id: int):
    """Edit one of the organisation's vacancies (another organisation's: 404)."""
    vacancy = get_vacancy(vacancy_id, edit=True)
    form = VacancyForm(obj=vacancy)
    if save_vacancy(form, vacancy.organisation, vacancy):
        return redirect(url_for("employer.index"))
    return render_template(
        "employer/vacancy_form.html", form=form, organisation=vacancy.organisation, vacancy=vacancy
    ), (400 if request.method == "POST" else 200)


@bp.route("/organisation", methods=["GET", "POST"])
@role_required("employer")
def organisation():
    """Keep the organisation profile up to date."""
    org = own_organisation()
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        services.update_organisation(org, data)
        db.session.commit()
        flash(_("Organisation profile saved."), "success")
        return redirect(url_for("employer.organisation"))
    status = 400 if request.method == "POST" else 200
    return render_template("employer/organisation.html", form=form, organisation=org), status
