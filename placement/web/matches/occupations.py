"""Counsellors correct the occupations the engine detects in a profile or a vacancy.

The engine's detection can miss or misread an occupation; a counsellor overrides it (AI Act
Art. 14: human oversight can disregard and override the output). Every change is audit-logged.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.access import STAFF
from placement.employers.models import Vacancy
from placement.matches import occupations as service
from placement.participants.models import Participant
from placement.web.guards import get_participant, get_vacancy, role_required
from placement.web.helpers import LEVELS
from placement.web.matches.forms import ConceptsForm

bp = Blueprint("occupations", __name__, url_prefix="/counsellor")


def _urls(item: Participant | Vacancy) -> dict[str, str]:
    if isinstance(item, Participant):
        return {
            "edit": url_for(".participant_occupations", participant_id=item.id),
            "reset": url_for(".reset_participant_occupations", participant_id=item.id),
            "back": url_for("counsellor.participant", participant_id=item.id),
        }
    return {
        "edit": url_for(".vacancy_occupations", vacancy_id=item.id),
        "reset": url_for(".reset_vacancy_occupations", vacancy_id=item.id),
        "back": url_for("counsellor.vacancy", vacancy_id=item.id),
    }


def _rows(item, selected: list[str], query: str) -> tuple[list[dict], list[dict]]:
    """Rows of the form: correction, selection and detection first, then search results; each
    occupation once."""
    detected = {c.id: c for c in service.detected_concepts(item)}
    first = [
        *(service.corrected_concepts(item) or []),
        *(service.concept(i) for i in selected),
        *detected.values(),
    ]
    seen: set[str] = set()

    def rows(concepts) -> list[dict]:
        out = []
        for c in concepts:
            if c.id not in seen:
                seen.add(c.id)
                weight = detected[c.id].weight if c.id in detected else None
                out.append({"concept": c, "detected": weight, "checked": c.id in selected})
        return out

    return rows(first), rows(service.search_concepts(query))


def _edit(item: Participant | Vacancy, name: str):
    form = ConceptsForm()
    query = request.args.get("q", "").strip()[:100]
    urls = _urls(item)
    if form.validate_on_submit():
        try:
            service.set_concepts(item, form.concepts.data or [], current_user)
        except service.ConceptError as err:
            form.concepts.errors = [
                _("Unknown occupation: %(ids)s", ids=", ".join(err.unknown))
                if err.unknown
                else _("Choose at least one occupation, or reset to automatic detection.")
            ]
        else:
            flash(_("Occupations corrected: the matching now uses your selection."))
            return redirect(urls["back"] + "#occupations")
    if request.method == "POST":
        selected = list(form.concepts.data or [])
    else:
        corrected = service.corrected_concepts(item)
        chosen = corrected if corrected is not None else service.detected_concepts(item)
        selected = [c.id for c in chosen]
    rows, found = _rows(item, selected, query)
    page = render_template(
        "matches/occupations.html",
        form=form,
        name=name,
        query=query,
        rows=rows,
        found=found,
        corrected=service.corrected_concepts(item) is not None,
        levels=LEVELS,
        urls=urls,
    )
    return page, (422 if form.concepts.errors else 200)


def _reset(item: Participant | Vacancy):
    if service.clear_concepts(item, current_user):
        flash(_("Correction removed: the matching detects the occupations again."))
    return redirect(_urls(item)["back"] + "#occupations")


@bp.route("/participants/<int:participant_id>/occupations", methods=["GET", "POST"])
@role_required(*STAFF)
def participant_occupations(participant_id: int):
    """Correct the occupations detected in a participant's profile; search the lexicon."""
    person = get_participant(participant_id)
    return _edit(person, person.display_name)


@bp.post("/participants/<int:participant_id>/occupations/reset")
@role_required(*STAFF)
def reset_participant_occupations(participant_id: int):
    """Return a participant's occupations to automatic detection."""
    return _reset(get_participant(participant_id))


@bp.route("/vacancies/<int:vacancy_id>/occupations", methods=["GET", "POST"])
@role_required(*STAFF)
def vacancy_occupations(vacancy_id: int):
    """Correct the occupations detected in a vacancy; search the lexicon."""
    vacancy = get_vacancy(vacancy_id, edit=True)
    return _edit(vacancy, vacancy.title)


@bp.post("/vacancies/<int:vacancy_id>/occupations/reset")
@role_required(*STAFF)
def reset_vacancy_occupations(vacancy_id: int):
    """Return a vacancy's occupations to automatic detection."""
    return _reset(get_vacancy(vacancy_id, edit=True))
