"""Fresh login: re-enter the password before exports and erasure (ASVS; docs/domain.md).

The time of the last confirmation is kept in the (signed) session; it is valid for
FRESH_MINUTES. Failed attempts count toward the account's login throttling.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from placement.accounts import services
from placement.audit.services import record
from placement.extensions import limiter
from placement.web import transaction
from placement.web.auth.forms import ConfirmPasswordForm
from placement.web.guards import is_safe_next

bp = Blueprint("reauth", __name__)
FRESH_MINUTES = 10
SESSION_KEY = "password_confirmed_at"


def is_fresh() -> bool:
    confirmed = session.get(SESSION_KEY)
    return confirmed is not None and time.time() - float(confirmed) < FRESH_MINUTES * 60


def fresh_password_required(view: Callable) -> Callable:
    """Send the user to re-enter their password first when the last time is too long ago.

    After a POST the user comes back to the page (GET) of the same URL, so state-changing
    views must also serve a confirmation page on GET.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not is_fresh():
            return redirect(url_for("reauth.confirm", next=request.path))
        return view(*args, **kwargs)

    return wrapped


@bp.route("/confirm-password", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@login_required
def confirm():
    """Re-enter the password to continue with an export or an erasure."""
    form = ConfirmPasswordForm(next=request.args.get("next"))
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(
            current_user.email,
            form.password.data,
            current_app.config["PLACEMENT_LOGIN_MAX_FAILURES"],
            current_app.config["PLACEMENT_LOGIN_LOCK_MINUTES"],
        )
        if result.user is not None and result.user.id == current_user.id:
            record(current_user, "user.reauth", "user", current_user.id)
            session[SESSION_KEY] = time.time()
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("main.index"))
        transaction.keep_on_error()  # the failed-attempt counter stays on the error page
        form.password.errors.append(
            _("Too many failed attempts. Try again later.")
            if result.locked
            else _("The password is wrong.")
        )
        status = 429 if result.locked else 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/confirm_password.html", form=form), status
