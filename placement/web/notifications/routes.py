"""Notifications: each user's list, marking them read, and how they arrive by e-mail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from placement.extensions import db
from placement.notifications import services
from placement.notifications.models import Notification
from placement.notifications.texts import describe
from placement.web.notifications.forms import MailChoiceForm
from placement.web.pages import paginate

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

# Where each kind of notification leads its reader: (endpoint, argument, parameter).
TARGETS = {
    "proposal.new": ("employer_proposals.proposal", "proposal_id", "proposal"),
    "proposal.answer": ("proposals.proposal", "proposal_id", "proposal"),
    "proposal.status": ("participant.proposals", None, None),
    "interest.new": ("counsellor.participant", "participant_id", "participant"),
    "consent.change": ("counsellor.participant", "participant_id", "participant"),
    "followup.due": ("placements.placement", "placement_id", "placement"),
}


def target(item: Notification) -> str | None:
    """The page the notification is about, or None when its record is gone."""
    endpoint, argument, parameter = TARGETS.get(item.kind, (None, None, None))
    if endpoint is None:
        return None
    if argument is None:
        return url_for(endpoint)
    value = (
        item.participant_id if parameter == "participant" else (item.params or {}).get(parameter)
    )
    return url_for(endpoint, **{argument: value}) if value else None


@bp.app_context_processor
def unread_notifications() -> dict:
    """The number of unread notifications, for the menu and the start pages."""
    if current_user and current_user.is_authenticated:
        return {"unread_notifications": services.unread_count(current_user)}
    return {"unread_notifications": 0}


def _render(form: MailChoiceForm, status: int = 200):
    page = paginate(services.notifications_for(current_user))
    items = [(item, describe(item), target(item)) for item in page.items]
    return render_template("notifications/index.html", page=page, items=items, form=form), status


@bp.get("/")
@login_required
def index():
    """My notifications, newest first, unread ones marked; how they come by e-mail."""
    return _render(MailChoiceForm(notify_mail=current_user.notify_mail))


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    """Mark one of my notifications as read and open what it is about."""
    item = db.get_or_404(Notification, notification_id)
    if item.user_id != current_user.id:
        abort(404)  # another person's notification: no hint that it exists
    services.mark_read(current_user, item.id)
    return redirect(target(item) or url_for("notifications.index"))


@bp.post("/read-all")
@login_required
def read_all():
    """Mark all my notifications as read."""
    services.mark_read(current_user)
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.post("/settings")
@login_required
def settings():
    """Choose whether notifications also come by e-mail: each, a daily digest, or none."""
    form = MailChoiceForm()
    if not form.validate_on_submit():
        return _render(form, 400)
    services.set_mail_choice(current_user, form.notify_mail.data)
    flash(_("Your choice is saved."), "success")
    return redirect(url_for("notifications.index"))
