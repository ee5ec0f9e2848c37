"""Setting a password from an e-mailed link: a forgotten password, or an invitation.

The forgot-password form answers the same whether the address has an account or not; the link
is signed, holds two hours (an invitation seven days) and works once.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.accounts import mails, tokens
from placement.accounts.management import set_password_from_link
from placement.accounts.models import User
from placement.accounts.services import AccountError, find_user
from placement.extensions import limiter
from placement.placements.mail import MailError
from placement.web import transaction
from placement.web.auth.forms import ForgotForm, NewPasswordForm
from placement.web.mail import mailer, send_mail

bp = Blueprint("password", __name__)


def link_to(endpoint: str, token: str) -> str:
    base = current_app.config.get("PLACEMENT_BASE_URL") or request.host_url
    return base.rstrip("/") + url_for(endpoint, token=token)


def mail(to: str, subject: str, body: str) -> bool:
    """Send; a failing mail server is logged, not shown (it would tell that the account exists)."""
    try:
        send_mail(to, subject, body)
    except MailError:
        current_app.logger.exception("account mail not sent")
        return False
    return True


def send_invitation(user: User) -> bool:
    """Mail a new invitation link (older ones stop working)."""
    token = tokens.issue(current_app.config["SECRET_KEY"], user, "invite")
    network = current_app.config.get("PLACEMENT_NETWORK") or "placement"
    return mail(
        user.email,
        *mails.invite_mail(
            user, link_to("password.accept", token), network, mailer().default_locale
        ),
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes; 20 per day", methods=["POST"])
def forgot():
    """Ask for a link to set a new password; the answer does not tell whether we know the
    address."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = ForgotForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.active:
            token = tokens.issue(current_app.config["SECRET_KEY"], user, "reset")
            mail(
                user.email,
                *mails.reset_mail(user, link_to("password.reset", token), mailer().default_locale),
            )
        return render_template("auth/forgot_sent.html")
    status = 400 if request.method == "POST" else 200
    return render_template("auth/forgot.html", form=form), status


def _set_password(token: str, purpose: str, template: str):
    secret = current_app.config["SECRET_KEY"]
    user = tokens.check(secret, token, purpose)
    if user is None:
        message = (
            _(
                "This invitation link is not valid any more. Ask the person who invited you for a "
                "new one."
            )  # fmt: skip
            if purpose == "invite"
            else _(
                "This link is not valid any more: it has expired or has been used. Ask for "
                "a new one."
            )  # fmt: skip
        )
        return render_template("error.html", code=400, message=message), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        if tokens.use(secret, token, purpose) is None:  # used meanwhile in another tab
            return render_template(
                "error.html", code=400, message=_("This link has been used.")
            ), 400
        try:
            set_password_from_link(user, form.password.data, purpose)
        except AccountError:
            transaction.discard()
            form.password.errors.append(_("This password cannot be used."))
        else:
            flash(_("Your password is set. Please sign in."), "success")
            return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, user=user), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def reset(token: str):
    """Choose a new password with the link from the e-mail (once, within two hours)."""
    return _set_password(token, "reset", "auth/reset.html")


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def accept(token: str):
    """Accept an invitation: choose a password; the address counts as confirmed."""
    return _set_password(token, "invite", "auth/accept.html")
