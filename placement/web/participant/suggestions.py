"""Suggested internships and jobs with reasons in simple words; interest; own proposals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from placement.employers.models import Vacancy
from placement.extensions import db
from placement.matches import services as match_services
from placement.matching import MatchResult
from placement.participants import interests as interest_services
from placement.participants.models import Participant
from placement.proposals.services import identity_visible, proposals_for_participant
from placement.web.guards import get_vacancy
from placement.web.participant.blueprint import bp, own_profile
from placement.web.participant.reasons import Explanation, explain, is_near_miss, proposal_step

PAGE = 5  # suggestions per kind and group (fit / almost fit) before "show more": a phone
MAX_SHOWN = 100  # per kind and group when the participant asked to see all
KINDS = ("internship", "job")


@dataclass
class Suggestion:
    vacancy: Vacancy
    result: MatchResult
    why: Explanation
    interested: bool


def _related(result: MatchResult) -> bool:
    """Shares an occupation or skills with the profile, or is close in meaning."""
    parts = result.parts
    return parts.get("concept", 0) > 0 or parts.get("skills", 0) > 0 or result.score >= 0.5


@dataclass
class Hidden:
    """A vacancy not suggested (its title and employer), with the one reason why."""

    title: str
    employer: str
    reason: str


def _hidden_reason(key: str | None, related: bool, why: Callable[[], Explanation]) -> str:
    """The one reason a vacancy is not suggested; `why` words its result only when needed."""
    if not related:
        return _("It is far from the occupations in your profile.")
    if key is not None:  # fits or almost fits, but the list is long enough
        return _("Also fits; not shown to keep the list short.")
    gaps = why().gaps
    return gaps[0] if gaps else _("It does not fit at the moment.")


def _why(result: MatchResult, vacancy, participant: Participant) -> Explanation:
    """The result in simple words (`vacancy`: its facts or the vacancy), kept with the result
    per language.

    A result is kept with its judgement (matches/services.py) only as long as the participant's
    and the vacancy's engine records are unchanged, and every field `explain` says something
    about is in those records; so a reload words nothing again.
    """
    kept = result.__dict__.setdefault("kept_why", {})
    locale = str(get_locale())
    found = kept.get(locale)
    if found is None:
        found = kept[locale] = explain(result, vacancy, participant)
    return found


def _sections(ranked, participant, expanded: frozenset[str] = frozenset()) -> dict[str, dict]:
    """The suggestions per kind: those that fit and those that almost fit, best first (PAGE
    of each, or up to MAX_SHOWN for the kinds in `expanded`, the vacancies loaded whole; how
    many more there are is counted for "show more"), and the others named with the reason
    why (their titles and employers only, in one light query: a network has hundreds of
    vacancies)."""
    mine = interest_services.interested_vacancy_ids(participant)
    facts = match_services.vacancy_facts([item.result.id for item in ranked])
    sections = {kind: _section() for kind in KINDS}
    shown = []
    for item in ranked:
        result, fact = item.result, facts.get(item.result.id)
        if fact is None:  # no longer published
            continue
        section = sections.setdefault(fact.kind, _section())
        key = "fits" if result.eligible else "near" if is_near_miss(result) else None
        related = key != "near" or _related(result)
        if (key is not None and related and len(section[key]) >= PAGE
                and fact.kind not in expanded):  # fmt: skip
            section["more"][key] += 1  # behind "show more"
            continue
        if key is None or not related or len(section[key]) >= MAX_SHOWN:
            # one step away from a job unrelated to the person is no suggestion
            reason = _hidden_reason(key, related, lambda r=result, v=fact: _why(r, v, participant))
            section["hidden"].append(Hidden(fact.title, fact.employer, reason))
            continue
        section[key].append(result)
        shown.append(result.id)
    vacancies = match_services.records_of(shown, participants=False)
    for section in sections.values():
        for key in ("fits", "near"):
            section[key] = [
                Suggestion(vacancies[r.id], r, _why(r, facts[r.id], participant),
                           vacancies[r.id].id in mine)
                for r in section[key] if r.id in vacancies
            ]  # fmt: skip
    return sections


def _section() -> dict:
    return {"fits": [], "near": [], "hidden": [], "more": {"fits": 0, "near": 0}}


def _expanded(values: list[str]) -> frozenset[str]:
    """The kinds the participant asked to see in full (``?more=job``), known kinds only."""
    return frozenset(v for v in values if v in KINDS)


@bp.get("/suggestions")
def suggestions():
    """Internships and jobs that fit, then those that almost fit with what would help."""
    participant = own_profile()
    if not participant.consent_matching:
        return render_template("participant/suggestions_consent.html", participant=participant)
    if not participant.wants_suggestions:  # they said no to "still interested?"
        return render_template("participant/suggestions_paused.html", participant=participant)
    ranked = match_services.rank_vacancies(participant, current_user, load=False)
    expanded = _expanded(request.args.getlist("more"))
    return render_template(
        "participant/suggestions.html",
        participant=participant,
        sections=_sections(ranked, participant, expanded),
        expanded=sorted(expanded),
    )


def _back_to_list(vacancy: Vacancy | None = None):
    """Back to the suggestions as they were shown (the kinds opened in full stay open), at
    the vacancy acted on if there is one."""
    more = sorted(_expanded(request.form.getlist("more")))
    anchor = f"vacancy-{vacancy.id}" if vacancy is not None else None
    return redirect(url_for("participant.suggestions", more=more, _anchor=anchor))


@bp.post("/vacancies/<int:vacancy_id>/interest")
def mark_interest(vacancy_id: int):
    """Tell the counsellor: I am interested in this vacancy."""
    participant = own_profile()
    vacancy = get_vacancy(vacancy_id)
    try:
        interest_services.mark_interest(participant, vacancy, current_user)
    except interest_services.InterestError:
        flash(_("This vacancy is not open at the moment."), "error")
        return _back_to_list()
    flash(
        _("Your counsellor can now see that you are interested in “%(t)s”.", t=vacancy.title),
        "success",
    )
    return _back_to_list(vacancy)


@bp.post("/vacancies/<int:vacancy_id>/interest/delete")
def remove_interest(vacancy_id: int):
    """Take back an interest."""
    participant = own_profile()
    vacancy = db.get_or_404(Vacancy, vacancy_id)  # also for vacancies closed since
    interest_services.remove_interest(participant, vacancy, current_user)
    flash(_("Your interest in “%(t)s” is removed.", t=vacancy.title), "success")
    return _back_to_list(vacancy)


@bp.get("/proposals")
def proposals():
    """Where the counsellor proposed me, the status of each proposal and its history."""
    participant = own_profile()
    items = db.session.scalars(proposals_for_participant(participant)).all()
    visible = {p.id: identity_visible(p) for p in items}
    interests = db.session.scalars(interest_services.interested_vacancies(participant)).all()
    return render_template(
        "participant/proposals.html",
        proposals=items,
        visible=visible,
        interests=interests,
        step_text=proposal_step,
    )
