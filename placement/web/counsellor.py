"""Counsellor area: participants and vacancies with search; profiles; posting for employers."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.audit.services import actor_names, events_for, record
from placement.employers import services as employer_services
from placement.employers.models import Organisation
from placement.extensions import db
from placement.outreach import services as outreach_services
from placement.participants import services
from placement.placements import services as placement_services
from placement.web import proposals as proposal_views
from placement.web.employer import (
    change_status,
    confirm_status_page,
    save_vacancy,
    wording_findings,
)
from placement.web.forms import OrganisationForm, ProfileForm, SearchForm, VacancyForm
from placement.web.guards import (
    get_organisation,
    get_participant,
    get_vacancy,
    is_safe_next,
    role_required,
)
from placement.web.reauth import fresh_password_required

bp = Blueprint("counsellor", __name__, url_prefix="/counsellor")
STAFF = ("counsellor", "admin")


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
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"])
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
    person = get_participant(participant_id)
    record(current_user, "participant.view", "participant", person.id)
    db.session.commit()
    views = db.session.scalars(events_for("participant", person.id).limit(10)).all()
    return render_template(
        "counsellor/participant.html",
        participant=person,
        views=views,
        actors=actor_names(views),
        **proposal_views.participant_extras(person),
    )


@bp.route("/participants/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_participant():
    """Register a participant (the counsellor becomes their counsellor)."""
    form = ProfileForm()
    if form.validate_on_submit():
        person = services.create_participant(form.profile_data(), counsellor=current_user)
        record(current_user, "participant.create", "participant", person.id)
        db.session.commit()
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
        db.session.commit()
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
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"])
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
        **proposal_views.vacancy_extras(item),
    )


@bp.post("/vacancies/<int:vacancy_id>/status")
@role_required(*STAFF)
def vacancy_status(vacancy_id: int):
    """Publish, pause, fill, close or re-open any vacancy."""
    item = get_vacancy(vacancy_id, edit=True)
    asked = change_status(item)
    if asked is not None:
        return asked
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("counsellor.vacancy",
                                                                 vacancy_id=item.id))  # fmt: skip


@bp.get("/vacancies/<int:vacancy_id>/fill")
@role_required(*STAFF)
def confirm_filled(vacancy_id: int):
    """Ask before marking a vacancy filled."""
    item = get_vacancy(vacancy_id, edit=True)
    return confirm_status_page(item, "filled", "counsellor",
                               url_for("counsellor.vacancy", vacancy_id=item.id))  # fmt: skip


@bp.get("/vacancies/<int:vacancy_id>/close")
@role_required(*STAFF)
def confirm_closed(vacancy_id: int):
    """Ask before closing a vacancy."""
    item = get_vacancy(vacancy_id, edit=True)
    return confirm_status_page(item, "closed", "counsellor",
                               url_for("counsellor.vacancy", vacancy_id=item.id))  # fmt: skip


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_vacancy(vacancy_id: int):
    """Edit a vacancy on the employer's behalf."""
    item = get_vacancy(vacancy_id, edit=True)
    form = VacancyForm(obj=item)
    if save_vacancy(form, item.organisation, item):
        return redirect(url_for("counsellor.vacancy", vacancy_id=item.id))
    return render_template(
        "employer/vacancy_form.html",
        form=form,
        organisation=item.organisation,
        vacancy=item,
        findings=wording_findings(item),
    ), (400 if request.method == "POST" else 200)


@bp.route("/organisations/<int:organisation_id>/vacancies/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_vacancy(organisation_id: int):
    """Post a vacancy on an employer's behalf."""
    org = get_organisation(organisation_id, post=True)
    form = VacancyForm()
    item = save_vacancy(form, org, None)
    if item:
        return redirect(url_for("counsellor.vacancy", vacancy_id=item.id))
    return render_template(
        "employer/vacancy_form.html", form=form, organisation=org, vacancy=None
    ), (400 if request.method == "POST" else 200)


@bp.get("/organisations")
@role_required(*STAFF)
def organisations():
    """Employers with their approval state."""
    search = SearchForm(request.args)
    query = employer_services.organisations_query(search.q.data)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"])
    duplicates = employer_services.possible_duplicates(list(page.items))
    return render_template(
        "counsellor/organisations.html", page=page, search=search, duplicates=duplicates
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_organisation():
    """Register an employer organisation."""
    form = OrganisationForm()
    if form.validate_on_submit():
        data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        org = employer_services.create_organisation(data)
        db.session.commit()
        flash(_("Organisation registered. Approve it to publish its vacancies."), "success")
        return redirect(url_for("counsellor.organisations", q=org.name))
    status = 400 if request.method == "POST" else 200
    return render_template("counsellor/organisation_form.html", form=form), status


@bp.post("/organisations/<int:organisation_id>/approve")
@role_required(*STAFF)
def approve_organisation(organisation_id: int):
    """Approve (or withdraw approval of) an organisation."""
    org = get_organisation(organisation_id)
    approve = request.form.get("approve", "1") == "1"
    employer_services.approve_organisation(org, approve)
    record(
        current_user,
        "organisation.approve" if approve else "organisation.unapprove",
        "organisation",
        org.id,
    )
    db.session.commit()
    flash(_("Organisation approved.") if approve else _("Approval withdrawn."), "success")
    return redirect(url_for("counsellor.organisations"))


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
        db.session.commit()
        flash(_("The participant's data are deleted."), "success")
        return redirect(url_for("counsellor.participants"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "counsellor/erase_participant.html", form=form, participant=person
    ), status
