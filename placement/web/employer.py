"""Employer area: the organisation's vacancies, their lifecycle and wording check, its profile."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from placement import vocab
from placement.employers import services
from placement.employers.models import Organisation, Vacancy
from placement.employers.publishing import WordingReviewNeeded
from placement.employers.wording import check_saved_vacancy
from placement.extensions import db
from placement.web.confirm import back_to, confirmed, render_confirm
from placement.web.forms import OrganisationForm, SearchForm, VacancyForm
from placement.web.guards import get_vacancy, is_safe_next, role_required
from placement.web.vacancy_review import locale, posted_review, render_review, review_state

bp = Blueprint("employer", __name__, url_prefix="/employer")


def own_organisation() -> Organisation:
    organisation = current_user.organisation
    if organisation is None:
        abort(403)
    return organisation


# Button labels of the lifecycle steps: (from, to) first, then any move to "to".
STEP_LABELS = {
    ("paused", "published"): _l("Resume"),
    ("closed", "published"): _l("Re-open"),
    "published": _l("Publish"),
    "paused": _l("Pause"),
    "filled": _l("Mark as filled"),
    "closed": _l("Close"),
}


@bp.app_template_global()
def vacancy_steps(vacancy: Vacancy) -> list[tuple[str, str]]:
    """The lifecycle steps open to a vacancy now, as (status, button label)."""
    return [
        (step, STEP_LABELS.get((vacancy.status, step), STEP_LABELS[step]))
        for step in services.next_statuses(vacancy)
    ]


def wording_findings(vacancy: Vacancy):
    """The inclusive-wording findings of a vacancy, in the interface language."""
    return check_saved_vacancy(vacancy, str(get_locale()))


def limit_status_choices(form: VacancyForm, vacancy: Vacancy | None) -> None:
    """Offer only the statuses the lifecycle allows from here (the service checks again);
    for an organisation not yet approved, no publishing (the page says why up front)."""
    allowed = ("draft", "published") if vacancy is None else (
        vacancy.status, *services.VACANCY_FLOW.get(vacancy.status, ()))  # fmt: skip
    if not organisation_of(form, vacancy).approved:
        allowed = tuple(s for s in allowed if s != "published" or getattr(vacancy, "status",
                                                                           None) == s)  # fmt: skip
    form.status.choices = [c for c in form.status.choices if c.value in allowed]


def organisation_of(form: VacancyForm, vacancy: Vacancy | None) -> Organisation:
    return vacancy.organisation if vacancy is not None else form.organisation


def save_vacancy(form: VacancyForm, organisation: Organisation, vacancy: Vacancy | None):
    """Validate and save a vacancy form; returns the vacancy, or None when it must be re-shown.

    Shared by employers and by counsellors posting on an employer's behalf. The wording check
    runs before the vacancy goes live: with findings, nothing is saved and the form comes back
    with the findings marked in the text (``form.review``) until they are reviewed.
    """
    form.organisation = organisation
    form.review = None
    limit_status_choices(form, vacancy)
    if not form.validate_on_submit():
        return None
    data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    review = posted_review()
    try:
        if vacancy is None:
            vacancy = services.create_vacancy(organisation, data, current_user, review, locale())
        else:
            services.update_vacancy(vacancy, data, current_user, review, locale())
    except WordingReviewNeeded as needed:
        db.session.rollback()
        form.review = review_state(needed, form.title.data, form.description.data, review)
        return None
    except services.VacancyError as error:
        db.session.rollback()
        form.status.errors.append(str(error))
        return None
    db.session.commit()
    flash(_("Vacancy saved."), "success")
    findings = wording_findings(vacancy)
    if findings:
        flash(
            _("Please look at the %(n)d notes on the wording below: they may deter applicants "
              "or breach the AGG. The vacancy is saved; you can change the text at any time.",
              n=len(findings)),
            "warning",
        )  # fmt: skip
    return vacancy


# Steps that take a vacancy out of view: asked first on a confirmation page.
ASK_FIRST = ("filled", "closed")


def confirm_status_page(vacancy: Vacancy, to_status: str, area: str, default_back: str):
    """The confirmation before filling or closing a vacancy. Shared with counsellors."""
    title = (_("Mark “%(t)s” as filled?", t=vacancy.title) if to_status == "filled"
             else _("Close “%(t)s”?", t=vacancy.title))  # fmt: skip
    consequences = [
        _("Participants no longer see it, and nobody can be proposed for it any more."),
        _("Proposals made already keep their status and history."),
        _("Afterwards it can only be closed, not published again.")
        if to_status == "filled"
        else _("You can publish it again later."),
    ]
    if to_status not in services.VACANCY_FLOW.get(vacancy.status, ()):
        flash(_("This step is not possible: %(reason)s",
                reason=_("the vacancy is “%(s)s”.", s=vocab.VACANCY_STATUSES[vacancy.status])),
              "error")  # fmt: skip
        return redirect(default_back)
    return render_confirm(
        title=title,
        consequences=consequences,
        action=url_for(f"{area}.vacancy_status", vacancy_id=vacancy.id),
        confirm_label=_("Yes, mark as filled") if to_status == "filled" else _("Yes, close it"),
        cancel=back_to(default_back),
        fields={"status": to_status},
    )


def change_status(vacancy: Vacancy):
    """Apply the lifecycle step posted in the form; flash the outcome. Shared with counsellors.

    Filling and closing without ``confirmed`` lead to the confirmation page (returned)."""
    to_status = request.form.get("status", "")
    if to_status in ASK_FIRST and not confirmed():
        return redirect(url_for(f"{request.blueprint}.confirm_{to_status}", vacancy_id=vacancy.id,
                                next=request.form.get("next") or None))  # fmt: skip
    review = posted_review()
    try:
        services.change_vacancy_status(vacancy, to_status, current_user, review, locale())
    except WordingReviewNeeded as needed:
        db.session.rollback()
        if review.checked:  # seen, but a serious finding without a reason: say so there
            return render_review(
                vacancy, review_state(needed, vacancy.title, vacancy.description, review), 400
            )
        return redirect(url_for("vacancy_review.review", vacancy_id=vacancy.id,
                                next=request.form.get("next") or None))  # fmt: skip
    except services.VacancyError as error:
        db.session.rollback()
        flash(_("This step is not possible: %(reason)s", reason=str(error)), "error")
        return None
    db.session.commit()
    flash(_("Status changed to: %(status)s.", status=vocab.VACANCY_STATUSES[to_status]), "success")


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
        return redirect(url_for("employer.vacancy", vacancy_id=vacancy.id))
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
        return redirect(url_for("employer.vacancy", vacancy_id=vacancy.id))
    return render_template(
        "employer/vacancy_form.html",
        form=form,
        organisation=vacancy.organisation,
        vacancy=vacancy,
        findings=wording_findings(vacancy),
    ), (400 if request.method == "POST" else 200)


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
    item = get_vacancy(vacancy_id, edit=True)
    asked = change_status(item)
    if asked is not None:
        return asked
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("employer.vacancy",
                                                                 vacancy_id=item.id))  # fmt: skip


@bp.get("/vacancies/<int:vacancy_id>/fill")
@role_required("employer")
def confirm_filled(vacancy_id: int):
    """Ask before marking a vacancy filled."""
    item = get_vacancy(vacancy_id, edit=True)
    return confirm_status_page(item, "filled", "employer",
                               url_for("employer.vacancy", vacancy_id=item.id))  # fmt: skip


@bp.get("/vacancies/<int:vacancy_id>/close")
@role_required("employer")
def confirm_closed(vacancy_id: int):
    """Ask before closing a vacancy."""
    item = get_vacancy(vacancy_id, edit=True)
    return confirm_status_page(item, "closed", "employer",
                               url_for("employer.vacancy", vacancy_id=item.id))  # fmt: skip


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
