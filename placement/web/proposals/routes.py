"""Counsellors' proposals: open proposals, one proposal with its history and notes, status
changes; notes on participants and the consents to share they gave to named employers."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement import vocab
from placement.access import STAFF
from placement.audit.services import actor_names, events_for, record
from placement.employers import services as employer_services
from placement.employers.models import Organisation, Vacancy
from placement.extensions import db
from placement.participants.models import Participant
from placement.proposals import services
from placement.proposals.models import Proposal
from placement.web import transaction
from placement.web.confirm import confirmed, render_confirm
from placement.web.fields import choices
from placement.web.guards import get_organisation, get_participant, get_proposal, role_required
from placement.web.helpers import occupation_summary
from placement.web.pages import paginate
from placement.web.proposals.forms import NoteForm, RecordedConsentForm, StatusForm

bp = Blueprint("proposals", __name__, url_prefix="/counsellor")


def participant_extras(person: Participant, note_form=None, consent_form=None) -> dict:
    """What the counsellor's participant page shows besides the profile: proposals, consents
    to share, notes, and the forms to add them."""
    consent_form = consent_form or RecordedConsentForm(formdata=None)
    _organisation_choices(consent_form)
    return {
        "proposals": db.session.scalars(services.proposals_for_participant(person)).all(),
        "consents": db.session.scalars(services.consents_for(person)).all(),
        "notes": db.session.scalars(services.notes_for(person)).all(),
        "note_form": note_form or NoteForm(formdata=None),
        "consent_form": consent_form,
    }


def vacancy_extras(vacancy: Vacancy) -> dict:
    """The vacancy page's shortlist and proposals."""
    return {
        "shortlist": db.session.scalars(services.shortlist_for(vacancy)).all(),
        "vacancy_proposals": db.session.scalars(services.proposals_for_vacancy(vacancy)).all(),
    }


def _organisation_choices(form: RecordedConsentForm) -> None:
    query = employer_services.organisations_query().where(Organisation.approved.is_(True))
    form.organisation_id.choices = choices([(o.id, o.name) for o in db.session.scalars(query)])


def render_participant(person: Participant, status: int = 200, **forms):
    """The counsellor's page of one participant. Every showing is logged (who, when), as the
    participant can see; re-showing it with a form error too."""
    record(current_user, "participant.view", "participant", person.id)
    transaction.keep_on_error()  # the log of what was shown stays on an error page too
    views = db.session.scalars(events_for("participant", person.id).limit(10)).all()
    return render_template(
        "counsellor/participant.html",
        participant=person,
        views=views,
        actors=actor_names(views),
        occupations=occupation_summary(person),
        **participant_extras(person, **forms),
    ), status


def _status_form(proposal: Proposal, formdata=None) -> StatusForm:
    form = StatusForm(formdata=formdata)
    allowed = services.next_statuses(proposal, current_user)
    form.to_status.choices = choices([(s, vocab.PROPOSAL_STATUSES[s]) for s in allowed])
    return form


def _render_proposal(proposal: Proposal, status: int = 200, status_form=None, note_form=None):
    return render_template(
        "proposals/proposal.html",
        proposal=proposal,
        status_form=status_form or _status_form(proposal),
        note_form=note_form or NoteForm(formdata=None),
        notes=db.session.scalars(services.notes_for(proposal.participant, proposal)).all(),
        identity_visible=services.identity_visible(proposal),
        pseudonym=services.pseudonym(proposal),
    ), status


@bp.get("/proposals")
@role_required(*STAFF)
def index():
    """Open proposals: mine (made by me or for my participants), or all."""
    show_all = request.args.get("all") == "1"
    query = services.open_proposals(None if show_all else current_user)
    page = paginate(query)
    return render_template("proposals/index.html", page=page, show_all=show_all)


@bp.get("/proposals/<int:proposal_id>")
@role_required(*STAFF)
def proposal(proposal_id: int):
    """One proposal: the match as seen when proposing, its history and notes."""
    return _render_proposal(get_proposal(proposal_id))


# Moves that end a proposal for good: asked first on a confirmation page.
ENDINGS = ("withdrawn", "declined")


def _confirm_ending(item: Proposal, to_status: str):
    back = url_for("proposals.proposal", proposal_id=item.id)
    if to_status not in services.next_statuses(item, current_user):
        flash(_("This proposal is “%(now)s”; it cannot be changed to “%(to)s”.",
                now=vocab.PROPOSAL_STATUSES[item.status],
                to=vocab.PROPOSAL_STATUSES[to_status]), "error")  # fmt: skip
        return redirect(back)
    form = _status_form(item, request.args)
    org = item.vacancy.organisation.name
    name = item.participant.display_name
    withdraw = to_status == "withdrawn"
    return render_confirm(
        title=(_("Withdraw the proposal of %(name)s to %(org)s?", name=name, org=org) if withdraw
               else _("Record that %(org)s declined %(name)s?", name=name, org=org)),
        consequences=[
            _("The employer sees the proposal as withdrawn and can no longer answer it.")
            if withdraw else _("The proposal is recorded as declined, with the reason chosen."),
            _("The proposal ends: its status cannot change any more, and the participant cannot "
              "be proposed for this vacancy again."),
        ],
        action=url_for("proposals.change_status", proposal_id=item.id),
        confirm_label=_("Yes, withdraw the proposal") if withdraw else _("Yes, record the decline"),
        cancel=back,
        fields={"to_status": to_status},
        form=form,
        form_fields=[] if withdraw else [form.reason],
    )  # fmt: skip


@bp.get("/proposals/<int:proposal_id>/withdraw")
@role_required(*STAFF)
def confirm_withdrawn(proposal_id: int):
    """Ask before withdrawing a proposal: it cannot be undone."""
    return _confirm_ending(get_proposal(proposal_id), "withdrawn")


@bp.get("/proposals/<int:proposal_id>/decline")
@role_required(*STAFF)
def confirm_declined(proposal_id: int):
    """Ask before recording the employer's decline (with its reason): it cannot be undone."""
    return _confirm_ending(get_proposal(proposal_id), "declined")


@bp.post("/proposals/<int:proposal_id>/status")
@role_required(*STAFF)
def change_status(proposal_id: int):
    """Move a proposal on; illegal moves are refused with the reason next to the field."""
    item = get_proposal(proposal_id)
    form = _status_form(item, request.form)
    # Validate against every status, so that an illegal move gets the flow's own message.
    form.to_status.choices = choices(vocab.PROPOSAL_STATUSES)
    ending = form.to_status.data in ENDINGS and form.to_status.data in services.next_statuses(
        item, current_user)  # fmt: skip
    if ending and form.validate_on_submit() and not confirmed():
        return redirect(url_for(f"proposals.confirm_{form.to_status.data}", proposal_id=item.id,
                                reason=form.reason.data or None))  # fmt: skip
    if form.validate_on_submit():
        try:
            services.change_status(item, form.to_status.data, current_user, form.reason.data,
                                   current_app.config["PLACEMENT_FOLLOWUP_SCHEDULE"])  # fmt: skip
        except services.ProposalError as error:
            transaction.discard()
            target = form.reason if form.to_status.data == "declined" else form.to_status
            target.errors = [str(error)]
        else:
            record(current_user, "proposal.status", "proposal", item.id, to=item.status)
            flash(_("Status saved: %(s)s.", s=vocab.PROPOSAL_STATUSES[item.status]), "success")
            return redirect(url_for("proposals.proposal", proposal_id=item.id))
    form.to_status.choices = _status_form(item).to_status.choices
    return _render_proposal(item, 400, status_form=form)


@bp.post("/proposals/<int:proposal_id>/notes")
@role_required(*STAFF)
def add_proposal_note(proposal_id: int):
    """A note on a proposal (kept with the participant's notes too)."""
    item = get_proposal(proposal_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _render_proposal(item, 400, note_form=form)
    services.add_note(item.participant, current_user, form.text.data, proposal=item)
    flash(_("Note saved."), "success")
    return redirect(url_for("proposals.proposal", proposal_id=item.id) + "#notes")


@bp.post("/participants/<int:participant_id>/notes")
@role_required(*STAFF)
def add_participant_note(participant_id: int):
    """A note on a participant."""
    person = get_participant(participant_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return render_participant(person, 400, note_form=form)
    services.add_note(person, current_user, form.text.data)
    flash(_("Note saved."), "success")
    return redirect(url_for("counsellor.participant", participant_id=person.id) + "#notes")


@bp.post("/participants/<int:participant_id>/consents")
@role_required(*STAFF)
def give_consent(participant_id: int):
    """Record that the participant agreed to share their profile with a named employer."""
    person = get_participant(participant_id)
    form = RecordedConsentForm()
    _organisation_choices(form)
    if not form.validate_on_submit():
        return render_participant(person, 400, consent_form=form)
    org = get_organisation(form.organisation_id.data)
    services.give_consent(person, org, current_user)
    flash(_("Consent to share with %(org)s recorded.", org=org.name), "success")
    return redirect(url_for("counsellor.participant", participant_id=person.id) + "#consents")


@bp.get("/participants/<int:participant_id>/consents/<int:organisation_id>/withdraw")
@role_required(*STAFF)
def confirm_withdraw_consent(participant_id: int, organisation_id: int):
    """Ask before recording that the participant withdrew consent to share."""
    person = get_participant(participant_id)
    org = get_organisation(organisation_id)
    back = url_for("counsellor.participant", participant_id=person.id) + "#consents"
    if services.active_consent(person, org) is None:
        flash(_("No consent to share with %(org)s is recorded.", org=org.name), "info")
        return redirect(back)
    return render_confirm(
        title=_("Record that %(name)s withdrew consent for %(org)s?", name=person.display_name,
                org=org.name),
        consequences=[
            _("%(org)s no longer sees the participant's name and contact details; proposals to "
              "them show the pseudonym only.", org=org.name),
            _("The consent stays on record, marked as withdrawn; a new consent can be recorded "
              "later."),
        ],
        action=url_for("proposals.withdraw_consent", participant_id=person.id,
                       organisation_id=org.id),
        confirm_label=_("Yes, record the withdrawal"),
        cancel=back,
    )  # fmt: skip


@bp.post("/participants/<int:participant_id>/consents/<int:organisation_id>/withdraw")
@role_required(*STAFF)
def withdraw_consent(participant_id: int, organisation_id: int):
    """Record that the participant withdrew consent to share with this employer."""
    person = get_participant(participant_id)
    org = get_organisation(organisation_id)
    if not confirmed():
        return redirect(url_for("proposals.confirm_withdraw_consent", participant_id=person.id,
                                organisation_id=org.id))  # fmt: skip
    services.withdraw_consent(person, org, current_user)
    flash(_("Consent to share with %(org)s withdrawn.", org=org.name), "success")
    return redirect(url_for("counsellor.participant", participant_id=person.id) + "#consents")
