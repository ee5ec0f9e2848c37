"""Forms of the counsellors' proposal pages: status, notes, consent recorded on paper."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from placement import vocab
from placement.web.fields import OptionalSelectField, choices
from placement.web.form_base import BaseForm
from placement.web.participant.forms import ConsentForm


class StatusForm(BaseForm):
    to_status = SelectField(_l("New status"), choices=[])
    reason = OptionalSelectField(
        _l("Reason for declining"),
        choices=choices([("", "—"), *vocab.DECLINE_REASONS.items()]),
        default="",
    )


class NoteForm(BaseForm):
    text = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=5000)])


class RecordedConsentForm(ConsentForm):
    """The participant's consent as a counsellor records it: the same choice of employer, plus
    the counsellor's statement that the participant agreed."""

    agreed = BooleanField(
        _l("The participant agreed to share their profile with this employer"),
        validators=[DataRequired(_l("Record consent only when the participant agreed."))],
    )
