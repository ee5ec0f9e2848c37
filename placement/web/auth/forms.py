"""Forms of signing in (password, second factor), confirming the password, setting a password
from an e-mailed link, and employer self-registration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from placement.web.fields import PasswordMixin
from placement.web.form_base import BaseForm
from placement.web.organisations.forms import OrganisationForm


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class ConfirmPasswordForm(BaseForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    next = HiddenField()


class EmployerRegistrationForm(PasswordMixin, OrganisationForm):
    """The organisation profile plus the person who registers it."""

    your_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("Your e-mail (to sign in)"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    # The contact person is the one who registers (your_name, email): the page shows no other,
    # so a value posted there could only be refused at a field nobody sees.
    contact_name = None
    contact_email = None


class ForgotForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class NewPasswordForm(PasswordMixin, BaseForm):
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class CodeForm(BaseForm):
    """A code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text"},
    )
