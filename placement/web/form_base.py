"""The base of every form: a control character in any field is an error next to that field.

A NUL byte or another C0 control character (but tab, line feed, carriage return) belongs in no
field of ours, and PostgreSQL refuses NUL in text. Checked here, before the field's own
validators, for every field, nested ones (qualifications, languages) included, so the form is
shown again with the message at the field (issue 11, finding 10) instead of an error page.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField

from placement import limits

CONTROL_MESSAGE = _l("This field contains a control character (such as NUL). Remove it.")


def _leaves(fields):
    for field in fields:
        if isinstance(field, FormField):
            yield from _leaves(field.form)
        elif isinstance(field, FieldList):
            yield from _leaves(field.entries)
        else:
            yield field


class BaseForm(FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        for field in _leaves(self):
            raw = [v for v in field.raw_data or () if isinstance(v, str)]
            # A processing error: Field.validate starts the field's errors from these.
            if any(map(limits.CONTROL.search, raw)) and CONTROL_MESSAGE not in field.process_errors:
                field.process_errors.append(CONTROL_MESSAGE)
        return super().validate(extra_validators)
