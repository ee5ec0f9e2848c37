"""Employer area: candidates proposed by counsellors, pseudonymised until consent, and answers."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement import vocab
from placement.employers import candidates
from placement.employers.models import Vacancy
from placement.proposals import services as proposals
from placement.proposals.models import Proposal
from placement.web import transaction
from placement.web.confirm import confirmed, render_confirm
from placement.web.employer.forms import AnswerForm
from placement.web.employer.routes import own_organisation
from placement.web.guards import get_answerable_proposal, role_required
from placement.web.pages import paginate

bp = Blueprint("employer_proposals", __name__, url_prefix="/employer/proposals")


def render_proposal(proposal: Proposal, form: AnswerForm | None = None, status: int = 200,
                    times_form=None):  # fmt: skip
    """The candidate page (also re-shown by web/proposals/interviews.py with the interview
    form's errors)."""
    # Every showing of a proposed profile to an employer is logged, re-showing after an error too.
    candidate = candidates.view_candidate(proposal, current_user)
    transaction.keep_on_error()  # the log of what was shown stays on an error page too
    return render_template(
        "employer/proposal.html",
        proposal=proposal,
        candidate=candidate,
        form=form or AnswerForm(formdata=None),
        answers=_answers(proposal),
        times_form=times_form,
    ), status  # fmt: skip


def _answers(proposal: Proposal) -> list[str]:
    return candidates.answers_for(proposal, current_user)


def _decline_page(item: Proposal, form: AnswerForm, status: int = 200):
    pseudonym = proposals.pseudonym(item)
    return render_confirm(
        title=_("Decline candidate %(p)s?", p=pseudonym),
        consequences=[
            _("The counsellor sees your decline and the reason you choose."),
            _("The proposal ends: you cannot invite or hire this candidate through it any more."),
        ],
        action=url_for("employer_proposals.answer", proposal_id=item.id),
        confirm_label=_("Yes, decline"),
        cancel=url_for("employer_proposals.proposal", proposal_id=item.id),
        fields={"to_status": "declined"},
        form=form,
        form_fields=[form.reason],
        status=status,
    )


@bp.get("/")
@role_required("employer")
def index():
    """Proposals received for the organisation's vacancies, newest first."""
    organisation = own_organisation()
    query = proposals.proposals_for_organisation(organisation)
    vacancy_id = request.args.get("vacancy", type=int)
    if vacancy_id:
        query = query.where(Vacancy.id == vacancy_id)
    page = paginate(query)
    return render_template(
        "employer/proposals.html",
        organisation=organisation,
        page=page,
        pseudonym=proposals.pseudonym,
        identity_visible=proposals.identity_visible,
    )


@bp.get("/<int:proposal_id>")
@role_required("employer")
def proposal(proposal_id: int):
    """A proposed candidate: pseudonym and job-relevant facts, name and contact after consent."""
    return render_proposal(get_answerable_proposal(proposal_id))


@bp.get("/<int:proposal_id>/decline")
@role_required("employer")
def confirm_decline(proposal_id: int):
    """Ask before declining: choose the reason, then confirm; it cannot be undone."""
    item = get_answerable_proposal(proposal_id)
    if "declined" not in _answers(item):
        flash(_("This proposal is closed; no further answer is possible."), "error")
        return redirect(url_for("employer_proposals.proposal", proposal_id=item.id))
    return _decline_page(item, AnswerForm(request.args))


@bp.post("/<int:proposal_id>/answer")
@role_required("employer")
def answer(proposal_id: int):
    """Invite, offer an internship, hire or decline with a reason; every answer is recorded."""
    item = get_answerable_proposal(proposal_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return render_proposal(item, form, 400)
    to_status = form.to_status.data
    if to_status == "declined" and not confirmed():
        return redirect(url_for("employer_proposals.confirm_decline", proposal_id=item.id,
                                reason=form.reason.data or None))  # fmt: skip
    if to_status == "declined" and not form.reason.data and "declined" in _answers(item):
        form.reason.errors.append(_("Choose a reason for declining."))
        return _decline_page(item, form, 400)
    try:
        candidates.answer(item, to_status, current_user, form.reason.data or None,
                          current_app.config["PLACEMENT_FOLLOWUP_SCHEDULE"])  # fmt: skip
    except proposals.ProposalError:
        transaction.discard()
        if to_status == "declined" and to_status in proposals.PROPOSAL_FLOW[item.status]:
            form.reason.errors.append(_("Choose a reason for declining."))
        else:
            form.to_status.errors.append(
                _("This proposal is “%(now)s”; it cannot be changed to “%(to)s”.",
                  now=vocab.PROPOSAL_STATUSES[item.status],
                  to=vocab.PROPOSAL_STATUSES[to_status])
            )  # fmt: skip
        return render_proposal(item, form, 400)
    flash(_("Answer recorded: %(s)s.", s=vocab.PROPOSAL_STATUSES[to_status]), "success")
    return redirect(url_for("employer_proposals.proposal", proposal_id=item.id))
