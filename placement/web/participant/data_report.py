"""A participant's own data (GDPR Art. 15) in words: the sections of the readable page and of the
PDF, built once from the machine-readable export (participants.rights.personal_data), with
codes turned into words and dates into the participant's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from babel import Locale
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _

from placement import vocab


@dataclass
class Section:
    """One part of the report: label/value pairs, or a table with column headings."""

    title: str
    intro: str = ""
    pairs: list[tuple[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    empty: str = ""  # said when there is nothing to list


def _when(value: str | None, with_time: bool = True) -> str:
    if not value:
        return "—"
    parsed = datetime.fromisoformat(value)
    if with_time and "T" in value:
        return format_datetime(parsed, "medium")
    return format_date(parsed.date() if isinstance(parsed, datetime) else parsed, "medium")


def _day(value: str | None) -> str:
    return _when(value, with_time=False) if value else "—"


def _yes(value: bool | None) -> str:
    return _("yes") if value else _("no")


def _word(words: dict, code, fallback: str = "—") -> str:
    return str(words[code]) if code in words else (str(code) if code else fallback)


def _language_name(code: str | None) -> str:
    if not code:
        return "—"
    names = Locale.parse(str(get_locale())).languages
    return names.get(code) or vocab.PROFILE_LANGUAGES.get(code, code)


def _languages(items: list[dict] | None) -> str:
    shown = []
    for item in items or []:
        level = _("first language") if item.get("level") == "native" else item.get("level") or ""
        shown.append(f"{_language_name(item.get('code'))} ({level})" if level else
                     _language_name(item.get("code")))  # fmt: skip
    return ", ".join(shown) or "—"


def _text(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


ROLES = {"participant": vocab.ROLES["participant"], "counsellor": vocab.ROLES["counsellor"],
         "admin": vocab.ROLES["admin"], "employer": vocab.ROLES["employer"]}  # fmt: skip


def _profile(profile: dict) -> Section:
    current = profile.get("current_job") or {}
    pairs = [
        (_("First name"), _text(profile.get("first_name"))),
        (_("Last name"), _text(profile.get("last_name"))),
        (_("E-mail"), _text(profile.get("email"))),
        (_("Phone"), _text(profile.get("phone"))),
        (_("Languages"), _languages(profile.get("languages"))),
        (_("German level (CEFR)"), _text(profile.get("german_level"))),
        (_("Permission to work (residence document)"),
         _word(vocab.WORK_PERMITS, profile.get("work_permit"))),
        (_("Residence document valid until"), _day(profile.get("permit_expires"))),
        (_("Skills"), _text(profile.get("skills"))),
        (_("Desired occupations"), _text(profile.get("desired_occupations"))),
        (_("About me"), _text(profile.get("profile_text"))),
        (_("Language of the text about me"), _language_name(profile.get("profile_language"))),
        (_("Postcode"), _text(profile.get("postcode"))),
        (_("Longest commute (km)"), _text(profile.get("max_commute_km"))),
        (_("Available hours per week"), _text(profile.get("hours_per_week"))),
        (_("Earliest start"), _day(profile.get("earliest_start"))),
        (_("Process phase"), _word(vocab.PHASES, profile.get("phase"))),
        (_("Current job"), ", ".join(str(v) for v in current.values() if v) or "—"),
        (_("Suggestions of vacancies (consent)"), _yes(profile.get("consent_matching"))),
        (_("Contact by employers (consent)"), _yes(profile.get("consent_contact"))),
        (_("Profile created"), _when(profile.get("created_at"))),
        (_("Profile last changed"), _when(profile.get("updated_at"))),
    ]  # fmt: skip
    return Section(_("My profile"), pairs=pairs)


def sections(data: dict) -> list[Section]:
    """The report's sections, in the participant's language, from ``personal_data``."""
    account = data.get("account") or {}
    profile = data.get("profile") or {}
    out = []
    if account:
        out.append(Section(_("My account"), pairs=[
            (_("E-mail"), _text(account.get("email"))),
            (_("Name"), _text(account.get("name"))),
            (_("Role"), _word(ROLES, account.get("role"))),
            (_("Language"), _language_name(account.get("locale"))),
            (_("Account created"), _when(account.get("created_at"))),
            (_("Last sign-in"), _when(account.get("last_login_at"))),
        ]))  # fmt: skip
    out.append(_profile(profile))
    out.append(Section(
        _("Qualifications"),
        columns=[_("Qualification"), _("Country"), _("Year"), _("Recognition"),
                 _("Reference occupation")],
        rows=[[_text(q.get("title")), _text(q.get("country")), _text(q.get("year")),
               _word(vocab.RECOGNITION, q.get("recognition")),
               _text(q.get("reference_occupation"))] for q in profile.get("qualifications") or []],
        empty=_("No qualifications are stored."),
    ))  # fmt: skip
    out.append(Section(_("My counsellor"), pairs=[(_("Name"), _text(data.get("counsellor")))]))
    out.append(Section(
        _("Employers who may see my name"),
        columns=[_("Employer"), _("Allowed on"), _("Withdrawn on")],
        rows=[[c["employer"], _when(c.get("given_at")), _when(c.get("withdrawn_at"))]
              for c in data.get("consents") or []],
        empty=_("You have not allowed any employer to see your name."),
    ))  # fmt: skip
    out.append(Section(
        _("Vacancies I am interested in"),
        columns=[_("Vacancy"), _("Employer"), _("Date")],
        rows=[[i["title"], i["employer"], _when(i.get("at"))] for i in data.get("interests") or []],
        empty=_("None."),
    ))  # fmt: skip
    proposals = data.get("proposals") or []
    out.append(Section(
        _("My proposals"),
        intro=_("A proposal is your profile, sent by your counsellor to an employer."),
        columns=[_("Vacancy"), _("Employer"), _("Kind"), _("Status"), _("Proposed on"),
                 _("History")],
        rows=[[p["vacancy"]["title"], p["vacancy"]["employer"],
               _word(vocab.VACANCY_KINDS, p["vacancy"].get("kind")),
               _word(vocab.PROPOSAL_STATUSES, p.get("status"))
               + (f" ({_word(vocab.DECLINE_REASONS, p['decline_reason'])})"
                  if p.get("decline_reason") else ""),
               _when(p.get("created_at")),
               "; ".join(f"{_when(e.get('at'))}: {_word(vocab.PROPOSAL_STATUSES, e.get('to'))}"
                         for e in p.get("history") or [])] for p in proposals],
        empty=_("None."),
    ))  # fmt: skip
    out.append(Section(
        _("Notes of my counsellors"),
        columns=[_("Date"), _("Written by"), _("Note")],
        rows=[[_when(n.get("at")), _text(n.get("author")), n.get("text") or ""]
              for n in data.get("notes") or []],
        empty=_("None."),
    ))  # fmt: skip
    out.append(Section(
        _("Who viewed my profile"),
        columns=[_("Date"), _("Role"), _("Who")],
        rows=[[_when(v.get("at")), _word(ROLES, v.get("role")), _text(v.get("by"))]
              for v in data.get("profile_views") or []],
        empty=_("Nobody has viewed your profile yet."),
    ))  # fmt: skip
    lists = data.get("match_lists") or []
    out.append(Section(
        _("Lists of suggestions I appeared in"),
        intro=_("The software ranks vacancies for you and people for vacancies; a counsellor "
                "decides. Each list is kept for accountability. The scores are in the "
                "machine-readable file (JSON)."),
        columns=[_("Date"), _("List")],
        rows=[[_when(m.get("at")), _("Suggestions of vacancies for you")
               if m.get("list") == "suggestions for you" else _("Ranking for a vacancy")]
              for m in lists],
        empty=_("None."),
    ))  # fmt: skip
    return out


def exported_at(data: dict) -> str:
    return _when(data.get("exported_at"))
