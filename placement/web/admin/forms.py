"""Forms of the admin area: an account (invited, then edited) and the audit log filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from placement import vocab
from placement.employers.services import organisations_query
from placement.extensions import db
from placement.web.fields import choices
from placement.web.form_base import BaseForm


class UserForm(BaseForm):
    """Name, address, role and organisation; no password: the person chooses it."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=choices(vocab.ROLES))
    organisation_id = SelectField(_l("Organisation (employers)"), coerce=int, choices=[])

    def validate_organisation_id(self, field):
        if self.role.data == "employer" and not field.data:
            raise ValidationError(_l("An employer account belongs to an organisation."))

    def with_organisations(self) -> list:
        orgs = db.session.scalars(organisations_query()).all()
        self.organisation_id.choices = choices([(0, "—")] + [(o.id, o.name) for o in orgs])
        return orgs


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    actor = EmailField(_l("Who (e-mail)"), validators=[Optional(), Length(max=254)])
    action = SelectField(_l("What"), choices=[], validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
    subject_type = SelectField(_l("Record"), choices=[], validators=[Optional()])
    subject_id = IntegerField(
        _l("Record number"), validators=[Optional(), NumberRange(1, 2**31 - 1)]
    )

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end lies before the start."))
