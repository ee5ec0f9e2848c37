"""Plain-language reasons for a participant: why a vacancy fits, what would help, what to do.

Built from the engine's structured result (constraint name and status) and the records' own
values, never by rewording the engine's English detail strings, so every sentence is translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from placement.employers.models import Vacancy
from placement.matching import ConstraintCheck, MatchResult
from placement.participants.models import Participant
from placement.vocab import DECLINE_REASONS
from placement.web import wording
from placement.web.i18n import gettext as _

MAX_SKILLS = 4


@dataclass
class Explanation:
    fits: list[str] = field(default_factory=list)  # what fits
    gaps: list[str] = field(default_factory=list)  # what does not fit yet, and what would help
    todo: list[str] = field(default_factory=list)  # met, but someone has to act


def is_near_miss(result: MatchResult) -> bool:
    """Not eligible, but every failed constraint is one step away (a course, a decision...)."""
    failed = [c for c in result.constraints if not c.met]
    return not result.eligible and bool(failed) and all(c.status == "near_miss" for c in failed)


def _skills(items: list[str]) -> str:
    shown = ", ".join(wording.skill(s) for s in items[:MAX_SKILLS])
    more = len(items) - MAX_SKILLS
    return shown + (" " + _("(and %(n)d more)", n=more) if more > 0 else "")


def _german(c: ConstraintCheck, v: Vacancy, p: Participant, out: Explanation) -> None:
    need, have = v.german_level, p.german_level
    if c.status == "unknown":
        out.todo.append(
            _("The job needs German %(need)s. Add your German level to your profile.", need=need)
        )
    elif c.met:
        if need:
            out.fits.append(
                _("Your German level %(have)s fits (%(need)s needed).", have=have, need=need)
            )
        else:
            out.fits.append(_("No particular German level is needed."))
    elif c.status == "near_miss":
        out.gaps.append(
            _(
                "The job needs %(need)s: a Berufssprachkurs %(have)s->%(need)s could help.",
                need=need,
                have=have,
            )
        )
    else:
        out.gaps.append(
            _(
                "The job needs German %(need)s and you have %(have)s: Berufssprachkurse "
                "can take you there step by step.",
                need=need,
                have=have,
            )
        )


def _commute(c: ConstraintCheck, r: MatchResult, v: Vacancy, p: Participant, out) -> None:
    if r.distance_km is None:
        if not p.postcode:
            out.todo.append(_("Add your postcode to your profile to see how far away it is."))
        return
    km = round(r.distance_km)
    if c.met:
        if r.distance_km < 1:
            out.fits.append(_("It is in the place where you live."))
        else:
            out.fits.append(_("You live %(km)s away.", km=wording.km(r.distance_km)))
    else:
        limit = min(x for x in (p.max_commute_km, v.radius_km) if x is not None)
        out.gaps.append(
            _(
                "It is %(km)d km away, more than %(limit)d km. Tell your counsellor if "
                "you could travel further.",
                km=km,
                limit=limit,
            )
        )


def _hours(c: ConstraintCheck, v: Vacancy, p: Participant, out: Explanation) -> None:
    if c.status == "unknown":
        out.todo.append(_("Add to your profile how many hours a week you can work."))
    elif c.met and v.hours_per_week and p.hours_per_week:
        out.fits.append(
            _(
                "You can work %(have)d hours a week (%(need)d needed).",
                have=p.hours_per_week,
                need=v.hours_per_week,
            )
        )
    elif not c.met:
        out.gaps.append(
            _(
                "The job needs %(need)d hours a week and you can work %(have)d. Your "
                "counsellor can ask the employer about part-time.",
                need=v.hours_per_week,
                have=p.hours_per_week,
            )
        )


def _recognition(c: ConstraintCheck, p: Participant, out: Explanation) -> None:
    state = p.recognition if p.qualifications else None
    if c.status == "unknown" or (not c.met and state is None):
        out.gaps.append(
            _(
                "This job needs a recognised qualification (Anerkennung). Tell your "
                "counsellor about your qualification."
            )
        )
    elif c.status == "flag":
        out.todo.append(
            _("This placement can help you reach full recognition (Anpassungsqualifizierung).")
        )
    elif c.met:
        if state == "recognised":
            out.fits.append(_("Your qualification is recognised."))
    elif state == "partial":
        out.gaps.append(
            _(
                "This job needs full recognition of your qualification. An "
                "Anpassungsqualifizierung could close the gap."
            )
        )
    elif state == "in_process":
        out.gaps.append(
            _(
                "This job needs recognition (Anerkennung). Yours is in process: once it "
                "is decided, this job can fit."
            )
        )
    else:
        out.gaps.append(
            _(
                "This job needs recognition (Anerkennung) of your qualification. Your "
                "counsellor can help you apply."
            )
        )


def _permit(c: ConstraintCheck, p: Participant, out: Explanation) -> None:
    if c.name == "work_permit":
        if c.status == "flag":
            out.todo.append(
                _(
                    "The Ausländerbehörde must allow this job first. Your counsellor can "
                    "ask for the permission."
                )
            )
        elif not c.met:
            out.gaps.append(
                _(
                    "Your residence document does not allow work at the moment. Your "
                    "counsellor can help you check this."
                )
            )
        return
    expires = wording.date(p.permit_expires) if p.permit_expires else ""
    if c.status == "flag":
        out.todo.append(
            _("Your residence document expires on %(date)s. Renew it in time.", date=expires)
        )
    elif not c.met:
        out.gaps.append(
            _(
                "Your residence document expired on %(date)s. Renew it at the Ausländerbehörde.",
                date=expires,
            )
        )


def explain(result: MatchResult, vacancy: Vacancy, participant: Participant) -> Explanation:
    """The result in simple words, for the participant it is about."""
    out = Explanation()
    for check in result.constraints:
        if check.name == "german_level":
            _german(check, vacancy, participant, out)
        elif check.name == "commute":
            _commute(check, result, vacancy, participant, out)
        elif check.name == "hours":
            _hours(check, vacancy, participant, out)
        elif check.name == "recognition":
            _recognition(check, participant, out)
        elif check.name in ("work_permit", "permit_expiry"):
            _permit(check, participant, out)
    if result.matched_skills:
        out.fits.append(_("Your skills fit: %(skills)s.", skills=_skills(result.matched_skills)))
    if result.missing_skills:
        out.gaps.append(_("Also asked for: %(skills)s.", skills=_skills(result.missing_skills)))
    return out


def proposal_step(event) -> str:
    """One change of a proposal, said to the person it is about."""
    to, role = event.to_status, event.actor_role
    if to == "proposed":
        return _("Your counsellor suggested you to the employer.")
    if to == "withdrawn":
        if role == "participant":
            return _("You withdrew from this proposal.")
        return _("The proposal was withdrawn.")
    if to == "declined":
        reason = DECLINE_REASONS.get(event.reason or "", "")
        if role == "employer":
            return _("The employer said no. Reason: %(r)s", r=reason)
        return _("Your counsellor recorded a no. Reason: %(r)s", r=reason)
    said = {
        "invited": _("you are invited to an interview"),
        "internship": _("you are offered an internship"),
        "hired": _("you are hired"),
    }.get(to, to)
    if role == "employer":
        return _("The employer answered: %(s)s.", s=said)
    return _("Your counsellor recorded: %(s)s.", s=said)
