"""The second factor: the sign-in step after the password, setting it up, recovery codes.

After a right password, an account with a second factor is not signed in yet: the session holds
only who is half-way (for 10 minutes, 5 tries); a code from the authenticator or a recovery code
completes the sign-in. With PLACEMENT_REQUIRE_2FA on, admins and counsellors without a second
factor are sent to set it up before anything else.
"""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from placement.accounts import twofactor
from placement.accounts.models import User
from placement.audit.services import record
from placement.extensions import db, limiter
from placement.web import transaction
from placement.web.auth.forms import CodeForm
from placement.web.guards import is_safe_next

bp = Blueprint("twofactor", __name__)
PENDING = "second_factor_pending"
SETUP = "second_factor_setup"
PENDING_SECONDS = 600
MAX_TRIES = 5
# Pages a person who must set up a second factor can still reach.
OPEN_DURING_SETUP = {"static", "auth.logout", "auth.language", "twofactor.setup",
                     "health.healthz", "health.readyz"}  # fmt: skip


def required() -> bool:
    return bool(current_app.config.get("PLACEMENT_REQUIRE_2FA"))


def _complete(user: User, target: str | None):
    record(user, "user.login", "user", user.id)
    locale = session.get("locale")
    session.clear()  # a new session on login
    if locale:
        session["locale"] = locale
    login_user(user)
    return redirect(target if is_safe_next(target) else url_for("main.index"))


def sign_in(user: User, target: str | None):
    """After the right password: ask for the second factor if the account has one, else sign
    in (staff who must set one up are sent there by ``require_setup``)."""
    if user.totp_enabled_at is None:
        return _complete(user, target)
    session[PENDING] = {"id": user.id, "token": user.session_token, "at": time.time(),
                        "next": target if is_safe_next(target) else None, "tries": 0}  # fmt: skip
    return redirect(url_for("twofactor.login"))


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("id"))
    if user is None or not user.active or user.session_token != pending.get("token"):
        return None
    return user


@bp.route("/login/second-factor", methods=["GET", "POST"])
@limiter.limit("10 per minute; 60 per hour", methods=["POST"])
def login():
    """The second sign-in step: a code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        used = twofactor.verify(user, form.code.data)
        if used is not None:
            if used == "recovery":
                record(user, "user.2fa_recovery_used", "user", user.id)
            target = session[PENDING].get("next")
            return _complete(user, target)
        record(user, "user.2fa_failed", "user", user.id)
        transaction.keep_on_error()  # the failed attempt stays in the audit log (a 401 page)
        pending = session[PENDING]
        pending["tries"] = pending.get("tries", 0) + 1
        session[PENDING] = pending
        if pending["tries"] >= MAX_TRIES:
            session.pop(PENDING, None)
            flash(_("Too many wrong codes. Please sign in again."), "error")
            return redirect(url_for("auth.login"))
        form.code.errors.append(_("This code is not right, or it has been used already."))
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/second_factor.html", form=form), status


@bp.before_app_request
def require_setup():
    """With PLACEMENT_REQUIRE_2FA, staff without a second factor set it up first."""
    if (
        current_user.is_authenticated
        and request.endpoint not in OPEN_DURING_SETUP
        and twofactor.needs_setup(current_user, required())
    ):
        flash(_("Please set up a second factor to continue."), "info")
        return redirect(url_for("twofactor.setup"))
    return None


def _staff() -> bool:
    return current_user.role in twofactor.STAFF_ROLES


@bp.get("/account/security")
@login_required
def security():
    """My sign-in security: the second factor and the recovery codes left."""
    if not _staff():
        abort(404)  # only staff have a second factor
    return render_template(
        "auth/security.html",
        form=CodeForm(),
        codes_left=twofactor.codes_left(current_user) if current_user.totp_enabled_at else 0,
        required=required(),
    )


@bp.route("/account/security/setup", methods=["GET", "POST"])
@login_required
def setup():
    """Set up the authenticator: scan the QR code, type the code it shows."""
    if not _staff():
        abort(404)  # only staff have a second factor
    if current_user.totp_enabled_at:
        return redirect(url_for("twofactor.security"))
    secret = session.get(SETUP) or twofactor.new_secret()
    session[SETUP] = secret
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        codes = twofactor.enable(current_user, secret, form.code.data)
        if codes is not None:
            record(current_user, "user.2fa_enable", "user", current_user.id)
            session.pop(SETUP, None)
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append(_("This code is not right. Check the time on your phone and "
                                  "type the current code."))  # fmt: skip
        status = 400
    elif request.method == "POST":
        status = 400
    issuer = current_app.config.get("PLACEMENT_NETWORK") or "placement"
    uri = twofactor.provisioning_uri(current_user, secret, issuer)
    return render_template("auth/setup.html", form=form, secret=secret,
                           qr=twofactor.qr_data_uri(uri)), status  # fmt: skip


def _confirmed_by_code(form: CodeForm) -> bool:
    return form.validate_on_submit() and twofactor.verify(current_user, form.code.data) is not None


@bp.post("/account/security/recovery-codes")
@login_required
@limiter.limit("10 per minute")
def new_codes():
    """Ten new recovery codes (the old ones stop working); needs a current code."""
    form = CodeForm()
    if not _staff() or not current_user.totp_enabled_at:
        return redirect(url_for("twofactor.security"))
    if not _confirmed_by_code(form):
        transaction.discard()
        flash(_("This code is not right, or it has been used already."), "error")
        return redirect(url_for("twofactor.security"))
    codes = twofactor.regenerate_codes(current_user)
    record(current_user, "user.2fa_codes", "user", current_user.id)
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.post("/account/security/disable")
@login_required
@limiter.limit("10 per minute")
def disable():
    """Turn the second factor off (not when the network requires it); needs a current code."""
    form = CodeForm()
    if not _staff() or not current_user.totp_enabled_at or required():
        return redirect(url_for("twofactor.security"))
    if not _confirmed_by_code(form):
        transaction.discard()
        flash(_("This code is not right, or it has been used already."), "error")
        return redirect(url_for("twofactor.security"))
    twofactor.disable(current_user)
    record(current_user, "user.2fa_disable", "user", current_user.id)
    flash(_("The second factor is off."), "success")
    return redirect(url_for("twofactor.security"))
