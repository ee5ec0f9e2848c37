"""Forms of the participant area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from placement.web.form_base import BaseForm
from placement.web.forms import OptionalSelectField


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


class ConsentForm(BaseForm):
    organisation_id = OptionalSelectField(
        _l("Employer"),
        coerce=_int_or_none,
        choices=[],
        validators=[DataRequired(message=_l("Choose an employer."))],
    )


class EraseForm(BaseForm):
    confirm = BooleanField(
        _l(
            "I understand: my profile, my consents, my proposals and my account are deleted and "
            "cannot be restored."
        ),
        validators=[DataRequired(message=_l("Please confirm that you want this."))],
    )
