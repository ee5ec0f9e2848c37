"""Employer self-registration: an organisation and its first account, approved later by staff.

The account acts only after the e-mail address is confirmed through a signed link. The page
after registering is the same whether the address had an account already or not (that case
gets an e-mail instead), so the form does not tell which addresses have accounts.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from placement.accounts import verification
from placement.accounts.models import User
from placement.accounts.services import AccountError, find_user, get_user, verify_email
from placement.employers import services
from placement.extensions import limiter
from placement.placements.mail import MailError
from placement.web import transaction
from placement.web.auth.forms import EmployerRegistrationForm
from placement.web.mail import send_mail

bp = Blueprint("register", __name__, url_prefix="/register")


ORGANISATION_KEYS = ("name", "sector", "street", "postcode", "city", "website", "description",
                     "employees", "contact_phone")  # fmt: skip


def send_verification(user: User) -> None:
    """Mail the account a fresh verification link (a failing mail server is logged, not shown:
    the person can ask for a new link by signing in)."""
    token = verification.make_token(current_app.config["SECRET_KEY"], user)
    base = current_app.config.get("PLACEMENT_BASE_URL") or request.host_url
    link = base.rstrip("/") + url_for("register.verify", token=token)
    subject, body = verification.verification_mail(user.name, link)
    _send(user.email, subject, body)


def _send(to: str, subject: str, body: str) -> None:
    try:
        send_mail(to, subject, body)
    except MailError:
        current_app.logger.exception("verification mail not sent")


@bp.route("/employer", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def employer():
    """Register an organisation and its first employer account; a counsellor approves it."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = EmployerRegistrationForm()
    if form.validate_on_submit():
        if find_user(form.email.data) is not None:
            # Same page as a new registration; the owner learns it by e-mail. Nothing is stored.
            base = current_app.config.get("PLACEMENT_BASE_URL") or request.host_url
            _send(form.email.data, *verification.account_exists_mail(
                base.rstrip("/") + url_for("auth.login")))  # fmt: skip
            return render_template("auth/check_mail.html")
        data = {key: form[key].data for key in ORGANISATION_KEYS}
        try:
            user = services.register_employer(
                data, form.your_name.data, form.email.data, form.password.data,
                locale=str(get_locale()),
            )  # fmt: skip
        except AccountError:
            transaction.discard()  # a race with another registration of the same address
            return render_template("auth/check_mail.html")
        send_verification(user)
        return render_template("auth/check_mail.html")
    status = 400 if request.method == "POST" else 200
    return render_template("auth/register.html", form=form), status


@bp.get("/verify/<token>")
@limiter.limit("60 per hour")
def verify(token: str):
    """Confirm the e-mail address from the link; then the person signs in."""
    found = verification.read_token(current_app.config["SECRET_KEY"], token)
    user = get_user(found[0]) if found else None
    if user is None or not verify_email(user, found[1]):
        message = _("This link is not valid or has expired. Sign in to get a new one.")
        return render_template("error.html", code=400, message=message), 400
    flash(_("Your e-mail address is confirmed. Please sign in."), "success")
    return redirect(url_for("auth.login"))
