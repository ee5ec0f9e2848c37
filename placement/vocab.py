"""Controlled vocabularies of the domain, shared by models, forms and the engine adapter.

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
