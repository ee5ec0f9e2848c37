"""Forms of the admin area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from placement import vocab
from placement.web.fields import PasswordMixin, choices
from placement.web.form_base import BaseForm


class UserForm(PasswordMixin, BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=choices(vocab.ROLES))
    organisation_id = SelectField(_l("Organisation (employers)"), coerce=int, choices=[])

    def validate_organisation_id(self, field):
        if self.role.data == "employer" and not field.data:
            raise ValidationError(_l("An employer account belongs to an organisation."))
