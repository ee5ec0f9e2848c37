"""Sign in, sign out, choose the interface language."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from placement.accounts import services
from placement.extensions import limiter
from placement.web import transaction
from placement.web.auth.forms import LoginForm
from placement.web.guards import is_safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute; 200 per hour", methods=["POST"])
def login():
    """Check the password; lock the account for a while after repeated failures."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(
            form.email.data,
            form.password.data,
            current_app.config["PLACEMENT_LOGIN_MAX_FAILURES"],
            current_app.config["PLACEMENT_LOGIN_LOCK_MINUTES"],
            address=request.remote_addr or "-",
        )
        if result.user is not None:
            from placement.web.auth.twofactor import sign_in

            return sign_in(result.user, request.args.get("next"))
        transaction.keep_on_error()  # the failed-login counter stays on the 401/403/429 page
        if result.unverified is not None:
            from placement.web.auth.register import send_verification

            send_verification(result.unverified)
            form.email.errors.append(
                _("Confirm your e-mail address first: we have sent you a new link.")
            )
            status = 403
        elif result.locked:
            minutes = current_app.config["PLACEMENT_LOGIN_LOCK_MINUTES"]
            form.password.errors.append(
                _("Too many failed attempts. Try again in %(n)d minutes.", n=minutes)
            )
            status = 429
        else:
            form.password.errors.append(_("E-mail or password is wrong."))
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """End the session, and every other session of this account: a captured cookie is void."""
    services.end_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    """Switch the interface language (German or English); remembered for signed-in users."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            services.set_locale(current_user, locale)
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("main.index"))
