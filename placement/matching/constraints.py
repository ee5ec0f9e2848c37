"""Hard constraints: who may take which job (see docs/domain.md, "Who may work where").

Each check returns a ConstraintCheck. `met=False` makes the pair ineligible; `status` says more:
"met", "failed", "near_miss" (failed, but one step away: counsellors act on these), "flag"
(met, but the counsellor must do something) or "unknown" (data missing: reported, not failed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from .geo import Postcodes
from .records import CEFR_LEVELS, CandidateRecord, VacancyRecord

PERMIT_WARNING_DAYS = 90
CONSTRAINT_NAMES = (
    "work_permit",
    "german_level",
    "recognition",
    "commute",
    "hours",
    "permit_expiry",
)


@dataclass(frozen=True)
class ConstraintCheck:
    """The outcome of one hard constraint for one vacancy-candidate pair."""

    name: str
    met: bool
    detail: str
    next_step: str | None = None
    status: str = "met"

    def to_dict(self) -> dict:
        """JSON-safe dict."""
        return asdict(self)

    @property
    def is_flag(self) -> bool:
        """Met, but a counsellor has to act (e.g. request a permit)."""
        return self.status == "flag"


def _ok(name: str, detail: str) -> ConstraintCheck:
    return ConstraintCheck(name, True, detail, None, "met")


def _unknown(name: str, detail: str) -> ConstraintCheck:
    return ConstraintCheck(name, True, detail, None, "unknown")


def check_work_permit(v: VacancyRecord, c: CandidateRecord) -> ConstraintCheck:
    """Permission to work from the residence document annotation."""
    name = "work_permit"
    if c.work_permit is None:
        return _unknown(name, "work permit not recorded")
    if c.work_permit == "not_permitted":
        return ConstraintCheck(
            name,
            False,
            "no work permit (Erwerbstätigkeit nicht gestattet)",
            "check the residence status with the Ausländerbehörde",
            "failed",
        )
    if c.work_permit == "approval_required":
        return ConstraintCheck(
            name,
            True,
            "permit must be requested for this job (Beschäftigung nur mit Genehmigung)",
            "request permit from Ausländerbehörde",
            "flag",
        )
    label = "any work" if c.work_permit == "any_work" else "employment"
    return _ok(name, f"may work ({label})")


def check_german_level(v: VacancyRecord, c: CandidateRecord) -> ConstraintCheck:
    """Candidate's CEFR level against the vacancy's requirement; one level below = near miss."""
    name = "german_level"
    if v.german_level is None:
        return _ok(name, "no German level required")
    if c.german_level is None:
        return _unknown(name, f"German {v.german_level} required, candidate's level not recorded")
    have, need = CEFR_LEVELS.index(c.german_level), CEFR_LEVELS.index(v.german_level)
    if have >= need:
        return _ok(name, f"German {c.german_level} (required {v.german_level})")
    gap = need - have
    course = f"Berufssprachkurs {c.german_level}->{v.german_level}"
    if gap == 1:
        detail = f"German {c.german_level}, one level below required {v.german_level}"
        return ConstraintCheck(name, False, detail, course, "near_miss")
    detail = f"German {c.german_level}, {gap} levels below required {v.german_level}"
    return ConstraintCheck(name, False, detail, course + " (several courses)", "failed")


def check_recognition(v: VacancyRecord, c: CandidateRecord) -> ConstraintCheck:
    """Recognition (Anerkennung) for regulated professions."""
    name = "recognition"
    if not v.requires_recognition:
        return _ok(name, "no recognition required")
    status = c.recognition
    if status is None:
        return _unknown(name, "recognition required, candidate's status not recorded")
    if status in ("recognised", "not_needed"):
        text = "recognised" if status == "recognised" else "marked as not needed"
        return _ok(name, f"recognition required: {text}")
    if status == "partial":
        if v.kind in ("internship", "qualification"):
            return ConstraintCheck(
                name,
                True,
                "partial recognition: fits this adaptation placement only",
                "Anpassungsqualifizierung to close the remaining differences",
                "flag",
            )
        return ConstraintCheck(
            name,
            False,
            "partial recognition only; the regulated job needs full recognition",
            "Anpassungsqualifizierung (adaptation placement) for full recognition",
            "near_miss",
        )
    if status == "in_process":
        return ConstraintCheck(
            name,
            False,
            "recognition in process; required before working",
            "follow up the recognition decision (Anerkennung in process)",
            "near_miss",
        )
    return ConstraintCheck(
        name,
        False,
        "recognition required but not applied for",
        "apply for recognition (Anerkennung)",
        "failed",
    )


def check_commute(
    v: VacancyRecord, c: CandidateRecord, postcodes: Postcodes
) -> tuple[ConstraintCheck, float | None]:
    """Distance of postcode centroids against min(candidate max commute, vacancy radius)."""
    name = "commute"
    limits = [x for x in (c.max_commute_km, v.radius_km) if x is not None]
    distance = postcodes.distance_km(v.postcode, c.postcode)
    if distance is None:
        missing = [p for p in (v.postcode, c.postcode) if p and postcodes.get(p) is None]
        what = f"unknown postcode {', '.join(missing)}" if missing else "postcode not recorded"
        return _unknown(name, f"distance unknown ({what})"), None
    if not limits:
        return _ok(name, f"{distance:.0f} km, no commute limit"), distance
    limit = min(limits)
    if distance <= limit:
        return _ok(name, f"{distance:.0f} km (limit {limit:.0f} km)"), distance
    check = ConstraintCheck(
        name,
        False,
        f"too far: {distance:.0f} km (limit {limit:.0f} km)",
        "discuss moving or a longer commute with the candidate",
        "failed",
    )
    return check, distance


def check_hours(v: VacancyRecord, c: CandidateRecord) -> ConstraintCheck:
    """The candidate must be available at least the hours the job needs."""
    name = "hours"
    if v.hours_per_week is None:
        return _ok(name, "no weekly hours given")
    if c.hours_per_week is None:
        return _unknown(name, f"{v.hours_per_week:g} h/week needed, availability not recorded")
    if c.hours_per_week >= v.hours_per_week:
        return _ok(name, f"available {c.hours_per_week:g} h/week (needs {v.hours_per_week:g})")
    return ConstraintCheck(
        name,
        False,
        f"available {c.hours_per_week:g} h/week, job needs {v.hours_per_week:g}",
        "ask the employer about part-time; check childcare or other availability limits",
        "near_miss" if c.hours_per_week >= 0.75 * v.hours_per_week else "failed",
    )


def check_permit_expiry(
    v: VacancyRecord, c: CandidateRecord, today: dt.date | None = None
) -> ConstraintCheck:
    """An expired residence document fails; one expiring soon is flagged."""
    name = "permit_expiry"
    if c.permit_expires is None:
        return _ok(name, "no expiry date recorded")
    today = today or dt.date.today()
    days = (c.permit_expires - today).days
    if days < 0:
        return ConstraintCheck(
            name,
            False,
            f"permit expired on {c.permit_expires.isoformat()}",
            "renew the residence permit at the Ausländerbehörde",
            "failed",
        )
    if days <= PERMIT_WARNING_DAYS:
        return ConstraintCheck(
            name,
            True,
            f"permit expires on {c.permit_expires.isoformat()} (in {days} days)",
            "renew the residence permit at the Ausländerbehörde",
            "flag",
        )
    return _ok(name, f"permit valid until {c.permit_expires.isoformat()}")


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
