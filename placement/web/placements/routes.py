"""Placements for counsellors: enter one, edit its follow-up schedule, record follow-ups, and
see development suggestions for the placed participant."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.access import STAFF
from placement.employers import services as employer_services
from placement.employers.models import Vacancy
from placement.extensions import db
from placement.participants.services import participants_query
from placement.placements import services
from placement.placements.development import development_suggestions
from placement.web import transaction, wording
from placement.web.confirm import confirmed, render_confirm
from placement.web.fields import choices
from placement.web.guards import (
    get_follow_up,
    get_organisation,
    get_participant,
    get_placement,
    role_required,
)
from placement.web.pages import paginate
from placement.web.placements.forms import DueDateForm, FollowUpForm, PlacementForm

bp = Blueprint("placements", __name__, url_prefix="/counsellor/placements")


def _form_choices(form: PlacementForm) -> None:
    people = db.session.scalars(participants_query())
    form.participant_id.choices = choices([(p.id, p.display_name) for p in people])
    orgs = employer_services.organisations_query()
    form.organisation_id.choices = choices([(o.id, o.name) for o in db.session.scalars(orgs)])
    vacancies = db.session.scalars(employer_services.vacancy_choices())
    form.vacancy_id.choices = choices(
        [("", "—")] + [(v.id, f"{v.title} ({v.organisation.name})") for v in vacancies]
    )


def _vacancy_for(form: PlacementForm) -> Vacancy | None:
    if not form.vacancy_id.data:
        return None
    vacancy = employer_services.find_vacancy(int(form.vacancy_id.data))
    if vacancy is None or vacancy.organisation_id != form.organisation_id.data:
        form.vacancy_id.errors = [_("This vacancy belongs to another employer.")]
        return None
    return vacancy


@bp.get("/")
@role_required(*STAFF)
def index():
    """Placements: mine or all, active or ended."""
    show_all = request.args.get("all") == "1"
    status = (
        request.args.get("status") if request.args.get("status") in ("active", "ended") else None
    )
    query = services.placements_query(None if show_all else current_user, status)
    page = paginate(query)
    return render_template("placements/index.html", page=page, show_all=show_all, status=status)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new():
    """Enter a placement directly (one not made through a proposal)."""
    form = PlacementForm(participant_id=request.args.get("participant_id", type=int),
                         start_date=services.today())  # fmt: skip
    _form_choices(form)
    if form.validate_on_submit():
        vacancy = _vacancy_for(form)
        if not form.vacancy_id.errors:
            person = get_participant(form.participant_id.data)
            org = get_organisation(form.organisation_id.data)
            try:
                item = services.create_placement(
                    person, org, form.placement_data(), current_user, vacancy=vacancy,
                    schedule=current_app.config["PLACEMENT_FOLLOWUP_SCHEDULE"])  # fmt: skip
            except services.PlacementError as error:
                transaction.discard()
                form.contract_type.errors = [str(error)]
            else:
                flash(_("Placement saved; the follow-ups are scheduled."), "success")
                return redirect(url_for("placements.placement", placement_id=item.id))
    status = 400 if request.method == "POST" else 200
    return render_template("placements/form.html", form=form, placement=None), status


def _render(item, status: int = 200, due_form=None, move_errors=None):
    suggestions = development_suggestions(item, current_user)
    transaction.keep_on_error()  # the log of what was shown stays on an error page too
    return render_template(
        "placements/placement.html",
        placement=item,
        due_form=due_form or DueDateForm(formdata=None),
        move_errors=move_errors or {},
        suggestions=suggestions,
        today=services.today(),
    ), status


@bp.get("/<int:placement_id>")
@role_required(*STAFF)
def placement(placement_id: int):
    """One placement: details, risk, follow-up schedule and record, development suggestions."""
    return _render(get_placement(placement_id))


@bp.route("/<int:placement_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit(placement_id: int):
    """Correct a placement's details (e.g. the contract of one created from a proposal)."""
    item = get_placement(placement_id)
    form = PlacementForm(obj=item)
    _form_choices(form)
    form.participant_id.data, form.organisation_id.data = item.participant_id, item.organisation_id
    if form.validate_on_submit():
        try:
            services.update_placement(item, form.placement_data(), current_user)
        except services.PlacementError as error:
            transaction.discard()
            form.contract_type.errors = [str(error)]
        else:
            flash(_("Placement saved."), "success")
            return redirect(url_for("placements.placement", placement_id=item.id))
    status = 400 if request.method == "POST" else 200
    return render_template("placements/form.html", form=form, placement=item), status


@bp.post("/<int:placement_id>/follow-ups")
@role_required(*STAFF)
def add_follow_up(placement_id: int):
    """Add a due date to the schedule."""
    item = get_placement(placement_id)
    form = DueDateForm()
    if form.validate_on_submit():
        try:
            services.add_follow_up(item, form.due_date.data, current_user)
        except services.PlacementError as error:
            transaction.discard()
            form.due_date.errors = [str(error)]
        else:
            flash(_("Follow-up added."), "success")
            return redirect(url_for("placements.placement", placement_id=item.id) + "#schedule")
    return _render(item, 400, due_form=form)


@bp.post("/<int:placement_id>/follow-ups/<int:follow_up_id>/move")
@role_required(*STAFF)
def move_follow_up(placement_id: int, follow_up_id: int):
    """Move an open follow-up to another date."""
    item = get_placement(placement_id)
    follow_up = get_follow_up(item, follow_up_id)
    form = DueDateForm()
    if form.validate_on_submit():
        try:
            services.move_follow_up(follow_up, form.due_date.data, current_user)
        except services.PlacementError as error:
            transaction.discard()
            form.due_date.errors = [str(error)]
        else:
            flash(_("Follow-up moved."), "success")
            return redirect(url_for("placements.placement", placement_id=item.id) + "#schedule")
    return _render(item, 400, move_errors={follow_up.id: form.due_date.errors})


@bp.get("/<int:placement_id>/follow-ups/<int:follow_up_id>/remove")
@role_required(*STAFF)
def confirm_remove_follow_up(placement_id: int, follow_up_id: int):
    """Ask before taking a follow-up off the schedule."""
    item = get_placement(placement_id)
    follow_up = get_follow_up(item, follow_up_id)
    back = url_for("placements.placement", placement_id=item.id) + "#schedule"
    return render_confirm(
        title=_("Remove the follow-up due on %(d)s?", d=wording.date(follow_up.due_date)),
        consequences=[
            _("It is taken off the schedule of this placement and no longer counted as due."),
            _("To follow up later, add a follow-up again."),
        ],
        action=url_for("placements.remove_follow_up", placement_id=item.id,
                       follow_up_id=follow_up.id),
        confirm_label=_("Yes, remove the follow-up"),
        cancel=back,
    )  # fmt: skip


@bp.post("/<int:placement_id>/follow-ups/<int:follow_up_id>/remove")
@role_required(*STAFF)
def remove_follow_up(placement_id: int, follow_up_id: int):
    """Remove an open follow-up from the schedule."""
    item = get_placement(placement_id)
    follow_up = get_follow_up(item, follow_up_id)
    if not confirmed():
        return redirect(url_for("placements.confirm_remove_follow_up", placement_id=item.id,
                                follow_up_id=follow_up.id))  # fmt: skip
    try:
        services.remove_follow_up(follow_up, current_user)
    except services.PlacementError as error:
        transaction.discard()
        return _render(item, 400, move_errors={follow_up.id: [str(error)]})
    flash(_("Follow-up removed."), "success")
    return redirect(url_for("placements.placement", placement_id=item.id) + "#schedule")


@bp.route("/<int:placement_id>/follow-ups/<int:follow_up_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def record_follow_up(placement_id: int, follow_up_id: int):
    """Record a follow-up: contact, employment, satisfaction, risk signals, support agreed."""
    item = get_placement(placement_id)
    follow_up = get_follow_up(item, follow_up_id)
    form = FollowUpForm(obj=None if not follow_up.done else follow_up)
    if not follow_up.done and form.validate_on_submit():
        try:
            services.record_follow_up(follow_up, form.follow_up_data(), current_user)
        except services.PlacementError as error:
            transaction.discard()
            form.still_employed.errors = [str(error)]
        else:
            flash(_("Follow-up recorded."), "success")
            return redirect(url_for("placements.placement", placement_id=item.id))
    status = 400 if request.method == "POST" else 200
    return render_template("placements/follow_up.html", form=form, placement=item,
                           follow_up=follow_up), status  # fmt: skip
