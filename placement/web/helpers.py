"""Template helpers: the globals and filters every template may use, registered in one place
(``register``, called by the factory). Blueprints register none of their own. Templates never
query: what needs the database (``occupation_summary``, ``organisation_badge``) the views call
and pass to the template."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from placement import vocab
from placement.employers import services as employer_services
from placement.employers.models import Vacancy
from placement.matches import occupations as occupation_services
from placement.participants.models import Participant
from placement.training import services as training
from placement.training.modules import text
from placement.web import wording
from placement.web.guards import training_modules
from placement.web.matches import explaining

# KldB 2010, 5th digit: the requirement level of the job.
LEVELS = {1: _l("Helper"), 2: _l("Skilled worker"), 3: _l("Specialist"), 4: _l("Expert")}

# Button labels of the lifecycle steps: (from, to) first, then any move to "to".
STEP_LABELS = {
    ("paused", "published"): _l("Resume"),
    ("closed", "published"): _l("Re-open"),
    "published": _l("Publish"),
    "paused": _l("Pause"),
    "filled": _l("Mark as filled"),
    "closed": _l("Close"),
}


def vacancy_steps(vacancy: Vacancy) -> list[tuple[str, str]]:
    """The lifecycle steps open to a vacancy now, as (status, button label)."""
    return [
        (step, STEP_LABELS.get((vacancy.status, step), STEP_LABELS[step]))
        for step in employer_services.next_statuses(vacancy)
    ]


def occupation_summary(item: Participant | Vacancy) -> dict:
    """Detected and corrected occupations of a record, for the counsellor pages."""
    return {
        "detected": occupation_services.detected_concepts(item),
        "corrected": occupation_services.corrected_concepts(item),
        "levels": LEVELS,
    }


def organisation_badge(organisation) -> bool:
    """For ``_badge.html``: does the organisation hold the training badge (with the modules
    this process loaded)."""
    return training.organisation_badge(organisation, training_modules())


def localized(value: dict[str, str]) -> str:
    """A {de: ..., en: ...} text of module content in the UI language."""
    return text(value, get_locale())


def register(app: Flask) -> None:
    """Make the helpers available to every template."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        vocab=vocab,
        vacancy_steps=vacancy_steps,
    )
    app.jinja_env.filters.update(localized=localized)
    wording.register(app)  # the engine's codes, dates, numbers and scores in the reader's words
    explaining.register(app)  # a match explained: score parts, skills, reasons, requirements

    @app.context_processor
    def current_locale() -> dict:
        return {"current_locale": str(get_locale())}
