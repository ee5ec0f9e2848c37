"""How the app says what it shows, in the reader's language: the engine's codes (constraint
details, next steps, reasons), dates and times (Europe/Berlin), numbers, distances and scores.

The engine explains with codes and parameters (see placement/matching/constraints.py and
explain.py); this module is the one place that words them for people. Stored match snapshots
use the same codes, so a proposal reads in its reader's language; snapshots from before the
codes hold English sentences and are shown as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from flask import Flask
from flask_babel import (
    format_date,
    format_time,
    get_locale,
    ngettext,
)
from markupsafe import Markup, escape

from placement.matching import split_typical
from placement.placements.schedule import parse_schedule, step_parts
from placement.vocab import FOLLOW_UP_LABELS
from placement.web import i18n
from placement.web.i18n import gettext as _
from placement.web.i18n import lazy_gettext as _l

TEXTS = {
    "work_permit.unknown": _l("Permission to work not recorded"),
    "work_permit.not_permitted": _l("No permission to work (Erwerbstätigkeit nicht gestattet)"),
    "work_permit.approval_required": _l(
        "The permission must be requested for this job (Beschäftigung nur mit Genehmigung)"
    ),
    "work_permit.any_work": _l("May work (any work)"),
    "work_permit.employment": _l("May work (employment)"),
    "german.not_required": _l("No German level required"),
    "german.unknown": _l("German %(need)s required; level not recorded"),
    "german.met": _l("German %(have)s (%(need)s required)"),
    "german.one_below": _l("German %(have)s, one level below the required %(need)s"),
    "german.below": _l("German %(have)s, %(gap)s levels below the required %(need)s"),
    "recognition.not_required": _l("No recognition required"),
    "recognition.unknown": _l("Recognition required; status not recorded"),
    "recognition.recognised": _l("Recognition required: recognised"),
    "recognition.not_needed": _l("Recognition required: marked as not needed"),
    "recognition.partial_fits": _l("Partly recognised: fits this adaptation placement only"),
    "recognition.partial": _l("Partly recognised; the regulated job needs full recognition"),
    "recognition.in_process": _l("Recognition in process; required before starting work"),
    "recognition.not_applied": _l("Recognition required but not applied for"),
    "commute.no_postcode": _l("Distance unknown (postcode not recorded)"),
    "commute.unknown_postcode": _l("Distance unknown (unknown postcode %(postcodes)s)"),
    "commute.no_limit": _l("%(km)s, no limit for the commute"),
    "commute.within": _l("%(km)s (limit %(limit)s)"),
    "commute.too_far": _l("Too far: %(km)s (limit %(limit)s)"),
    "hours.not_given": _l("No weekly hours given"),
    "hours.unknown": _l("%(need)s hours a week needed; availability not recorded"),
    "hours.met": _l("Available %(have)s hours a week (%(need)s needed)"),
    "hours.short": _l("Available %(have)s hours a week; the job needs %(need)s"),
    "permit.no_expiry": _l("No expiry date recorded"),
    "permit.expired": _l("Residence document expired on %(date)s"),
    "permit.expires_soon": _l("Residence document expires on %(date)s (in %(days)s days)"),
    "permit.valid": _l("Residence document valid until %(date)s"),
    "step.check_residence_status": _l("Check the residence status with the Ausländerbehörde"),
    "step.request_permit": _l("Request the permission from the Ausländerbehörde"),
    "step.language_course": _l("Berufssprachkurs %(have)s → %(need)s"),
    "step.language_courses": _l("Berufssprachkurse %(have)s → %(need)s (several courses)"),
    "step.adaptation_remaining": _l("Anpassungsqualifizierung to close the remaining differences"),
    "step.adaptation_full": _l("Anpassungsqualifizierung for full recognition"),
    "step.follow_up_recognition": _l("Follow up the decision on recognition"),
    "step.apply_recognition": _l("Apply for recognition (Anerkennung)"),
    "step.discuss_commute": _l("Discuss moving or a longer commute with the participant"),
    "step.ask_part_time": _l(
        "Ask the employer about part-time; check childcare or other limits on availability"
    ),
    "step.renew_permit": _l("Renew the residence document at the Ausländerbehörde"),
}

# The parts of a score (placement/matching/engine.py).
PARTS = {
    "semantic": _l("Meaning of the texts"),
    "concept": _l("Occupation"),
    "skills": _l("Skills"),
    "phase": _l("Fit to the phase"),
    "occupation": _l("Occupation (ESCO)"),
    "occupation_lexical": _l("Occupation: same words"),
    "occupation_use": _l("Occupation: same meaning (model 1)"),
    "occupation_e5": _l("Occupation: same meaning (model 2)"),
}

# The lexicon's occupational fields (placement/matching/lexicon_schema.py FIELDS).
FIELDS = {
    "care": _l("care"),
    "health": _l("health"),
    "education": _l("education"),
    "social": _l("social work"),
    "construction": _l("construction"),
    "craft": _l("crafts and trades"),
    "manufacturing": _l("manufacturing"),
    "engineering": _l("engineering"),
    "it": _l("IT"),
    "logistics": _l("logistics"),
    "transport": _l("transport"),
    "hospitality": _l("hospitality"),
    "food": _l("food"),
    "cleaning": _l("cleaning"),
    "retail": _l("retail"),
    "office": _l("office"),
    "agriculture": _l("agriculture"),
    "security": _l("security"),
    "beauty": _l("beauty care"),
    "media": _l("media"),
    "science": _l("science"),
}


def field_of(item, key: str, default=None):
    """A field of an engine result or check, or of the dict a proposal stored of it; `default`
    when it is missing or None."""
    value = item.get(key, default) if isinstance(item, Mapping) else getattr(item, key, default)
    return default if value is None else value


# -- numbers, distances, scores, dates ------------------------------------------------------
def number(value: float | None, digits: int = 0) -> str:
    """A number in the reader's locale ("0,7" in German), rounded to `digits` decimals."""
    if value is None:
        return "—"
    return i18n.decimal(round(float(value), digits), "#,##0." + "#" * digits)


def km(value: float | None) -> str:
    """A distance: one decimal below 10 km ("0,7 km"), whole kilometres above."""
    if value is None:
        return "—"
    return f"{number(value, 1 if float(value) < 10 else 0)} km"


def percent(value: float | None) -> str:
    """A score or weight in [0, 1] on the one scale the app shows: whole percent ("76 %")."""
    if value is None:
        return "—"
    return i18n.percent(round(float(value), 2))


def _as_date(value) -> dt.date | dt.datetime | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value


def date(value) -> str:
    """A date (or an ISO date string) in the reader's locale: "04.03.2027" / "Mar 4, 2027"."""
    value = _as_date(value)
    if value is None:
        return "—"
    return format_date(value, "medium")


def datetime(value: dt.datetime | None) -> str:
    """A stored UTC time in Europe/Berlin time, in the reader's locale (no seconds)."""
    if value is None:
        return "—"
    return f"{format_date(value, 'medium')}, {format_time(value, 'short')}"


# -- the engine's codes ----------------------------------------------------------------------
def _params(params: Mapping) -> dict:
    """The parameters as a reader sees them: localised numbers, distances and dates."""
    out = dict(params)
    for key in ("km", "limit"):
        if out.get(key) is not None:
            out[key] = km(out[key])
    for key in ("have", "need"):
        if isinstance(out.get(key), int | float):
            out[key] = number(out[key], 1)
    if out.get("date"):
        out["date"] = date(out["date"])
    return out


def _say(code: str | None, params: Mapping, fallback: str | None) -> str | None:
    if code in TEXTS:
        return str(TEXTS[code]) % _params(params)
    return fallback


def check_detail(check) -> str:
    """What a constraint check found (a ConstraintCheck or its stored dict)."""
    params = field_of(check, "params") or {}
    return _say(field_of(check, "code"), params, field_of(check, "detail")) or "—"


def check_step(check) -> str | None:
    """What would close the gap or must be done, or None."""
    step = field_of(check, "step")
    if step is None and field_of(check, "code") in TEXTS:
        return None
    return _say(step, field_of(check, "params") or {}, field_of(check, "next_step"))


def skill(name: str) -> str:
    """A matched skill; one typical of the participant's occupation says so."""
    head, title = split_typical(name)
    return _("%(skill)s (typical of %(title)s)", skill=head, title=title) if title else head


def skills(names: list[str]) -> str:
    """Skills as a list in words ("—" when there are none)."""
    return ", ".join(skill(n) for n in names) or "—"


def reason(item) -> str:
    """One reason of a match (a Reason or its stored dict); an old stored English sentence is
    shown as it is."""
    if isinstance(item, str):
        return item
    code, p = field_of(item, "code"), dict(field_of(item, "params") or {})
    if code == "constraint":
        text = check_detail(p)
        if p.get("status") == "near_miss":
            text = _("Near miss: %(detail)s", detail=text)
        step = check_step(p)
        return _("%(detail)s; next step: %(step)s", detail=text, step=step) if step else text
    if code == "same_occupation":
        return _("Same occupation: %(title)s", title=p["title"])
    if code == "step_up":
        return _("Related occupation (a step up from %(other)s): %(title)s",
                 other=p["from"], title=p["title"])  # fmt: skip
    if code == "same_ladder":
        return _("Related occupation (same career ladder as %(other)s): %(title)s",
                 other=p["from"], title=p["title"])  # fmt: skip
    if code == "same_field":
        field = FIELDS.get(p.get("field"), p.get("field"))
        return _("Same field (%(field)s): %(title)s", field=field, title=p["title"])
    if code == "matched_skills":
        shown = skills(p.get("skills") or [])
        if p.get("more"):
            shown += " " + _("(and %(n)d more)", n=p["more"])
        return _("Matched skills: %(skills)s", skills=shown)
    if code == "esco_occupation":
        return _("ESCO occupation: %(title)s (%(score)s)", title=p["title"],
                 score=percent(p.get("score")))  # fmt: skip
    if code == "similar_text":
        return _("Similar profile text")
    return field_of(item, "text") or "—"


def language_name(code: str | None) -> str:
    """A language's name in the reader's language ("tw" -> "Twi")."""
    if not code:
        return "—"
    return get_locale().languages.get(code) or code


def country_name(code: str | None) -> str:
    """A country's name in the reader's language ("GH" -> "Ghana")."""
    if not code:
        return "—"
    return get_locale().territories.get(code.upper()) or code


def follow_up_step(label: str | None) -> str:
    """A follow-up's step in words: "4w" -> "4 weeks after the start"; "risk", "extra"."""
    step = step_parts(label or "")
    if step is None:
        return str(FOLLOW_UP_LABELS.get(label, _("another follow-up")))
    n, unit = step
    if unit == "d":
        return ngettext("%(num)d day after the start", "%(num)d days after the start", n)
    if unit == "w":
        return ngettext("%(num)d week after the start", "%(num)d weeks after the start", n)
    if unit == "m":
        return ngettext("%(num)d month after the start", "%(num)d months after the start", n)
    return ngettext("%(num)d year after the start", "%(num)d years after the start", n)


def schedule(text: str | None) -> str:
    """A follow-up schedule in words: "4w,3m" -> "4 weeks, 3 months after the start"."""
    return ", ".join(follow_up_step(s) for s in parse_schedule(text))


def vacancy_error(error) -> str:
    """A refused vacancy change (employers.services.VacancyError) in the reader's language."""
    from placement.vocab import VACANCY_STATUSES

    code, p = getattr(error, "code", "other"), getattr(error, "params", {})
    if code == "not_approved":
        return _(
            "Your organisation has not been approved yet: save the vacancy as a draft. A "
            "counsellor approves the organisation, then you can publish it."
        )
    if code == "transition":
        return _(
            "A vacancy cannot go from “%(a)s” to “%(b)s”.",
            a=VACANCY_STATUSES.get(p.get("from_status"), "—"),
            b=VACANCY_STATUSES.get(p.get("to_status"), "—"),
        )
    return _("This status change is not possible.")


def _as_code(text) -> Markup:
    return Markup("<code>%s</code>") % text


def record_error(problem, column_name=_as_code, heading=escape) -> Markup:
    """Why an imported row was refused, in the reader's language: a RecordError with its code
    (the engine's, placement/limits.py's Problem codes, and those of placement/exchange: ids,
    employers, languages, qualifications, the file's shape). Column names and values are shown
    as code, as they are written in the file, unless ``column_name`` (field -> Markup) names the
    column otherwise (by its heading); ``heading`` (field -> Markup) names it without quotes."""
    code, p = getattr(problem, "code", "invalid"), getattr(problem, "params", {})
    field = getattr(problem, "field", None) or ""
    column, name = column_name(field), heading(field)  # "„Sprachen“", "Sprachen"
    value = Markup("<code>%s</code>") % p.get("value", "")
    said = escape(p.get("value", ""))  # a value inside quotes of the text
    choices = Markup(", ").join(Markup("<code>%s</code>") % c for c in p.get("choices", []))
    n, low, high = (number(p[k]) if k in p else "" for k in ("n", "low", "high"))
    texts = {
        "missing": lambda: _("The column %(c)s is missing or empty.", c=column),
        "not_text": lambda: _("The column %(c)s must contain text.", c=column),
        "not_list": lambda: _("The column %(c)s must contain a list of texts.", c=column),
        "not_number": lambda: _("The column %(c)s must contain a number.", c=column),
        "negative": lambda: _("The column %(c)s must not be negative.", c=column),
        "not_whole": lambda: _("The column %(c)s must contain a whole number.", c=column),
        "not_bool": lambda: _("The column %(c)s must contain true or false.", c=column),
        "not_one_of": lambda: _("The column %(c)s contains %(v)s; allowed are: %(choices)s.",
                                c=column, v=value, choices=choices),
        "not_postcode": lambda: _("The column %(c)s contains %(v)s, not a German postcode "
                                  "(up to 5 digits).", c=column, v=value),
        "not_date": lambda: _("The column %(c)s contains %(v)s, not a date (e.g. "
                              "31.12.2026).", c=column, v=value),
        "too_long": lambda: _("The column %(c)s is longer than %(n)s characters.", c=column,
                              n=number(p.get("max_len"))),
        # placement/limits.py: the limits a form applies
        "control_char": lambda: _("%(column)s contains a control character.", column=name),
        "multi_line": lambda: _("%(column)s must be on one line.", column=name),
        "long_word": lambda: _("%(column)s contains a word longer than %(n)s characters.",
                               column=name, n=n),
        "too_many": lambda: _("%(column)s has more than %(n)s entries.", column=name, n=n),
        "out_of_range": lambda: _("%(column)s must be between %(low)s and %(high)s.",
                                  column=name, low=low, high=high),
        "date_range": lambda: _("%(column)s must lie between the years %(low)s and %(high)s.",
                                column=name, low=p.get("low"), high=p.get("high")),
        "not_country": lambda: _("%(column)s: write the two-letter country code, e.g. UA.",
                                 column=name),
        "not_language": lambda: _("Languages: give each with its level, e.g. “Ukrainisch: "
                                  "Muttersprache; Englisch: B1”."),
        # placement/exchange: the checks of an import
        "language_entry": lambda: _("Languages: give each with its level, e.g. “Ukrainisch: "
                                    "Muttersprache; Englisch: B1”."),
        "qualification_title": lambda: _("A qualification needs its title (column %(column)s).",
                                         column=column),
        "internship_duration": lambda: _("An internship needs its duration (column "
                                         "%(column)s).", column=column),
        "not_email": lambda: _("%(column)s: “%(value)s” is not an e-mail address.",
                               column=name, value=said),
        "duplicate_id": lambda: _("The ID “%(value)s” appears twice in the file.", value=said),
        "imported_id": lambda: _("The ID “%(value)s” has been imported already.", value=said),
        "missing_employer": lambda: _("%(column)s is missing: give the employer's name or "
                                      "number.", column=name),
        "unknown_employer": lambda: _("No employer is called “%(value)s”: give its exact name "
                                      "or number.", value=said),
        "ambiguous_employer": lambda: _("%(n)s employers are called “%(value)s” (numbers "
                                        "%(ids)s): give the number instead.", n=n, value=said,
                                        ids=escape(p.get("ids", ""))),
        "not_approved": lambda: _("%(value)s is not approved yet: import the vacancy as a "
                                  "draft.", value=said),
        # the shape of the file
        "more_values": lambda: _("More values than columns."),
        "unbalanced_quote": lambda: _("A quote (\") is closed only on line %(line)s, taking the "
                                      "rows in between: check for an unbalanced quote.",
                                      line=escape(p.get("line", ""))),
        "too_many_rows": lambda: _("The file has more than %(n)s rows: split it into smaller "
                                   "files.", n=n),
        "csv_error": lambda: _("The file cannot be read from this line on (%(detail)s): check "
                               "for an unbalanced quote (\").", detail=escape(p.get("detail", ""))),
        "not_json": lambda: _("This line is invalid JSON (%(detail)s).",
                              detail=escape(p.get("detail", ""))),
        "not_object": lambda: _("A line must hold one JSON object."),
    }  # fmt: skip
    if code == "missing" and p.get("choices"):
        return Markup(_("The column %(c)s is missing or empty; allowed are: %(choices)s.",
                        c=column, choices=choices))  # fmt: skip
    if code in texts:
        return Markup(texts[code]())
    return Markup(_("This row cannot be read: %(reason)s", reason=escape(str(problem))))


def part_label(name: str) -> str:
    """The name of a part of the score."""
    return str(PARTS.get(name, _("another part")))


def register(app: Flask) -> None:
    """Make the helpers available in every template."""
    i18n.init_app(app)
    for name in ("number", "km", "percent", "date", "datetime", "skills", "schedule"):
        app.jinja_env.filters[name] = globals()[name]
    for fn in (check_detail, check_step, reason, skill, part_label, language_name, country_name,
               follow_up_step, record_error):  # fmt: skip
        app.jinja_env.globals[fn.__name__] = fn
