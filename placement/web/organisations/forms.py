"""Forms of the organisations area: an organisation's profile, its outreach status, a contact."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Email, Length, Optional

from placement import vocab
from placement.web.fields import (
    POSTCODE,
    DateField,
    Words,
    blank_to_none,
    choices,
    within_limits,
)
from placement.web.form_base import BaseForm


class OrganisationForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    sector = StringField(_l("Sector"), validators=[Optional(), Length(max=60)])
    street = StringField(_l("Street"), validators=[Optional(), Length(max=200)])
    postcode = StringField(_l("Postcode"), validators=[Optional(), POSTCODE])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    website = URLField(
        _l("Website"), validators=[Optional(), URL(), Length(max=300)], filters=[blank_to_none]
    )
    description = TextAreaField(
        _l("About the organisation"), validators=[Optional(), Length(max=5000), Words()]
    )
    employees = IntegerField(_l("Employees"), validators=[Optional(), within_limits("employees")])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_email = EmailField(
        _l("Contact e-mail"),
        validators=[Optional(), Email(), Length(max=254)],
        filters=[blank_to_none],
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)])


class OutreachStatusForm(BaseForm):
    outreach_status = SelectField(_l("Outreach status"), choices=choices(vocab.OUTREACH_STATUSES))


class ContactForm(BaseForm):
    contacted_on = DateField(_l("Date of contact"), validators=[DataRequired()])
    channel = SelectField(_l("Channel"), choices=choices(vocab.CONTACT_CHANNELS))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    next_step = StringField(_l("Next step"), validators=[Optional(), Length(max=300)])
    due_on = DateField(_l("Next step due on"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        # Cross-field rule (Optional() stops inline validators of an empty field).
        valid = super().validate(extra_validators)
        has_step = bool((self.next_step.data or "").strip())
        if has_step and not self.due_on.data and not self.due_on.errors:
            self.due_on.errors = [_l("A next step needs a due date.")]
            valid = False
        elif self.due_on.data and not has_step:
            self.next_step.errors = [_l("Describe the next step for this date.")]
            valid = False
        return valid
