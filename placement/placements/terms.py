"""Vocabularies of placements and follow-ups: stored value -> label (English msgid)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CONTRACT_TYPES = {
    "permanent": _l("Permanent"),
    "fixed_term": _l("Fixed-term"),
    "internship": _l("Internship"),
    "apprenticeship": _l("Apprenticeship (Ausbildung)"),
    "temporary_agency": _l("Temporary agency work"),
    "mini_job": _l("Mini-job"),
}

WAGE_BANDS = {
    "minimum": _l("Minimum wage"),
    "below_2500": _l("Up to 2,500 € gross a month"),
    "2500_3500": _l("2,500 to 3,500 € gross a month"),
    "above_3500": _l("Over 3,500 € gross a month"),
    "training_allowance": _l("Training allowance"),
    "unpaid": _l("Unpaid (mandatory or orientation internship)"),
}

# Why a placement ended. Only the negative ones count as a loss in the retention statistics;
# a better job, training or a completed internship end the placement without losing the person.
END_REASONS = {
    "dismissed_probation": _l("Dismissed during probation"),
    "dismissed": _l("Dismissed"),
    "resigned": _l("Resigned"),
    "contract_not_renewed": _l("Fixed-term contract not renewed"),
    "health": _l("Health"),
    "childcare": _l("Childcare"),
    "permit": _l("Permit to work ended"),
    "other_negative": _l("Other reason (job lost)"),
    "better_job": _l("Moved to a better job"),
    "education": _l("Started training or studies"),
    "planned_end": _l("Internship or measure completed as planned"),
    "moved_away": _l("Moved away"),
}
NEGATIVE_END_REASONS = frozenset(
    {"dismissed_probation", "dismissed", "resigned", "contract_not_renewed", "health",
     "childcare", "permit", "other_negative"}
)  # fmt: skip

RISK_LEVELS = {"low": _l("Low"), "medium": _l("Medium"), "high": _l("High")}
RISK_RANK = {"low": 0, "medium": 1, "high": 2}

# Signals a follow-up can record; "high" ones raise the placement to high risk on their own.
RISK_SIGNALS = {
    "language": _l("Language at work"),
    "conflict": _l("Conflict at work"),
    "childcare": _l("Childcare disruption"),
    "health": _l("Health"),
    "recognition_pending": _l("Recognition (Anerkennung) pending"),
    "contract_ending": _l("Contract ending"),
    "probation": _l("Probation at risk"),
    "attendance": _l("Attendance problems"),
    "commute": _l("Commute problems"),
    "permit_expiring": _l("Permit expiring"),
}
HIGH_SIGNALS = frozenset({"conflict", "contract_ending", "probation", "attendance",
                          "permit_expiring"})  # fmt: skip

SUPPORT = {
    "berufssprachkurs": _l("Berufssprachkurs (job-related German course)"),
    "anpassungsqualifizierung": _l("Anpassungsqualifizierung (adaptation qualification)"),
    "coaching": _l("Coaching"),
    "in_company_qualification": _l("In-company qualification"),
}

FOLLOW_UP_LABELS = {
    "risk": _l("Brought forward (risk)"),
    "extra": _l("Added by counsellor"),
}
