"""Forms of import and export."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, SelectField

from placement.web.fields import choices
from placement.web.form_base import BaseForm

MAX_BYTES = 5 * 1024 * 1024


ENCODING_CHOICES = [("", _l("Recognise automatically")), ("utf-8", "UTF-8"),
                    ("cp1252", _l("Windows-1252 (older Excel, Western Europe)")),
                    ("utf-16", _l("UTF-16 (Excel “Unicode text”)"))]  # fmt: skip
DELIMITER_CHOICES = [("", _l("Recognise automatically")), (";", _l("Semicolon ;")),
                     (",", _l("Comma ,")), ("tab", _l("Tab"))]  # fmt: skip


class ReadAsForm(BaseForm):
    """How to read a CSV file: the guess, or what the counsellor says."""

    encoding = SelectField(_l("Encoding"), choices=choices(ENCODING_CHOICES), default="")
    delimiter = SelectField(_l("Separator"), choices=choices(DELIMITER_CHOICES), default="")


class ImportForm(ReadAsForm):
    kind = SelectField(
        _l("What the file holds"),
        choices=choices([("participants", _l("Participants")), ("vacancies", _l("Vacancies"))]),
    )
    file = FileField(
        _l("File (a CSV or Excel table, or a file exported here)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileSize(MAX_BYTES, message=_l("The file is larger than 5 MB.")),
        ],
    )
    all_or_nothing = BooleanField(_l("All or nothing: if any row is invalid, import nothing"))
