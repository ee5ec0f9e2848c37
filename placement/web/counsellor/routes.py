"""Counsellor area: participants and vacancies with search; profiles; posting for employers."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.access import STAFF
from placement.audit.services import record
from placement.employers import services as employer_services
from placement.employers.models import Organisation
from placement.extensions import db
from placement.outreach import services as outreach_services
from placement.participants import services
from placement.placements import services as placement_services
from placement.web.auth.reauth import fresh_password_required
from placement.web.employer.vacancies import (
    confirm_status_page,
    edit_page,
    status_change,
    wording_findings,
)
from placement.web.fields import SearchForm
from placement.web.guards import (
    get_organisation,
    get_participant,
    get_vacancy,
    role_required,
)
from placement.web.helpers import occupation_summary, organisation_badge
from placement.web.pages import paginate
from placement.web.participant.forms import ProfileForm
from placement.web.proposals import routes as proposal_views

bp = Blueprint("counsellor", __name__, url_prefix="/counsellor")


@bp.get("/")
@role_required(*STAFF)
def index():
    """Start page: own participants, newest vacancies, employers awaiting approval, next steps."""
    mine = db.session.scalars(services.participants_query(counsellor=current_user).limit(10)).all()
    vacancies = db.session.scalars(employer_services.vacancies_query().limit(10)).all()
    pending = db.session.scalars(
        employer_services.organisations_query().where(Organisation.approved.is_(False))
    ).all()
    due = outreach_services.due_next_steps()
    follow_ups = placement_services.due_follow_ups(current_user)
    return render_template(
        "counsellor/index.html",
        participants=mine,
        vacancies=vacancies,
        pending=pending,
        due=due,
        follow_ups=follow_ups,
        today=outreach_services.today(),
    )


@bp.get("/participants")
@role_required(*STAFF)
def participants():
    """All participants with search and filters."""
    search = SearchForm(request.args)
    phase = request.args.get("phase", type=int)
    level = request.args.get("german_level") or None
    mine = request.args.get("mine") == "1"
    query = services.participants_query(
        search=search.q.data,
        phase=phase,
        german_level=level,
        counsellor=current_user if mine else None,
    )
    page = paginate(query)
    return render_template(
        "counsellor/participants.html",
        page=page,
        search=search,
        phase=phase,
        level=level,
        mine=mine,
    )


@bp.get("/participants/<int:participant_id>")
@role_required(*STAFF)
def participant(participant_id: int):
    """One participant's profile. Every view is logged (who, when), as the participant can see."""
    return proposal_views.render_participant(get_participant(participant_id))


@bp.route("/participants/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_participant():
    """Register a participant (the counsellor becomes their counsellor)."""
    form = ProfileForm()
    if form.validate_on_submit():
        person = services.create_participant(form.profile_data(), counsellor=current_user)
        record(current_user, "participant.create", "participant", person.id)
        flash(_("Participant registered."), "success")
        return redirect(url_for("counsellor.participant", participant_id=person.id))
    status = 400 if request.method == "POST" else 200
    return render_template("counsellor/participant_form.html", form=form, participant=None), status


@bp.route("/participants/<int:participant_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_participant(participant_id: int):
    """Edit a participant's profile."""
    person = get_participant(participant_id)
    form = ProfileForm.for_participant(person)
    if form.validate_on_submit():
        services.update_profile(person, form.profile_data())
        record(current_user, "participant.update", "participant", person.id)
        flash(_("Profile saved."), "success")
        return redirect(url_for("counsellor.participant", participant_id=person.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "counsellor/participant_form.html", form=form, participant=person
    ), status


@bp.get("/vacancies")
@role_required(*STAFF)
def vacancies():
    """All vacancies with search and filters."""
    search = SearchForm(request.args)
    kind = request.args.get("kind") or None
    status = request.args.get("status") or None
    query = employer_services.vacancies_query(search=search.q.data, kind=kind, status=status)
    page = paginate(query)
    return render_template(
        "counsellor/vacancies.html", page=page, search=search, kind=kind, status=status
    )


@bp.get("/vacancies/<int:vacancy_id>")
@role_required(*STAFF)
def vacancy(vacancy_id: int):
    """One vacancy with its lifecycle buttons and inclusive-wording notes."""
    item = get_vacancy(vacancy_id)
    return render_template(
        "counsellor/vacancy.html",
        vacancy=item,
        findings=wording_findings(item),
        badge=organisation_badge(item.organisation),
        occupations=occupation_summary(item),
        **proposal_views.vacancy_extras(item),
    )


@bp.post("/vacancies/<int:vacancy_id>/status")
@role_required(*STAFF)
def vacancy_status(vacancy_id: int):
    """Publish, pause, fill, close or re-open any vacancy."""
    return status_change(get_vacancy(vacancy_id, edit=True))


@bp.get("/vacancies/<int:vacancy_id>/fill", endpoint="confirm_filled", defaults={"step": "filled"})
@bp.get("/vacancies/<int:vacancy_id>/close", endpoint="confirm_closed", defaults={"step": "closed"})
@role_required(*STAFF)
def confirm_step(vacancy_id: int, step: str):
    """Ask before marking a vacancy filled or closing it."""
    return confirm_status_page(get_vacancy(vacancy_id, edit=True), step)


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_vacancy(vacancy_id: int):
    """Edit a vacancy on the employer's behalf."""
    vacancy = get_vacancy(vacancy_id, edit=True)
    return edit_page(vacancy.organisation, vacancy)


@bp.route("/organisations/<int:organisation_id>/vacancies/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_vacancy(organisation_id: int):
    """Post a vacancy on an employer's behalf."""
    return edit_page(get_organisation(organisation_id, post=True))


@bp.route("/participants/<int:participant_id>/erase", methods=["GET", "POST"])
@role_required(*STAFF)
@fresh_password_required
def erase_participant(participant_id: int):
    """Erase a participant on request (Art. 17), e.g. one without an account; logged."""
    from placement.participants.rights import erase_participant as erase
    from placement.web.participant.forms import EraseForm

    person = get_participant(participant_id)
    form = EraseForm()
    form.confirm.label.text = _(
        "The person asked for erasure: delete the profile, consents, proposals, placements and "
        "notes. This cannot be undone."
    )
    if form.validate_on_submit():
        erase(person, current_user)
        flash(_("The participant's data are deleted."), "success")
        return redirect(url_for("counsellor.participants"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "counsellor/erase_participant.html", form=form, participant=person
    ), status
