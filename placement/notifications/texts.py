"""The words of a notification, written when it is shown or mailed, in the current locale.

Call inside ``force_locale(recipient's locale)`` for e-mails. E-mails may travel unencrypted:
``for_mail=True`` leaves out the participant's name (the link needs a sign-in).
Texts to participants are plain and encouraging, never discouraging.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _

from placement.employers.models import Organisation, Vacancy
from placement.extensions import db
from placement.notifications.models import Notification
from placement.participants.models import Participant
from placement.placements.models import Placement
from placement.proposals.models import InterviewSlot, Proposal


def _person(participant_id, for_mail: bool) -> str:
    person = db.session.get(Participant, participant_id) if participant_id else None
    if person is None or for_mail:
        return _("a participant")
    return person.display_name


def _proposal(params: dict) -> Proposal | None:
    return db.session.get(Proposal, params["proposal"]) if params.get("proposal") else None


def _title(vacancy: Vacancy | None) -> str:
    return vacancy.title if vacancy is not None else _("a vacancy")


def _org(organisation: Organisation | None) -> str:
    return organisation.name if organisation is not None else _("an employer")


def _employer_answer(status: str, person: str, org: str, title: str) -> str:
    texts = {
        "invited": _("%(org)s invites %(person)s to an interview for “%(title)s”."),
        "internship": _("%(org)s offers %(person)s an internship for “%(title)s”."),
        "hired": _("%(org)s hires %(person)s for “%(title)s”."),
        "declined": _("%(org)s declined %(person)s for “%(title)s”."),
    }
    text = texts.get(status, _("%(org)s answered the proposal of %(person)s for “%(title)s”."))
    return text % {"org": org, "person": person, "title": title}


def _to_participant(status: str, org: str, title: str) -> str:
    texts = {
        "proposed": _("Your counsellor has proposed you to %(org)s for “%(title)s”."),
        "invited": _(
            "Good news: %(org)s would like to meet you for “%(title)s”. Your counsellor will "
            "agree a date with you."
        ),
        "internship": _("Good news: %(org)s offers you an internship for “%(title)s”."),
        "hired": _("Congratulations: %(org)s would like to hire you for “%(title)s”."),
        "declined": _(
            "“%(title)s” at %(org)s did not work out this time. Your counsellor will look at "
            "other options with you."
        ),
        "withdrawn": _(
            "The proposal for “%(title)s” at %(org)s is closed. Your counsellor will look at "
            "other options with you."
        ),
    }
    text = texts.get(status, _("There is news about “%(title)s” at %(org)s."))
    return text % {"org": org, "title": title}


def _consent(change: str, person: str, org: str) -> str:
    texts = {
        "share.given": _("%(person)s agreed that %(org)s may see their name and contact."),
        "share.withdrawn": _("%(person)s took back their consent for %(org)s."),
        "matching.given": _("%(person)s agreed to receive suggestions and be proposed."),
        "matching.withdrawn": _("%(person)s no longer wants suggestions or to be proposed."),
    }
    return texts.get(change, _("%(person)s changed a consent.")) % {"person": person, "org": org}


def _interview(kind: str, params: dict, person: str) -> str:
    proposal = _proposal(params)
    vacancy = proposal.vacancy if proposal else None
    org, title = _org(vacancy.organisation if vacancy else None), _title(vacancy)
    slot = db.session.get(InterviewSlot, params.get("slot") or 0)
    when = format_datetime(slot.starts_at, "medium") if slot is not None else "—"
    if kind == "interview.times":
        return _("%(org)s proposed interview times for %(person)s (“%(title)s”).", org=org,
                 person=person, title=title)  # fmt: skip
    if kind == "interview.times.you":
        return _("Good news: %(org)s proposed times for your interview for “%(title)s”. Choose "
                 "the one that suits you.", org=org, title=title)  # fmt: skip
    if kind == "interview.fixed.employer":
        from placement.proposals.services import pseudonym

        code = pseudonym(proposal) if proposal else "—"
        return _("The interview with candidate %(code)s for “%(title)s” is fixed: %(when)s.",
                 code=code, title=title, when=when)  # fmt: skip
    if kind == "interview.fixed.you":
        return _("Your interview for “%(title)s” at %(org)s is fixed: %(when)s.", title=title,
                 org=org, when=when)  # fmt: skip
    return _("The interview of %(person)s at %(org)s for “%(title)s” is fixed: %(when)s.",
             person=person, org=org, title=title, when=when)  # fmt: skip


def describe(item: Notification, for_mail: bool = False) -> str:
    """One sentence saying what happened."""
    params = item.params or {}
    person = _person(item.participant_id, for_mail)
    if item.kind in ("proposal.new", "proposal.answer", "proposal.status"):
        proposal = _proposal(params)
        vacancy = proposal.vacancy if proposal else None
        org, title = _org(vacancy.organisation if vacancy else None), _title(vacancy)
        if item.kind == "proposal.new":
            from placement.proposals.services import pseudonym

            code = pseudonym(proposal) if proposal else "—"
            return _("A candidate (%(code)s) has been proposed for “%(title)s”.", code=code,
                     title=title)  # fmt: skip
        if item.kind == "proposal.answer":
            return _employer_answer(params.get("status", ""), person, org, title)
        return _to_participant(params.get("status", ""), org, title)
    if item.kind.startswith("interview."):
        return _interview(item.kind, params, person)
    if item.kind == "interest.no":
        return _("%(person)s does not want suggestions at the moment (answer to “Still "
                 "interested?”).", person=person)  # fmt: skip
    if item.kind == "interest.new":
        vacancy = db.session.get(Vacancy, params.get("vacancy") or 0)
        return _("%(person)s is interested in “%(title)s”.", person=person, title=_title(vacancy))
    if item.kind == "consent.change":
        org = db.session.get(Organisation, params.get("organisation") or 0)
        return _consent(params.get("change", ""), person, _org(org))
    if item.kind == "followup.due":
        placement = db.session.get(Placement, params.get("placement") or 0)
        due = format_date(date.fromisoformat(params["due"])) if params.get("due") else "—"
        org = _org(placement.organisation if placement else None)
        return _("A follow-up of %(person)s at %(org)s is due on %(date)s.", person=person,
                 org=org, date=due)  # fmt: skip
    return _("Something changed that concerns you.")
