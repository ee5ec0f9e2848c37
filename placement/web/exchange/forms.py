"""Forms of import and export."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, SelectField

from placement.web.fields import choices
from placement.web.form_base import BaseForm

MAX_BYTES = 5 * 1024 * 1024


class ImportForm(BaseForm):
    kind = SelectField(
        _l("What the file holds"),
        choices=choices([("participants", _l("Participants")), ("vacancies", _l("Vacancies"))]),
    )
    file = FileField(
        _l("File (a CSV table or a file exported here)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileSize(MAX_BYTES, message=_l("The file is larger than 5 MB.")),
        ],
    )
    all_or_nothing = BooleanField(_l("All or nothing: if any row is invalid, import nothing"))
