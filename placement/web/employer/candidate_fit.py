"""Words for the employer's candidate page: why the person fits and the next steps agreed.

One small place that turns the codes of a ``CandidateView`` (employers/candidates.py) into
sentences in the interface language. (When the engine's reasons become catalogue codes (i14),
this is where their shared rendering helper plugs in.)
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _

from placement.employers.candidates import FitFacts

bp = Blueprint("candidate_fit", __name__)
MAX_SKILLS = 6


@bp.app_template_global()
def fit_sentences(fit: FitFacts | None, kind: str = "job") -> tuple[list[str], list[str]]:
    """(why the person fits, next steps agreed) as sentences."""
    if fit is None:
        return [], []
    fits: list[str] = []
    have, need = fit.german_have, fit.german_need
    if fit.german == "met" and need:
        fits.append(_("German %(have)s (%(need)s asked).", have=have, need=need))
    elif fit.german == "near_miss":
        fits.append(_("German %(have)s, one level below the %(need)s asked.", have=have,
                      need=need))  # fmt: skip
    elif fit.german == "failed":
        fits.append(_("German %(have)s; the vacancy asks for %(need)s.", have=have, need=need))
    elif fit.german == "unknown" and need:
        fits.append(_("German level not recorded yet; the counsellor can tell you."))
    if fit.matched_skills:
        shown = ", ".join(fit.matched_skills[:MAX_SKILLS])
        fits.append(_("Skills your vacancy asks for: %(skills)s.", skills=shown))
    if not fit.eligible and not fit.next_steps:
        fits.append(_("Not every requirement is met; the counsellor checked this and proposes "
                      "the person all the same."))  # fmt: skip
    steps = [
        {
            "permit_request": _("The Ausländerbehörde must allow this job before the start: the "
                                "counsellor applies for the permission together with the "
                                "candidate."),
            "language_course": _("A job-related German course (Berufssprachkurs) towards "
                                 "%(need)s can close the gap while working.", need=need),
            "adaptation": _("The placement can count towards full recognition of the "
                            "qualification (Anpassungsqualifizierung)."),
        }[step]
        for step in fit.next_steps
    ]  # fmt: skip
    return fits, steps
