"""Audit actions and record types in words, for the admin's audit log viewer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "user.login": _l("Signed in"),
    "user.reauth": _l("Confirmed the password again"),
    "user.create": _l("Created an account"),
    "user.invite": _l("Invited a user"),
    "user.invite_accept": _l("Accepted the invitation"),
    "user.password_reset": _l("Set a new password from a link"),
    "user.edit": _l("Edited an account"),
    "user.role": _l("Changed a role"),
    "user.deactivate": _l("Deactivated an account"),
    "user.reactivate": _l("Reactivated an account"),
    "user.unlock": _l("Lifted a sign-in lock"),
    "user.2fa_enable": _l("Turned the second factor on"),
    "user.2fa_disable": _l("Turned the second factor off"),
    "user.2fa_reset": _l("Reset a second factor"),
    "user.2fa_codes": _l("Made new recovery codes"),
    "user.2fa_failed": _l("Wrong second-factor code"),
    "user.2fa_recovery_used": _l("Signed in with a recovery code"),
    "participant.create": _l("Created a participant"),
    "participant.update": _l("Changed a participant"),
    "participant.view": _l("Viewed a profile"),
    "participant.export": _l("Exported a participant’s data"),
    "participant.erase": _l("Erased a participant"),
    "consent.give": _l("Recorded a consent to share"),
    "consent.withdraw": _l("Withdrew a consent to share"),
    "interest.mark": _l("Marked interest in a vacancy"),
    "interest.remove": _l("Took back an interest"),
    "proposal.create": _l("Proposed a participant"),
    "proposal.status": _l("Changed a proposal"),
    "proposal.answer": _l("Answered a proposal"),
    "vacancy.status": _l("Changed a vacancy’s status"),
    "vacancy.held_for_review": _l("Kept a vacancy as a draft: serious wording findings"),
    "organisation.register": _l("Registered an organisation"),
    "organisation.outreach": _l("Recorded employer contact"),
    "placement.create": _l("Recorded a placement"),
    "placement.update": _l("Changed a placement"),
    "placement.end": _l("Ended a placement"),
    "follow_up.add": _l("Added a follow-up"),
    "follow_up.move": _l("Moved a follow-up"),
    "follow_up.record": _l("Recorded a follow-up"),
    "follow_up.remove": _l("Removed a follow-up"),
    "certificate.issue": _l("Issued a certificate"),
    "certificate.revoke": _l("Revoked a certificate"),
    "statistics.export": _l("Exported statistics"),
}
SUBJECTS = {
    "user": _l("Account"),
    "participant": _l("Participant"),
    "proposal": _l("Proposal"),
    "vacancy": _l("Vacancy"),
    "organisation": _l("Organisation"),
    "placement": _l("Placement"),
    "certificate": _l("Certificate"),
}


def action_label(action: str) -> str:
    """The action in words; one added later without a label is spelled out, not shown as code."""
    label = ACTIONS.get(action)
    return str(label) if label is not None else action.replace(".", ": ").replace("_", " ")


def subject_label(subject_type: str) -> str:
    label = SUBJECTS.get(subject_type)
    return str(label) if label is not None else subject_type.replace("_", " ")
