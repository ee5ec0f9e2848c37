"""Admin area: users and organisations of the network."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.accounts import services
from placement.audit.services import record
from placement.employers.services import organisations_query
from placement.extensions import db
from placement.participants.services import create_participant_for_user
from placement.web import transaction
from placement.web.admin.forms import UserForm
from placement.web.fields import SearchForm, choices
from placement.web.guards import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@role_required("admin")
def index():
    """Users with search and role filter, and a link to the organisations."""
    search = SearchForm(request.args)
    role = request.args.get("role") or None
    page = db.paginate(
        services.users_query(search.q.data, role),
        per_page=current_app.config["PLACEMENT_PAGE_SIZE"],
    )
    return render_template("admin/index.html", page=page, search=search, role=role)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    """Create an account for a counsellor, an employer's staff member, a participant, an admin."""
    form = UserForm()
    orgs = db.session.scalars(organisations_query()).all()
    form.organisation_id.choices = choices([(0, "—")] + [(o.id, o.name) for o in orgs])
    if form.validate_on_submit():
        org = next((o for o in orgs if o.id == form.organisation_id.data), None)
        try:
            user = services.create_user(
                form.email.data,
                form.name.data,
                form.role.data,
                form.password.data,
                organisation=org if form.role.data == "employer" else None,
            )
        except services.AccountError as error:
            transaction.discard()
            form.email.errors.append(str(error))
        else:
            if user.role == "participant":
                create_participant_for_user(user)
            record(current_user, "user.create", "user", user.id, role=user.role)
            flash(_("Account created."), "success")
            return redirect(url_for("admin.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form), status
