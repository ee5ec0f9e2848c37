"""Vacancy editing and lifecycle steps, shared by the employer and the counsellor areas.

Each area's views load the vacancy with its own access check (``get_vacancy``) and hand it
here; links go back to the area the request came from (``request.blueprint``).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from placement import vocab
from placement.employers import services
from placement.employers.models import Organisation, Vacancy
from placement.employers.publishing import WordingReviewNeeded
from placement.employers.wording import check_saved_vacancy
from placement.web import transaction, wording
from placement.web.confirm import back_to, confirmed, render_confirm
from placement.web.employer.forms import VacancyForm
from placement.web.employer.review import locale, posted_review, render_review, review_state
from placement.web.guards import is_safe_next


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
        transaction.discard()
        form.review = review_state(needed, form.title.data, form.description.data, review)
        return None
    except services.VacancyError as error:
        transaction.discard()
        form.status.errors.append(wording.vacancy_error(error))
        return None
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


def confirm_status_page(vacancy: Vacancy, to_status: str):
    """The confirmation before filling or closing a vacancy."""
    default_back = url_for(f"{request.blueprint}.vacancy", vacancy_id=vacancy.id)
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
        action=url_for(f"{request.blueprint}.vacancy_status", vacancy_id=vacancy.id),
        confirm_label=_("Yes, mark as filled") if to_status == "filled" else _("Yes, close it"),
        cancel=back_to(default_back),
        fields={"status": to_status},
    )


def change_status(vacancy: Vacancy):
    """Apply the lifecycle step posted in the form; flash the outcome.

    Filling and closing without ``confirmed`` lead to the confirmation page (returned)."""
    to_status = request.form.get("status", "")
    if to_status in ASK_FIRST and not confirmed():
        return redirect(url_for(f"{request.blueprint}.confirm_{to_status}", vacancy_id=vacancy.id,
                                next=request.form.get("next") or None))  # fmt: skip
    review = posted_review()
    try:
        services.change_vacancy_status(vacancy, to_status, current_user, review, locale())
    except WordingReviewNeeded as needed:
        transaction.discard()
        if review.checked:  # seen, but a serious finding without a reason: say so there
            return render_review(
                vacancy, review_state(needed, vacancy.title, vacancy.description, review), 400
            )
        return redirect(url_for("vacancy_review.review", vacancy_id=vacancy.id,
                                next=request.form.get("next") or None))  # fmt: skip
    except services.VacancyError as error:
        transaction.discard()
        flash(_("This step is not possible: %(reason)s", reason=wording.vacancy_error(error)),
              "error")  # fmt: skip
        return None
    flash(_("Status changed to: %(status)s.", status=vocab.VACANCY_STATUSES[to_status]), "success")


def edit_page(organisation: Organisation, vacancy: Vacancy | None = None):
    """Post a new vacancy or edit one: save and go to its page, or show the form (errors: 400)."""
    form = VacancyForm(obj=vacancy)
    saved = save_vacancy(form, organisation, vacancy)
    if saved:
        return redirect(url_for(f"{request.blueprint}.vacancy", vacancy_id=saved.id))
    return render_template(
        "employer/vacancy_form.html",
        form=form,
        organisation=organisation,
        vacancy=vacancy,
        findings=wording_findings(vacancy) if vacancy else None,
    ), (400 if request.method == "POST" else 200)


def status_change(vacancy: Vacancy):
    """Apply a posted lifecycle step (or ask first), then go back where the form came from."""
    asked = change_status(vacancy)
    if asked is not None:
        return asked
    target = request.form.get("next")
    if is_safe_next(target):
        return redirect(target)
    return redirect(url_for(f"{request.blueprint}.vacancy", vacancy_id=vacancy.id))
