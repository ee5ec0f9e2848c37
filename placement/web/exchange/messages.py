"""The problems of an import row in the reader's language, with columns named by their heading.

Every problem is a RecordError with a code, the field and parameters (the engine's, the limits
of placement/limits.py, the import's own checks and the file's shape); the preview words them as
every page does (placement/web/wording.py: record_error) and names the column as the template
heads it ("Arbeitserlaubnis"), not by its code.
"""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from placement.exchange.words import COLUMNS
from placement.web.wording import record_error


def _language() -> str:
    return "de" if str(get_locale()).startswith("de") else "en"


def _heading(key: str) -> str:
    for columns in COLUMNS.values():
        for column in columns:
            if column.key == key:
                return column.heading(_language())
    return key


def _column(field: str) -> Markup:
    quoted = "„%s“" if _language() == "de" else "“%s”"
    return Markup(quoted) % _heading(field)


def say(problem) -> str:
    """One problem of a row (a RecordError) as the reader is told it."""
    if getattr(problem, "code", None) == "not_bool":  # a table says yes or no (ja/nein)
        return _("%(column)s: write yes or no.", column=_heading(problem.field or ""))
    return record_error(problem, column_name=_column, heading=lambda f: escape(_heading(f)))
