"""Hard constraints: who may take which job (see docs/domain.md, "Who may work where").

Each check returns a ConstraintCheck. `met=False` makes the pair ineligible; `status` says more:
"met", "failed", "near_miss" (failed, but one step away: counsellors act on these), "flag"
(met, but the counsellor must do something) or "unknown" (data missing: reported, not failed).

What a check found is a code with parameters (`code`, `step`, `params`), so that an app can say
it in its users' language; `detail` and `next_step` are its English wording (for the CLI).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .geo import Postcodes
from .records import CEFR_LEVELS, CandidateRecord, VacancyRecord

PERMIT_WARNING_DAYS = 90

# The English wording of every detail and next-step code; parameters by name.
ENGLISH = {
    "work_permit.unknown": "work permit not recorded",
    "work_permit.not_permitted": "no work permit (Erwerbstätigkeit nicht gestattet)",
    "work_permit.approval_required": (
        "permit must be requested for this job (Beschäftigung nur mit Genehmigung)"
    ),
    "work_permit.any_work": "may work (any work)",
    "work_permit.employment": "may work (employment)",
    "german.not_required": "no German level required",
    "german.unknown": "German {need} required, candidate's level not recorded",
    "german.met": "German {have} (required {need})",
    "german.one_below": "German {have}, one level below required {need}",
    "german.below": "German {have}, {gap} levels below required {need}",
    "recognition.not_required": "no recognition required",
    "recognition.unknown": "recognition required, candidate's status not recorded",
    "recognition.recognised": "recognition required: recognised",
    "recognition.not_needed": "recognition required: marked as not needed",
    "recognition.partial_fits": "partial recognition: fits this adaptation placement only",
    "recognition.partial": "partial recognition only; the regulated job needs full recognition",
    "recognition.in_process": "recognition in process; required before working",
    "recognition.not_applied": "recognition required but not applied for",
    "commute.no_postcode": "distance unknown (postcode not recorded)",
    "commute.unknown_postcode": "distance unknown (unknown postcode {postcodes})",
    "commute.no_limit": "{km:.0f} km, no commute limit",
    "commute.within": "{km:.0f} km (limit {limit:.0f} km)",
    "commute.too_far": "too far: {km:.0f} km (limit {limit:.0f} km)",
    "hours.not_given": "no weekly hours given",
    "hours.unknown": "{need:g} h/week needed, availability not recorded",
    "hours.met": "available {have:g} h/week (needs {need:g})",
    "hours.short": "available {have:g} h/week, job needs {need:g}",
    "permit.no_expiry": "no expiry date recorded",
    "permit.expired": "permit expired on {date}",
    "permit.expires_soon": "permit expires on {date} (in {days} days)",
    "permit.valid": "permit valid until {date}",
    # next steps
    "step.check_residence_status": "check the residence status with the Ausländerbehörde",
    "step.request_permit": "request permit from Ausländerbehörde",
    "step.language_course": "Berufssprachkurs {have}->{need}",
    "step.language_courses": "Berufssprachkurs {have}->{need} (several courses)",
    "step.adaptation_remaining": "Anpassungsqualifizierung to close the remaining differences",
    "step.adaptation_full": "Anpassungsqualifizierung (adaptation placement) for full recognition",
    "step.follow_up_recognition": "follow up the recognition decision (Anerkennung in process)",
    "step.apply_recognition": "apply for recognition (Anerkennung)",
    "step.discuss_commute": "discuss moving or a longer commute with the candidate",
    "step.ask_part_time": (
        "ask the employer about part-time; check childcare or other availability limits"
    ),
    "step.renew_permit": "renew the residence permit at the Ausländerbehörde",
}


def english(code: str, params: dict | None = None) -> str:
    """The English wording of a detail or next-step code."""
    return ENGLISH[code].format(**(params or {}))


@dataclass(frozen=True)
class ConstraintCheck:
    """The outcome of one hard constraint for one vacancy-candidate pair.

    `code` says what was found, `step` (a code too, or None) what would close the gap or must be
    done; both take their values from `params` (numbers, CEFR levels, ISO dates, postcodes).
    """

    name: str
    met: bool
    code: str
    params: dict = field(default_factory=dict)
    step: str | None = None
    status: str = "met"

    @property
    def detail(self) -> str:
        """What was found, in English."""
        return english(self.code, self.params)

    @property
    def next_step(self) -> str | None:
        """What to do, in English (None when nothing is to be done)."""
        return english(self.step, self.params) if self.step else None

    def to_dict(self) -> dict:
        """JSON-safe dict: the codes with their parameters, and the English wording."""
        return {
            "name": self.name,
            "met": self.met,
            "status": self.status,
            "code": self.code,
            "step": self.step,
            "params": dict(self.params),
            "detail": self.detail,
            "next_step": self.next_step,
        }

    @property
    def is_flag(self) -> bool:
        """Met, but a counsellor has to act (e.g. request a permit)."""
        return self.status == "flag"


def _ok(name: str, code: str, **params) -> ConstraintCheck:
    return ConstraintCheck(name, True, code, params)


def _unknown(name: str, code: str, **params) -> ConstraintCheck:
    return ConstraintCheck(name, True, code, params, None, "unknown")


def _check(name, met, code, step, status, **params) -> ConstraintCheck:
    return ConstraintCheck(name, met, code, params, step, status)


def check_work_permit(v: VacancyRecord, c: CandidateRecord) -> ConstraintCheck:
    """Permission to work from the residence document annotation."""
    name = "work_permit"
    if c.work_permit is None:
        return _unknown(name, "work_permit.unknown")
    if c.work_permit == "not_permitted":
        return _check(
            name, False, "work_permit.not_permitted", "step.check_residence_status", "failed"
        )
    if c.work_permit == "approval_required":
        return _check(name, True, "work_permit.approval_required", "step.request_permit", "flag")
    if c.work_permit == "any_work":
        return _ok(name, "work_permit.any_work")
    return _ok(name, "work_permit.employment")


def check_german_level(v: VacancyRecord, c: CandidateRecord) -> ConstraintCheck:
    """Candidate's CEFR level against the vacancy's requirement; one level below = near miss."""
    name = "german_level"
    if v.german_level is None:
        return _ok(name, "german.not_required")
    need, have = v.german_level, c.german_level
    if have is None:
        return _unknown(name, "german.unknown", need=need)
    gap = CEFR_LEVELS.index(need) - CEFR_LEVELS.index(have)
    if gap <= 0:
        return _ok(name, "german.met", have=have, need=need)
    if gap == 1:
        return _check(
            name, False, "german.one_below", "step.language_course", "near_miss",
            have=have, need=need,
        )  # fmt: skip
    return _check(
        name, False, "german.below", "step.language_courses", "failed",
        have=have, need=need, gap=gap,
    )  # fmt: skip


def check_recognition(v: VacancyRecord, c: CandidateRecord) -> ConstraintCheck:
    """Recognition (Anerkennung) for regulated professions."""
    name = "recognition"
    if not v.requires_recognition:
        return _ok(name, "recognition.not_required")
    status = c.recognition
    if status is None:
        return _unknown(name, "recognition.unknown")
    if status in ("recognised", "not_needed"):
        return _ok(name, f"recognition.{status}")
    if status == "partial":
        if v.kind in ("internship", "qualification"):
            return _check(
                name, True, "recognition.partial_fits", "step.adaptation_remaining", "flag"
            )
        return _check(name, False, "recognition.partial", "step.adaptation_full", "near_miss")
    if status == "in_process":
        return _check(
            name, False, "recognition.in_process", "step.follow_up_recognition", "near_miss"
        )
    return _check(name, False, "recognition.not_applied", "step.apply_recognition", "failed")


def check_commute(
    v: VacancyRecord, c: CandidateRecord, postcodes: Postcodes
) -> tuple[ConstraintCheck, float | None]:
    """Distance of postcode centroids against min(candidate max commute, vacancy radius)."""
    name = "commute"
    limits = [x for x in (c.max_commute_km, v.radius_km) if x is not None]
    distance = postcodes.distance_km(v.postcode, c.postcode)
    if distance is None:
        missing = [p for p in (v.postcode, c.postcode) if p and postcodes.get(p) is None]
        if missing:
            return _unknown(name, "commute.unknown_postcode", postcodes=", ".join(missing)), None
        return _unknown(name, "commute.no_postcode"), None
    km = round(distance, 1)
    if not limits:
        return _ok(name, "commute.no_limit", km=km), distance
    limit = min(limits)
    if distance <= limit:
        return _ok(name, "commute.within", km=km, limit=limit), distance
    check = _check(
        name, False, "commute.too_far", "step.discuss_commute", "failed", km=km, limit=limit
    )
    return check, distance


def check_hours(v: VacancyRecord, c: CandidateRecord) -> ConstraintCheck:
    """The candidate must be available at least the hours the job needs."""
    name = "hours"
    need, have = v.hours_per_week, c.hours_per_week
    if need is None:
        return _ok(name, "hours.not_given")
    if have is None:
        return _unknown(name, "hours.unknown", need=need)
    if have >= need:
        return _ok(name, "hours.met", have=have, need=need)
    status = "near_miss" if have >= 0.75 * need else "failed"
    return _check(name, False, "hours.short", "step.ask_part_time", status, have=have, need=need)


def check_permit_expiry(
    v: VacancyRecord, c: CandidateRecord, today: dt.date | None = None
) -> ConstraintCheck:
    """An expired residence document fails; one expiring soon is flagged."""
    name = "permit_expiry"
    if c.permit_expires is None:
        return _ok(name, "permit.no_expiry")
    today = today or dt.date.today()
    days = (c.permit_expires - today).days
    date = c.permit_expires.isoformat()
    if days < 0:
        return _check(name, False, "permit.expired", "step.renew_permit", "failed", date=date)
    if days <= PERMIT_WARNING_DAYS:
        return _check(
            name, True, "permit.expires_soon", "step.renew_permit", "flag", date=date, days=days
        )
    return _ok(name, "permit.valid", date=date)


def check_all(
    v: VacancyRecord, c: CandidateRecord, postcodes: Postcodes, today: dt.date | None = None
) -> tuple[list[ConstraintCheck], float | None]:
    """All hard constraints in a fixed order, and the commute distance (km or None)."""
    commute, distance = check_commute(v, c, postcodes)
    checks = [
        check_work_permit(v, c),
        check_german_level(v, c),
        check_recognition(v, c),
        commute,
        check_hours(v, c),
        check_permit_expiry(v, c, today),
    ]
    return checks, distance
