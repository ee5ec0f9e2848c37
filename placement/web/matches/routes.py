"""Counsellors' match pages: ranked participants for a vacancy and ranked vacancies for a
participant, each explained; the shortlist of a vacancy; proposing to an employer.

The ranking is a suggestion: the counsellor decides (AI Act Art. 14). Each list shown is logged.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from placement.access import STAFF
from placement.employers import candidates
from placement.extensions import db
from placement.matches import learning, listing
from placement.matches import services as match_services
from placement.matching import Matcher
from placement.proposals import services as proposals
from placement.proposals.models import Proposal
from placement.web import transaction
from placement.web.guards import get_participant, get_vacancy, is_safe_next, role_required
from placement.web.matches.forms import (
    BulkShortlistForm,
    MatchFilterForm,
    ParticipantActionForm,
    ProposeForm,
)

bp = Blueprint("matches", __name__, url_prefix="/counsellor")


def stored_weights() -> dict | None:
    """The learned weights record in use, or None when the engine's defaults apply."""
    path = learning.weights_path(
        current_app.instance_path, current_app.config.get("PLACEMENT_MATCH_WEIGHTS_FILE")
    )
    return learning.load_weights(path)


def current_matcher() -> tuple[Matcher, dict | None]:
    """The matcher with the learned weights when there are any (else the defaults)."""
    learned = stored_weights()
    weights = learned["weights"] if learned else None
    return match_services.get_matcher(weights=weights), learned


def engine_info(matcher: Matcher, learned: dict | None) -> dict:
    """What the page tells about the engine: version, model, fallback, weights."""
    return {
        "engine_version": match_services.ENGINE_VERSION,
        "model_name": matcher.encoder_.name,
        "is_fallback": matcher.is_fallback,
        "weights": matcher.score_weights,
        "learned": learned,
    }


KEPT_ROWS = 16  # renderings kept per result: languages, sorts, pages, badges changing


@bp.app_template_global()
def kept_html(result) -> dict:
    """The rows of a result rendered before, by everything a row shows.

    A ranked page renders a row (its facts, badges and explanation) from the engine's result,
    the record and what is known about the pair (interest, shortlist, proposal, identity
    shared); the template keys each rendering by all of these and the language and address of
    the page. The result is kept with its judgement (matches/services.py) as long as nothing it
    depends on changes, so a reload or another counsellor's visit renders nothing again. At most
    KEPT_ROWS renderings are kept per result.
    """
    kept = result.__dict__.setdefault("kept_html", {})
    if len(kept) >= KEPT_ROWS:
        kept.clear()
    return kept


KEPT_FILTERS = 512  # filter forms kept rendered (by language, list and query)
_filters: dict = {}


@bp.app_template_global()
def kept_filters() -> dict:
    """The filter forms of the match lists rendered before, by language, list and query string
    (a form shows nothing else); at most KEPT_FILTERS, then they are rendered anew."""
    if len(_filters) >= KEPT_FILTERS:
        _filters.clear()
    return _filters


def _back(default: str) -> str:
    target = request.form.get("next")
    return target if is_safe_next(target) else default


def render_ranked(template: str, subject, extras: Callable[[], dict], **record) -> tuple:
    """A ranked list page: the filters checked, the page's 25 rows fetched from the engine with
    the counts per group (the rows shown are logged), with what the page tells about the
    engine and the form that shortlists the rows ticked."""
    form = MatchFilterForm(request.args)
    if not form.validate():
        return render_template(template, form=form, **record), 400
    matcher, learned = current_matcher()
    page, ranked = listing.fetch_page(
        subject, current_user, matcher, form.filters(), group=form.group.data or None,
        sort=form.sort.data or "score", page=form.page.data or 1,
        per_page=current_app.config["PLACEMENT_PAGE_SIZE"],
    )  # fmt: skip
    return render_template(
        template,
        form=form,
        page=page,
        ranked=ranked,  # what is still being prepared (placement/matches/preparation.py)
        engine=engine_info(matcher, learned),
        bulk=BulkShortlistForm(formdata=None, next=request.full_path),
        **extras(),
        **record,
    ), 200


@bp.get("/vacancies/<int:vacancy_id>/matches")
@role_required(*STAFF)
def vacancy_matches(vacancy_id: int):
    """Participants ranked for a vacancy: 25 compact rows a page with counts, each explained on
    demand; filtered, sorted, several shortlisted at once. The ranking shown is logged."""
    vacancy = get_vacancy(vacancy_id)

    def extras() -> dict:
        made = db.session.scalars(proposals.proposals_for_vacancy(vacancy))
        return {
            "shortlist": db.session.scalars(proposals.shortlist_for(vacancy)).all(),
            "badges": listing.badges_for_vacancy(vacancy),
            "proposed": {p.participant_id: p for p in made},
        }

    return render_ranked("matches/vacancy.html", vacancy, extras, vacancy=vacancy)


@bp.get("/participants/<int:participant_id>/matches")
@role_required(*STAFF)
def participant_matches(participant_id: int):
    """Jobs and internships ranked for a participant: 25 compact rows a page with counts, each
    explained on demand; filtered, sorted, shortlisted for several at once. Logged."""
    person = get_participant(participant_id)

    def extras() -> dict:
        made = db.session.scalars(proposals.proposals_for_participant(person))
        return {
            "badges": listing.badges_for_participant(person),
            "proposed": {p.vacancy_id: p for p in made},
        }

    return render_ranked("matches/participant.html", person, extras, participant=person)


@bp.post("/vacancies/<int:vacancy_id>/shortlist/many")
@role_required(*STAFF)
def shortlist_many(vacancy_id: int):
    """Put every participant ticked in the match list on this vacancy's shortlist."""
    vacancy = get_vacancy(vacancy_id)
    form = BulkShortlistForm()
    back = _back(url_for("matches.vacancy_matches", vacancy_id=vacancy.id))
    if not form.validate_on_submit():
        flash(_("Tick at least one row first."), "error")
        return redirect(back)
    people = [get_participant(i) for i in dict.fromkeys(form.ids.data)]
    for person in people:
        proposals.add_to_shortlist(vacancy, person, current_user)
    flash(_("%(n)d added to the shortlist.", n=len(people)), "success")
    return redirect(back)


@bp.post("/participants/<int:participant_id>/shortlist")
@role_required(*STAFF)
def shortlist_for_many(participant_id: int):
    """Put this participant on the shortlist of every vacancy ticked in the match list."""
    person = get_participant(participant_id)
    form = BulkShortlistForm()
    back = _back(url_for("matches.participant_matches", participant_id=person.id))
    if not person.consent_matching:
        flash(_("The participant has not consented to matching."), "error")
        return redirect(back)
    if not form.validate_on_submit():
        flash(_("Tick at least one row first."), "error")
        return redirect(back)
    vacancies = [get_vacancy(i) for i in dict.fromkeys(form.ids.data)]
    for vacancy in vacancies:
        proposals.add_to_shortlist(vacancy, person, current_user)
    flash(_("%(name)s is on the shortlist of %(n)d vacancies.", name=person.display_name,
            n=len(vacancies)), "success")  # fmt: skip
    return redirect(back)


def _participant_from_form(form: ParticipantActionForm):
    if not form.validate_on_submit():
        abort(400)
    return get_participant(form.participant_id.data)


@bp.post("/vacancies/<int:vacancy_id>/shortlist")
@role_required(*STAFF)
def shortlist_add(vacancy_id: int):
    """Keep a participant in view for this vacancy."""
    vacancy = get_vacancy(vacancy_id)
    form = ParticipantActionForm()
    person = _participant_from_form(form)
    proposals.add_to_shortlist(vacancy, person, current_user)
    flash(_("%(name)s is on the shortlist.", name=person.display_name), "success")
    return redirect(_back(url_for("matches.vacancy_matches", vacancy_id=vacancy.id)))


@bp.post("/vacancies/<int:vacancy_id>/shortlist/remove")
@role_required(*STAFF)
def shortlist_remove(vacancy_id: int):
    """Take a participant off this vacancy's shortlist."""
    vacancy = get_vacancy(vacancy_id)
    form = ParticipantActionForm()
    person = _participant_from_form(form)
    proposals.remove_from_shortlist(vacancy, person)
    flash(_("%(name)s is off the shortlist.", name=person.display_name), "success")
    return redirect(_back(url_for("matches.vacancy_matches", vacancy_id=vacancy.id)))


def _refusal(vacancy, person, snapshot: dict) -> str | None:
    """Why this person cannot be proposed at all (the same checks as proposing), or None."""
    if vacancy.status != "published" or not vacancy.organisation.approved:
        return _("Only published vacancies of approved employers can receive proposals.")
    if not person.consent_matching:
        return _(
            "The participant has not consented to being proposed to employers. "
            "Record their consent first."
        )
    constraints = snapshot.get("constraints") or []
    if any(c.get("name") == "work_permit" and not c.get("met") for c in constraints):
        return _("The participant has no permission to work; they cannot be proposed.")
    return None


def _render_confirm(vacancy, person, form: ProposeForm, snapshot: dict, status: int = 200):
    preview = candidates.preview_candidate(vacancy, person, snapshot, form.note.data or None)
    return render_template(
        "matches/propose.html",
        vacancy=vacancy,
        participant=person,
        form=form,
        candidate=preview,
        eligible=bool(snapshot.get("eligible")),
        snapshot=snapshot,
        back=_back(url_for("matches.vacancy_matches", vacancy_id=vacancy.id)),
    ), status


@bp.get("/vacancies/<int:vacancy_id>/propose/<int:participant_id>")
@role_required(*STAFF)
def confirm_propose(vacancy_id: int, participant_id: int):
    """Before proposing: exactly what the employer will see, a covering note, Confirm or Cancel."""
    vacancy = get_vacancy(vacancy_id)
    person = get_participant(participant_id)
    form = ProposeForm(formdata=None, participant_id=person.id, next=request.args.get("next"))
    back = form.next.data if is_safe_next(form.next.data) else url_for(
        "matches.vacancy_matches", vacancy_id=vacancy.id)  # fmt: skip
    matcher, _learned = current_matcher()
    snapshot = match_services.match_snapshot(vacancy, person, matcher)
    refusal = _refusal(vacancy, person, snapshot)
    if refusal:
        flash(refusal, "error")
        return redirect(back)
    return _render_confirm(vacancy, person, form, snapshot)


@bp.post("/vacancies/<int:vacancy_id>/propose")
@role_required(*STAFF)
def propose(vacancy_id: int):
    """Propose a participant to the vacancy's employer once confirmed; the match as seen and
    the covering note are kept with it. Without ``confirmed`` it leads to the confirmation."""
    vacancy = get_vacancy(vacancy_id)
    form = ProposeForm()
    if not form.validate_on_submit() and set(form.errors) - {"note"}:
        abort(400)
    person = get_participant(form.participant_id.data)
    if form.confirmed.data != "y":  # nothing is sent before the confirmation page
        return redirect(url_for("matches.confirm_propose", vacancy_id=vacancy.id,
                                participant_id=person.id, next=form.next.data or None))  # fmt: skip
    back = _back(url_for("matches.vacancy_matches", vacancy_id=vacancy.id))
    matcher, _learned = current_matcher()
    snapshot = match_services.match_snapshot(vacancy, person, matcher)
    if form.note.errors:
        return _render_confirm(vacancy, person, form, snapshot, 400)
    try:
        proposal: Proposal = proposals.propose_match(
            vacancy,
            person,
            current_user,
            snapshot,
            unmet_checked=bool(form.unmet_checked.data),
            note=form.note.data or None,
        )
    except proposals.ProposalError as error:
        transaction.discard()
        if (
            not snapshot.get("eligible")
            and not form.unmet_checked.data
            and not _refusal(vacancy, person, snapshot)
        ):
            form.unmet_checked.errors = [str(error)]
            return _render_confirm(vacancy, person, form, snapshot, 400)
        flash(str(error), "error")
        return redirect(back)
    flash(
        _("%(name)s proposed to %(org)s.", name=person.display_name, org=vacancy.organisation.name),
        "success",
    )
    return redirect(url_for("proposals.proposal", proposal_id=proposal.id))
