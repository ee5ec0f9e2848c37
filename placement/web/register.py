"""Employer self-registration: an organisation and its first account, approved later by staff."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from placement.accounts.services import AccountError, find_user
from placement.employers import services
from placement.extensions import db, limiter
from placement.web.forms import OrganisationForm, PasswordMixin

bp = Blueprint("register", __name__, url_prefix="/register")


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

    def validate_email(self, field):
        if find_user(field.data) is not None:
            raise ValidationError(_l("An account with this e-mail exists already. Sign in."))


ORGANISATION_KEYS = ("name", "sector", "street", "postcode", "city", "website", "description",
                     "employees", "contact_phone")  # fmt: skip


@bp.route("/employer", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def employer():
    """Register an organisation and its first employer account; a counsellor approves it."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = EmployerRegistrationForm()
    if form.validate_on_submit():
        data = {key: form[key].data for key in ORGANISATION_KEYS}
        try:
            user = services.register_employer(
                data, form.your_name.data, form.email.data, form.password.data,
                locale=str(get_locale()),
            )  # fmt: skip
        except AccountError:
            # A race with another registration of the same address: shown next to the field.
            db.session.rollback()
            form.email.errors.append(_("An account with this e-mail exists already. Sign in."))
        else:
            db.session.commit()
            locale = session.get("locale")
            session.clear()  # a new session on login
            if locale:
                session["locale"] = locale
            login_user(user)
            flash(
                _("Welcome! Your organisation is registered. A counsellor will approve it; until "
                  "then you can prepare vacancies as drafts."),
                "success",
            )  # fmt: skip
            return redirect(url_for("employer.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("register/employer.html", form=form), status
