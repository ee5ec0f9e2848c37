"""The audit log for admins: who did what to which record, when; filtered and paged."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from placement.accounts.models import User
from placement.accounts.services import find_user
from placement.audit.labels import ACTIONS, SUBJECTS, action_label, subject_label
from placement.audit.services import events_query, known_actions
from placement.extensions import db
from placement.web.admin.forms import AuditFilterForm
from placement.web.fields import choices
from placement.web.guards import role_required
from placement.web.pages import paginate

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    actions = sorted(set(known_actions()) | set(ACTIONS), key=lambda a: action_label(a).lower())
    form.action.choices = choices([("", _l("all"))] + [(a, action_label(a)) for a in actions])
    form.subject_type.choices = choices([("", _l("all"))] + list(SUBJECTS.items()))
    return form


@bp.get("/")
@role_required("admin")
def index():
    """Audit events, newest first; filter by who, what, when and which record."""
    form = _form()
    valid = form.validate() if request.args else True
    query, unknown_actor = None, False
    if valid:
        actor_id = None
        if form.actor.data:
            actor = find_user(form.actor.data)
            unknown_actor = actor is None
            actor_id = actor.id if actor else -1
        since = datetime.combine(form.since.data, time()) if form.since.data else None
        until = (datetime.combine(form.until.data, time()) + timedelta(days=1)
                 if form.until.data else None)  # fmt: skip
        query = events_query(actor_id, form.action.data or None, since, until,
                             form.subject_type.data or None, form.subject_id.data)  # fmt: skip
    page = paginate(query if query is not None else events_query(-1))
    actor_ids = {e.actor_id for e in page.items if e.actor_id}
    actors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))}
    return render_template(
        "admin/audit.html", form=form, page=page, actors=actors, unknown_actor=unknown_actor,
        action_label=action_label, subject_label=subject_label,
    ), (200 if valid else 400)  # fmt: skip
