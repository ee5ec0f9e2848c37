"""The problems of an import row in the reader's language, with columns named by their heading.

Validation (placement/exchange, the engine's records) raises RecordErrors with a code, the field
and parameters; the preview words the coded ones as every page does (placement/web/wording.py)
and names the column as the template heads it ("Arbeitserlaubnis"), not by its code. The
problems without a code ("invalid": the limits, employers, ids, the file's shape) are matched by
their English wording below; a shape not listed keeps its wording, with the column names replaced.
"""

from __future__ import annotations

import re

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from placement.exchange.words import COLUMNS
from placement.web.wording import record_error

_FIELD = r"'(?P<field>\w+)'"
_VALUE = r"'(?P<value>.*)'"


def _patterns():
    return [
        (rf"^{_FIELD} is not a valid address: {_VALUE}$",
         lambda m: _("%(column)s: “%(value)s” is not an e-mail address.", **m)),
        (r"^'phase' must be 4 or 5, got (?P<value>.*)$",
         lambda m: _("%(column)s: “%(value)s” is neither 4 nor 5.", **m)),
        (rf"^id {_VALUE} appears twice in the file$",
         lambda m: _("The ID “%(value)s” appears twice in the file.", **m)),
        (rf"^id {_VALUE} has been imported already$",
         lambda m: _("The ID “%(value)s” has been imported already.", **m)),
        (rf"^unknown employer {_VALUE}$",
         lambda m: _("No employer is called “%(value)s”: give its exact name or number.", **m)),
        (r"^each language needs a 'code' and a 'level' \(A1-C2 or native\)$",
         lambda m: _("Languages: give each with its level, e.g. “Ukrainisch: Muttersprache; "
                     "Englisch: B1”.")),
        (r"^each qualification needs a 'title'$",
         lambda m: _("A qualification needs its title (column “%(column)s”).",
                     column=_heading("qualification_title"))),
        (r"^an internship needs 'duration_weeks'$",
         lambda m: _("An internship needs its duration (column “%(column)s”).",
                     column=_heading("duration_weeks"))),
        (r"^more values than columns$", lambda m: _("More values than columns.")),
        (r"^missing employer: ",
         lambda m: _("%(column)s is missing: give the employer's name or number.",
                     column=_heading("employer"))),
        (rf"^(?P<n>\d+) employers are named {_VALUE} \(ids (?P<ids>[^)]*)\): ",
         lambda m: _("%(n)s employers are called “%(value)s” (numbers %(ids)s): give the "
                     "number instead.", **m)),
        (r"^(?P<value>.*) is not approved yet: import the vacancy as a draft$",
         lambda m: _("%(value)s is not approved yet: import the vacancy as a draft.", **m)),
        # The limits of placement/limits.py, the same a form applies.
        (rf"^(?:qualification )?{_FIELD} must be between (?P<low>\S+) and (?P<high>\S+)$",
         lambda m: _("%(column)s must be between %(low)s and %(high)s.", **m)),
        (rf"^{_FIELD} must lie between (?P<low>\d+) and (?P<high>\d+)$",
         lambda m: _("%(column)s must lie between the years %(low)s and %(high)s.", **m)),
        (rf"^(?:qualification )?{_FIELD} is longer than (?P<n>\d+) characters$",
         lambda m: _("%(column)s is longer than %(n)s characters.", **m)),
        (rf"^(?:qualification )?{_FIELD} (?:.* )?contains a word longer than (?P<n>\d+) "
         r"characters$",
         lambda m: _("%(column)s contains a word longer than %(n)s characters.", **m)),
        (rf"^(?:qualification )?{_FIELD} (?:.* )?contains a control character",
         lambda m: _("%(column)s contains a control character.", **m)),
        (rf"^(?:qualification )?{_FIELD} (?:.* )?must be on one line$",
         lambda m: _("%(column)s must be on one line.", **m)),
        (rf"^{_FIELD} has more than (?P<n>\d+) entries$",
         lambda m: _("%(column)s has more than %(n)s entries.", **m)),
        (r"^qualification 'country' must be a two-letter ISO code",
         lambda m: _("%(column)s: write the two-letter country code, e.g. UA.",
                     column=_heading("qualification_country"))),
    ]  # fmt: skip


def _language() -> str:
    return "de" if str(get_locale()).startswith("de") else "en"


QUALIFICATION_PARTS = {"title", "country", "year", "recognition", "reference_occupation"}


def _heading(key: str) -> str:
    for columns in COLUMNS.values():
        for column in columns:
            if column.key == key:
                return column.heading(_language())
    return key


def say(problem) -> str:
    """One problem of a row (a RecordError, or its message) as the reader is told it."""
    message = str(problem)
    if getattr(problem, "code", "invalid") != "invalid":

        def column(field: str) -> Markup:
            if message.startswith("qualification ") and field in QUALIFICATION_PARTS:
                field = f"qualification_{field}"
            quoted = "„%s“" if _language() == "de" else "“%s”"
            return Markup(quoted) % _heading(field)

        if problem.code == "not_bool":  # a table says yes or no (ja/nein), not true or false
            return _("%(column)s: write yes or no.", column=_heading(problem.field or ""))
        return record_error(problem, column_name=column)
    for pattern, words in _patterns():
        found = re.match(pattern, message)
        if found:
            values = found.groupdict()
            if "field" in values:
                field = values.pop("field")
                if message.startswith("qualification ") and field in QUALIFICATION_PARTS:
                    field = f"qualification_{field}"
                values["column"] = _heading(field)
            values.setdefault("column", _heading("phase"))
            return words(values)
    return re.sub(r"'(\w+)'", lambda m: f"„{_heading(m.group(1))}“" if _language() == "de"
                  else f"“{_heading(m.group(1))}”", message)  # fmt: skip
