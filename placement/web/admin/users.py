"""The admin manages accounts: invite by e-mail, edit, change the role, deactivate,
reactivate, unlock, reset the second factor. Each step is audit-logged by the service."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from placement.accounts import management
from placement.accounts.models import LoginFailure, User
from placement.accounts.services import AccountError, email_key
from placement.audit.labels import action_label
from placement.audit.services import events_for
from placement.extensions import db, utcnow
from placement.web import transaction
from placement.web.admin.forms import UserForm
from placement.web.auth.password import send_invitation
from placement.web.guards import role_required

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")


def _account_error(error: AccountError) -> str:
    """The service's reason in the reader's language."""
    text = str(error)
    if "exists already" in text:
        return _("An account with this e-mail address exists already.")
    if "own role" in text:
        return _("You cannot change your own role.")
    if "own account" in text:
        return _("You cannot deactivate your own account.")
    if "organisation" in text:
        return _("An employer account belongs to an organisation.")
    return _("This change is not possible.")


def get_user(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    if user.email.endswith("@erased.invalid"):
        abort(404)  # what erasure left is no account to manage
    return user


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    """Invite someone by e-mail: they choose their own password with the link."""
    form = UserForm()
    orgs = form.with_organisations()
    if form.validate_on_submit():
        org = next((o for o in orgs if o.id == form.organisation_id.data), None)
        try:
            user = management.invite_user(
                form.email.data, form.name.data, form.role.data, current_user,
                organisation=org if form.role.data == "employer" else None,
            )  # fmt: skip
        except AccountError as error:
            transaction.discard()
            form.email.errors.append(_account_error(error))
        else:
            sent = send_invitation(user)
            if sent:
                flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            else:
                flash(_("The account exists, but the e-mail could not be sent. Try “Send the "
                        "invitation again” later."), "error")  # fmt: skip
            return redirect(url_for("admin_users.user", user_id=user.id))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form), status


def _render_user(user: User, form: UserForm, status: int = 200):
    locks = db.session.scalar(
        select(func.count(LoginFailure.id)).where(
            LoginFailure.email_hash == email_key(user.email),
            LoginFailure.locked_until > utcnow(),
        )
    )
    events = db.session.scalars(events_for("user", user.id).limit(20)).all()
    return render_template(
        "admin/user.html", user=user, form=form, locks=locks, events=events,
        action_label=action_label,
    ), status  # fmt: skip


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def user(user_id: int):
    """One account: edit name, address, role and organisation; its state and recent events."""
    item = get_user(user_id)
    form = UserForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.organisation_id.data = item.organisation_id or 0
    orgs = form.with_organisations()
    if form.validate_on_submit():
        org = next((o for o in orgs if o.id == form.organisation_id.data), None)
        try:
            changed = management.update_user(item, current_user, form.name.data,
                                             form.email.data, form.role.data, org)  # fmt: skip
        except AccountError as error:
            transaction.discard()
            form.email.errors.append(_account_error(error))
            return _render_user(get_user(user_id), form, 400)
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("admin_users.user", user_id=item.id))
    return _render_user(item, form, 400 if request.method == "POST" else 200)


def _act(user_id: int, action, message: str):
    item = get_user(user_id)
    try:
        action(item, current_user)
    except AccountError as error:
        transaction.discard()
        flash(_account_error(error), "error")
        return redirect(url_for("admin_users.user", user_id=item.id))
    flash(message, "success")
    return redirect(url_for("admin_users.user", user_id=item.id))


@bp.post("/<int:user_id>/deactivate")
@role_required("admin")
def deactivate(user_id: int):
    """The account can no longer sign in; its open sessions end now."""
    return _act(user_id, management.deactivate, _("The account is deactivated."))


@bp.post("/<int:user_id>/reactivate")
@role_required("admin")
def reactivate(user_id: int):
    """The account can sign in again."""
    return _act(user_id, management.reactivate, _("The account is active again."))


@bp.post("/<int:user_id>/unlock")
@role_required("admin")
def unlock(user_id: int):
    """Lift the locks after failed sign-ins."""
    return _act(user_id, management.unlock, _("Sign-in locks lifted."))


@bp.post("/<int:user_id>/second-factor/reset")
@role_required("admin")
def reset_second_factor(user_id: int):
    """For a lost phone and lost recovery codes: the person sets up the second factor again."""
    return _act(user_id, management.reset_second_factor, _("The second factor is reset."))


@bp.post("/<int:user_id>/invite")
@role_required("admin")
def resend_invitation(user_id: int):
    """A new invitation link (the old one stops working), while the account is not in use."""
    item = get_user(user_id)
    if item.email_verified_at is not None or not item.active:
        flash(_("This account is in use already; no invitation needed."), "info")
        return redirect(url_for("admin_users.user", user_id=item.id))
    sent = send_invitation(item)
    if sent:
        flash(_("Invitation sent to %(email)s.", email=item.email), "success")
    else:
        flash(_("The e-mail could not be sent. Try again later."), "error")
    return redirect(url_for("admin_users.user", user_id=item.id))
