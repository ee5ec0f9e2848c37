"""The wording review before a vacancy goes live, for employers and counsellors.

``save_vacancy`` and ``change_status`` (web/employer/vacancies.py) pass the review posted with
the form to the service; when the service asks for a review, the form is shown again with the
marked text, or (for the lifecycle buttons) this blueprint's page is.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from placement.employers import publishing
from placement.employers.models import Vacancy
from placement.employers.publishing import PublishReview, Segment, WordingReviewNeeded
from placement.employers.wording import Finding
from placement.web.guards import get_vacancy, role_required

bp = Blueprint("vacancy_review", __name__, url_prefix="/vacancies")


@dataclass(frozen=True)
class ReviewState:
    """What the review block of a page shows."""

    findings: list[Finding]
    fingerprint: str
    title: list[Segment]
    description: list[Segment]
    problem: str | None = None
    reason: str = ""
    publish_anyway: bool = False

    @property
    def severe(self) -> bool:
        return any(f.severe for f in self.findings)


def locale() -> str:
    return str(get_locale())


def posted_review() -> PublishReview:
    """The review fields posted with a form (empty when none were shown)."""
    return PublishReview(
        checked=request.form.get("review-checked", ""),
        publish_anyway=request.form.get("review-publish_anyway") == "y",
        reason=request.form.get("review-reason", ""),
    )


def review_state(needed: WordingReviewNeeded, title: str | None, description: str | None,
                 review: PublishReview | None = None) -> ReviewState:  # fmt: skip
    """The review block for the text the person submitted (or the stored one)."""
    marked_title, marked_description = publishing.marked_text(title, description, needed.findings)
    review = review or PublishReview()
    return ReviewState(needed.findings, needed.fingerprint, marked_title, marked_description,
                       needed.problem if review.checked == needed.fingerprint else None,
                       review.reason, review.publish_anyway)  # fmt: skip


def area() -> str:
    return "employer" if current_user.role == "employer" else "counsellor"


def render_review(vacancy: Vacancy, state: ReviewState, status: int = 200):
    """The page before publishing with a lifecycle button (publish, resume, re-open)."""
    return render_template(
        "vacancy_review.html",
        vacancy=vacancy,
        review=state,
        action=url_for(f"{area()}.vacancy_status", vacancy_id=vacancy.id),
        edit=url_for(f"{area()}.edit_vacancy", vacancy_id=vacancy.id),
        back=url_for(f"{area()}.vacancy", vacancy_id=vacancy.id),
        next=request.values.get("next"),
    ), status


@bp.app_template_global()
def wording_override(vacancy: Vacancy):
    """The recorded "publish anyway" of the vacancy's current text, for its pages."""
    return publishing.latest_override(vacancy) if vacancy.status == "published" else None


@bp.get("/<int:vacancy_id>/publish")
@role_required("employer", "counsellor", "admin")
def review(vacancy_id: int):
    """The findings of the wording check, marked in the text, before the vacancy goes live."""
    vacancy = get_vacancy(vacancy_id, edit=True)
    findings = publishing.check_saved_vacancy(vacancy, locale())
    needed = WordingReviewNeeded(findings, publishing.fingerprint(vacancy))
    return render_review(vacancy, review_state(needed, vacancy.title, vacancy.description))
