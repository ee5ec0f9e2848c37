"""Controlled vocabularies of the domain, shared by models, forms, templates and the engine
adapter: the one place for them (docs/domain.md explains the terms).

Each vocabulary maps a stored value to a label (English msgid, translated in the UI).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CEFR_LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]

ROLES = {
    "admin": _l("Administrator"),
    "counsellor": _l("Placement counsellor"),
    "employer": _l("Employer"),
    "participant": _l("Participant"),
}

# The annotation in the residence document (Nebenbestimmung), see docs/domain.md.
WORK_PERMITS = {
    "any_work": _l("Erwerbstätigkeit gestattet (any work)"),
    "employment": _l("Beschäftigung gestattet (employment)"),
    "approval_required": _l(
        "Beschäftigung nur mit Genehmigung der Ausländerbehörde (permit per job)"
    ),
    "not_permitted": _l("Erwerbstätigkeit nicht gestattet (no work)"),
}

RECOGNITION = {
    "recognised": _l("Recognised"),
    "partial": _l("Partly recognised"),
    "in_process": _l("Recognition in process"),
    "not_applied": _l("Not applied for"),
    "not_needed": _l("Not needed"),
}

VACANCY_KINDS = {"job": _l("Job"), "internship": _l("Internship")}

VACANCY_STATUSES = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "paused": _l("Paused"),
    "filled": _l("Filled"),
    "closed": _l("Closed"),
}

PHASES = {4: _l("Phase 4: entry into work"), 5: _l("Phase 5: securing and developing work")}

OUTREACH_STATUSES = {
    "contacted": _l("Contacted"),
    "interested": _l("Interested"),
    "posting": _l("Posting vacancies"),
    "hosting_interns": _l("Hosting interns"),
    "inactive": _l("Inactive"),
}

# How a counsellor was in contact with an employer (outreach contact log).
CONTACT_CHANNELS = {
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "visit": _l("Visit"),
    "event": _l("Event"),
    "other": _l("Other"),
}

# Languages a profile may be written in (ISO 639-1; Tigrinya "ti").
PROFILE_LANGUAGES = {
    "de": "Deutsch",
    "en": "English",
    "uk": "Українська",
    "ru": "Русский",
    "ar": "العربية",
    "fa": "فارسی / دری",
    "tr": "Türkçe",
    "pl": "Polski",
    "ro": "Română",
    "es": "Español",
    "fr": "Français",
    "ti": "ትግርኛ",
}

PROPOSAL_STATUSES = {
    "proposed": _l("Proposed"),
    "invited": _l("Invited to interview"),
    "internship": _l("Internship offered"),
    "hired": _l("Hired"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}

DECLINE_REASONS = {
    "qualification": _l("Qualification does not fit"),
    "language": _l("German not yet sufficient for this job"),
    "availability": _l("Hours or start date do not fit"),
    "position_filled": _l("Position already filled"),
    "no_show": _l("Candidate did not come to the interview"),
    "candidate_declined": _l("Candidate declined"),
    "other": _l("Other reason"),
}


# Placements and follow-ups (placement/placements/).
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
