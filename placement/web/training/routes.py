"""Training area for employers' staff: diversity-awareness modules page by page, the quiz,
results with explanations, retakes. Content follows the UI language."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from placement.audit.services import record
from placement.training import services as training
from placement.training.modules import Module, render_page
from placement.web.guards import get_module, get_quiz_attempt, role_required, training_modules
from placement.web.training.forms import quiz_form

bp = Blueprint("training", __name__, url_prefix="/training")
ANSWER_REQUIRED = _l("Please answer this question.")


def my_status(module: Module) -> training.ModuleStatus:
    return training.statuses_for([current_user], [module])[current_user.id][0]


@bp.get("/")
@role_required("employer")
def index():
    """All modules with the person's status in each."""
    modules = training_modules()
    statuses = training.statuses_for([current_user], modules.values())[current_user.id]
    badge = training.organisation_badge(current_user.organisation, modules)
    return render_template("training/index.html", statuses=statuses, badge=badge)


@bp.get("/<slug>/")
@role_required("employer")
def module(slug: str):
    """A module's summary, its pages, the person's progress, attempts and certificate."""
    status = my_status(get_module(slug))
    return render_template("training/module.html", module=status.module, status=status)


@bp.post("/<slug>/start")
@role_required("employer")
def start(slug: str):
    """Start a module, or resume it at the page where the person left off."""
    item = get_module(slug)
    progress = training.start_module(current_user, item)
    return redirect(url_for("training.page", slug=slug, number=progress.last_page))


@bp.get("/<slug>/pages/<int:number>")
@role_required("employer")
def page(slug: str, number: int):
    """Read one page of a module."""
    item = get_module(slug)
    if not 1 <= number <= len(item.pages):
        return redirect(url_for("training.module", slug=slug))
    locale = get_locale()
    current = item.pages[number - 1]
    return render_template(
        "training/page.html",
        module=item,
        number=number,
        page=current,
        html=render_page(current, locale),
        status=my_status(item),
    )


@bp.post("/<slug>/pages/<int:number>/read")
@role_required("employer")
def page_read(slug: str, number: int):
    """Mark a page as read and go on: to the next page, or after the last one to the quiz."""
    item = get_module(slug)
    if not 1 <= number <= len(item.pages):
        return redirect(url_for("training.module", slug=slug))
    training.mark_page_read(current_user, item, number)
    if number < len(item.pages):
        return redirect(url_for("training.page", slug=slug, number=number + 1))
    return redirect(url_for("training.quiz", slug=slug))


@bp.route("/<slug>/quiz", methods=["GET", "POST"])
@role_required("employer")
def quiz(slug: str):
    """The module's quiz (after reading all pages); it can be taken again any time."""
    item = get_module(slug)
    status = my_status(item)
    if status.progress is None or status.progress.completed_at is None:
        flash(_("Please read all pages of the module before taking the quiz."), "error")
        return redirect(url_for("training.module", slug=slug))
    form = quiz_form(item, get_locale())
    if form.validate_on_submit():
        answers = {
            question.id: _as_list(form[f"q{index}"].data)
            for index, question in enumerate(item.questions)
        }
        attempt, certificate = training.submit_quiz(current_user, item, answers)
        if certificate:
            record(current_user, "certificate.issue", "certificate", certificate.id)
        return redirect(url_for("training.result", slug=slug, attempt_id=attempt.id))
    fields = [(question, form[f"q{index}"]) for index, question in enumerate(item.questions)]
    return render_template(
        "training/quiz.html", module=item, form=form, fields=fields, status=status
    ), (400 if request.method == "POST" else 200)


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@bp.get("/<slug>/attempts/<int:attempt_id>")
@role_required("employer")
def result(slug: str, attempt_id: int):
    """One's quiz result: score, pass or not, and each question with its explanation."""
    item = get_module(slug)
    attempt = get_quiz_attempt(attempt_id, item)
    score = training.score_quiz(item, attempt.answers)
    return render_template(
        "training/result.html",
        module=item,
        attempt=attempt,
        score=score,
        status=my_status(item),
    )
