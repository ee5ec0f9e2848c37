"""Interview times: the employer proposes them on the candidate page, the counsellor or the
participant accepts one on theirs, and each downloads the accepted one as an .ics file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime
from flask import Blueprint, Response, abort, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateTimeLocalField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from placement import access
from placement.extensions import db
from placement.proposals import interviews, services
from placement.proposals.models import InterviewSlot, Proposal
from placement.web import transaction
from placement.web.employer.proposals import render_proposal
from placement.web.form_base import BaseForm
from placement.web.guards import get_answerable_proposal, role_required

bp = Blueprint("interviews", __name__, url_prefix="/interviews")
LOCAL_ZONE = "Europe/Berlin"  # times are typed and shown in German local time


def _zone():
    try:
        return ZoneInfo(LOCAL_ZONE)
    except ZoneInfoNotFoundError:  # no tz database: times are UTC
        return UTC


class InterviewTimesForm(BaseForm):
    """One to three times (German local time), how long, where."""

    time_1 = DateTimeLocalField(_l("First time"), validators=[InputRequired()])
    time_2 = DateTimeLocalField(_l("Second time (optional)"), validators=[Optional()])
    time_3 = DateTimeLocalField(_l("Third time (optional)"), validators=[Optional()])
    minutes = IntegerField(
        _l("Duration in minutes"),
        default=45,
        validators=[
            InputRequired(),
            NumberRange(min=interviews.MIN_MINUTES, max=interviews.MAX_MINUTES),
        ],
    )
    place = StringField(_l("Place (address, or “video call” with the link)"),
                        validators=[DataRequired(), Length(max=300)])  # fmt: skip

    def starts_utc(self) -> list[datetime]:
        zone = _zone()
        return [
            f.data.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
            for f in (self.time_1, self.time_2, self.time_3)
            if f.data is not None
        ]


@bp.app_template_global()
def interview_slots(proposal: Proposal) -> list[InterviewSlot]:
    """The open and accepted interview times of a proposal."""
    return interviews.slots_for(proposal) if proposal.id else []


@bp.app_template_global()
def interview_time(slot: InterviewSlot) -> str:
    """ "Mo., 14. Dez. 2026, 10:00–10:45" in German local time and the interface language."""
    start = slot.starts_at.replace(tzinfo=UTC)
    end = start + timedelta(minutes=slot.minutes)
    zone, locale = _zone(), str(get_locale())
    return "{}–{}".format(
        format_datetime(start, "EEE d MMM y, HH:mm", tzinfo=zone, locale=locale),
        format_datetime(end, "HH:mm", tzinfo=zone, locale=locale),
    )


@bp.app_template_global()
def new_times_form() -> InterviewTimesForm:
    return InterviewTimesForm(formdata=None)


@bp.app_template_global()
def can_accept_times(proposal: Proposal) -> bool:
    """May the current user accept a time for this candidate (counsellor, or the person)?"""
    return proposal.status in interviews.OPEN_FOR_TIMES and (
        access.is_staff(current_user) or _is_the_participant(proposal)
    )


def _is_the_participant(proposal: Proposal) -> bool:
    return current_user.role == "participant" and proposal.participant.user_id == current_user.id


def get_slot(slot_id: int) -> InterviewSlot:
    """A slot for the proposal's employer, staff, or the participant it is about; 404 else."""
    slot = db.get_or_404(InterviewSlot, slot_id)
    proposal = slot.proposal
    if current_user.role == "employer":
        allowed = access.can_answer_proposal(current_user, proposal)
    elif current_user.role == "participant":
        allowed = _is_the_participant(proposal)
    else:
        allowed = access.can_view_proposal(current_user, proposal)
    if not allowed:
        abort(404)
    return slot


def _back(proposal: Proposal) -> str:
    if current_user.role == "employer":
        url = url_for("employer_proposals.proposal", proposal_id=proposal.id)
    elif current_user.role == "participant":
        url = url_for("participant.proposals")
    else:
        url = url_for("proposals.proposal", proposal_id=proposal.id)
    return f"{url}#interview-{proposal.id}"


@bp.post("/proposals/<int:proposal_id>")
@role_required("employer")
def propose(proposal_id: int):
    """The employer proposes one to three interview times (earlier open ones are replaced)."""
    proposal = get_answerable_proposal(proposal_id)
    form = InterviewTimesForm()
    if not form.validate_on_submit():
        return render_proposal(proposal, status=400, times_form=form)
    try:
        interviews.propose_times(proposal, current_user, form.starts_utc(), form.minutes.data,
                                 form.place.data)  # fmt: skip
    except interviews.InterviewError as error:
        transaction.discard()
        form.time_1.errors = [*form.time_1.errors, str(error)]
        return render_proposal(proposal, status=400, times_form=form)
    flash(_("Interview times sent. The counsellor and the candidate can accept one."), "success")
    return redirect(_back(proposal))


@bp.post("/<int:slot_id>/accept")
@role_required("counsellor", "admin", "participant")
def accept(slot_id: int):
    """The counsellor or the participant accepts one of the proposed times."""
    slot = get_slot(slot_id)
    try:
        interviews.accept_time(slot, current_user)
    except interviews.InterviewError as error:
        transaction.discard()
        flash(str(error), "error")
        return redirect(_back(slot.proposal))
    flash(_("Interview time accepted: %(t)s.", t=interview_time(slot)), "success")
    return redirect(_back(slot.proposal))


@bp.get("/<int:slot_id>.ics")
@role_required("employer", "counsellor", "admin", "participant")
def calendar(slot_id: int):
    """The accepted interview time as a calendar file, worded for whoever downloads it."""
    slot = get_slot(slot_id)
    if slot.status != "accepted":
        abort(404)
    proposal = slot.proposal
    vacancy = proposal.vacancy
    if current_user.role == "employer":
        who = (proposal.participant.display_name if services.identity_visible(proposal)
               else services.pseudonym(proposal))  # fmt: skip
        summary = _("Interview: %(who)s for %(job)s", who=who, job=vacancy.title)
    elif current_user.role == "participant":
        summary = _("Interview at %(org)s: %(job)s", org=vacancy.organisation.name,
                    job=vacancy.title)  # fmt: skip
    else:
        summary = _("Interview: %(who)s at %(org)s", who=proposal.participant.display_name,
                    org=vacancy.organisation.name)  # fmt: skip
    description = _("Interview for the vacancy “%(job)s” at %(org)s.", job=vacancy.title,
                    org=vacancy.organisation.name)  # fmt: skip
    body = interviews.ics(slot, summary, description, slot.place)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="interview-{slot.id}.ics"'})  # fmt: skip
