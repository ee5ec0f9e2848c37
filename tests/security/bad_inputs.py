"""The table of bad inputs of issue 11 and the forms and import columns it is walked through.

Shared by tests/security/test_bad_inputs.py (assertions) and bench/probe.py (figures).

Two kinds of value:
- INVALID values have no place in the field (empty where required, a 10,000-character word, NUL,
  an integer outside the column's range, a far-future date): the answer is a 4xx with the message
  next to the field (WTForms pages re-render the form with status 400) and no row is written.
- TEXT values are odd but legitimate text (right-to-left script with combining marks, HTML,
  formula prefixes): a name in Arabic script is a name. They are either saved as typed or
  refused with a message; never a 500, and never executed (pages escape, CSV exports defuse).
"""

from __future__ import annotations

from dataclasses import dataclass, field

LONG_WORD = "Pflege" + "x" * 9994  # 10,000 characters, one word
INVALID_TEXT = {"long word": LONG_WORD, "NUL": "Lager\x00arbeit"}
INVALID_NUMBER = {"2**63": str(2**63), "-1": "-1", "10**20": str(10**20)}
INVALID_DATE = {"9999-12-31": "9999-12-31", "0001-01-01": "0001-01-01"}
TEXT = {
    "RTL+combining": "دبلوم التمريض \u0651\u064e e\u0301\u0302",
    "HTML": '<script>alert(1)</script><img src=x onerror="alert(2)">',
    "formula": '=HYPERLINK("http://evil.example","x")',
}


ROLES = ("counsellor", "employer", "admin")  # one signed-in client each, besides anonymous


def seed_world(domain: str, password: str) -> dict:
    """The records the forms of the table refer to: an approved organisation with a published
    vacancy, a participant placed there, a user per role (``<role>@<domain>``). In an app
    context; commits. Returns the ids ``targets`` takes."""
    import datetime as dt

    from placement.accounts.services import create_user
    from placement.employers.services import create_organisation, create_vacancy
    from placement.extensions import db
    from placement.participants.services import create_participant
    from placement.placements.services import create_placement

    org = create_organisation({"name": "Lager Nord GmbH", "postcode": "30159"}, approved=True)
    vacancy = create_vacancy(org, {"kind": "job", "title": "Lagerhelfer", "postcode": "30159",
                                   "status": "published", "hours_per_week": 38,
                                   "description": "Lager und Versand im Frühdienst."},
                             None)  # fmt: skip
    person = create_participant({"first_name": "Amira", "last_name": "T",
                                 "work_permit": "employment", "postcode": "30159",
                                 "consent_matching": True})  # fmt: skip
    for role in ROLES:
        create_user(f"{role}@{domain}", role.title(), role, password,
                    organisation=org if role == "employer" else None)  # fmt: skip
    db.session.commit()
    data = {"title": "Lagerhelferin", "contract_type": "permanent",
            "start_date": dt.date(2026, 11, 2)}  # fmt: skip
    placement = create_placement(person, org, data, None)
    db.session.commit()
    return {"org": org.id, "participant": person.id, "placement": placement.id,
            "vacancy": vacancy.id}  # fmt: skip


@dataclass
class Target:
    """A form: who posts it, where, valid data, and its fields by kind."""

    name: str  # the form class (tests/security/test_bad_inputs.py checks every field is here)
    role: str | None
    url: str
    data: dict
    table: str
    required: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)
    success: int = 302  # the status of a valid post (registration answers "check your e-mail")

    def cases(self):
        """(field, label, value, kind) for every field and every value that applies to it."""
        for name in self.required:
            yield name, "empty", "", "invalid"
        for name in self.text:
            for label, value in INVALID_TEXT.items():
                yield name, label, value, "invalid"
            for label, value in TEXT.items():
                yield name, label, value, "text"
        for name in self.numbers + self.ids:
            for label, value in INVALID_NUMBER.items():
                yield name, label, value, "invalid"
        for name in self.dates:
            for label, value in INVALID_DATE.items():
                yield name, label, value, "invalid"


def targets(ids: dict) -> list[Target]:
    """The forms, with ids of the records the module fixture made (org, participant ...)."""
    org, pid = ids["org"], ids["participant"]  # ids["placement"]: pid's; ids["vacancy"]: org's
    return [
        Target(
            "VacancyForm", "employer", "/employer/vacancies/new",
            {"kind": "job", "title": "Fachkraft Lager", "status": "draft",
             "description": "Wareneingang, Versand und Kommissionierung im Lager.",
             "skills": "Kommissionieren", "german_level": "", "postcode": "30159",
             "radius_km": "30", "hours_per_week": "38", "start_date": "2027-01-04",
             "duration_weeks": ""},
            "vacancy", required=("title", "description", "postcode", "hours_per_week"),
            text=("title", "description", "occupation", "skills", "postcode"),
            numbers=("radius_km", "hours_per_week", "duration_weeks"), dates=("start_date",),
        ),
        Target(
            "ProfileForm", "counsellor", "/counsellor/participants/new",
            {"first_name": "Olena", "last_name": "K", "email": "", "phone": "",
             "profile_language": "de", "profile_text": "Lagerarbeit", "skills": "Stapler",
             "desired_occupations": "Lagerhelferin", "german_level": "B1",
             "work_permit": "employment", "qualifications-0-title": "Diplom",
             "qualifications-0-country": "UA", "qualifications-0-year": "2015",
             "qualifications-0-recognition": "not_applied", "postcode": "30159",
             "max_commute_km": "30", "hours_per_week": "30", "phase": "4"},
            "participant", required=("first_name", "last_name"),
            text=("first_name", "last_name", "email", "phone", "postcode", "profile_text", "skills",
                  "desired_occupations", "qualifications-0-title",
                  "qualifications-0-reference_occupation", "qualifications-0-country"),
            numbers=("max_commute_km", "hours_per_week", "qualifications-0-year"),
            dates=("permit_expires", "earliest_start"), ids=("phase",),
        ),
        Target(
            "OrganisationForm", "counsellor", "/counsellor/organisations/new",
            {"name": "Lager Süd GmbH", "postcode": "30159", "city": "Hannover"},
            "organisation", required=("name",),
            text=("name", "sector", "street", "postcode", "city", "website", "description",
                  "contact_name", "contact_email", "contact_phone"),
            numbers=("employees",),
        ),
        Target(
            "EmployerRegistrationForm", None, "/register/employer",
            {"name": "Neu Bau GmbH", "postcode": "30159", "your_name": "Petra Lange",
             "email": "petra@neu-bau.example", "password": "ein langer satz als passwort",
             "confirm": "ein langer satz als passwort"},
            "user", required=("name", "your_name", "email"),
            text=("name", "your_name", "email", "sector", "street", "postcode", "city", "website",
                  "description", "contact_phone"),
            numbers=("employees",), success=200,
        ),
        Target(
            "ContactForm", "counsellor", f"/counsellor/organisations/{org}/contacts",
            {"contacted_on": "2026-11-02", "channel": "phone", "note": "Telefonat",
             "next_step": "", "due_on": ""},
            "contact_entry", required=("contacted_on",), text=("note", "next_step"),
            dates=("contacted_on", "due_on"),
        ),
        Target(
            "PlacementForm", "counsellor", "/counsellor/placements/new",
            {"participant_id": str(pid), "organisation_id": str(org), "vacancy_id": "",
             "title": "Lagerhelferin", "start_date": "2026-11-02", "contract_type": "permanent",
             "hours_per_week": "30"},
            "placement", required=("title", "start_date"), text=("title", "occupation"),
            numbers=("hours_per_week",), dates=("start_date", "contract_end"),
            ids=("participant_id", "organisation_id", "vacancy_id"),
        ),
        Target(
            "NoteForm", "counsellor", f"/counsellor/participants/{pid}/notes",
            {"text": "Gespräch geführt."}, "note", required=("text",), text=("text",),
        ),
        Target(
            "UserForm", "admin", "/admin/users/new",
            {"name": "Neue Beraterin", "email": "new.counsellor@test.example",
             "role": "counsellor", "organisation_id": "0"},
            "user", required=("name", "email"), text=("name", "email"), ids=("organisation_id",),
        ),
        Target(
            "ProposeForm", "counsellor", f"/counsellor/vacancies/{ids['vacancy']}/propose",
            {"participant_id": str(pid), "confirmed": "y", "unmet_checked": "y",
             "note": "Zuverlässig, hat Staplerschein."},
            "proposal", text=("note",),  # the ids are hidden fields: a bare 400 (tests/matches)
        ),
        Target(
            "DueDateForm", "counsellor", f"/counsellor/placements/{ids['placement']}/follow-ups",
            {"due_date": "2027-03-01"}, "follow_up", required=("due_date",), dates=("due_date",),
        ),
    ]  # fmt: skip


# Import columns: a valid row per kind, and which columns take which values.
IMPORT_ROWS = {
    "participants": (
        {"id": "imp-1", "first_name": "Olena", "last_name": "K", "work_permit": "employment",
         "german_level": "B1", "postcode": "30159", "profile": "Lagerarbeit",
         "skills": ["Stapler"], "max_commute_km": 30, "hours_per_week": 30,
         "qualifications": [{"title": "Diplom", "country": "UA", "year": 2015}]},
        {"text": ("first_name", "last_name", "phone", "profile", "skills",
                  "desired_occupations", "qualifications.title", "qualifications.country",
                  "qualifications.reference_occupation"),
         "numbers": ("max_commute_km", "hours_per_week", "qualifications.year", "phase"),
         "dates": ("earliest_start", "permit_expires"), "required": ("first_name", "id")},
        "participant",
    ),
    "vacancies": (
        {"id": "imp-v1", "title": "Fachkraft Lager", "employer": None,
         "description": "Wareneingang, Versand und Kommissionierung im Lager.",
         "postcode": "30159", "hours_per_week": 38, "skills": ["Kommissionieren"]},
        {"text": ("title", "description", "occupation", "skills"),
         "numbers": ("hours_per_week", "radius_km", "duration_weeks", "organisation_id"),
         "dates": ("start_date",), "required": ("title", "description")},
        "vacancy",
    ),
}  # fmt: skip


def import_cases(kind: str):
    """(column, label, row, kind of value) for every import column and value."""
    import copy

    base, columns, _table = IMPORT_ROWS[kind]

    def with_value(column: str, value):
        row = copy.deepcopy(base)
        if column.startswith("qualifications."):
            row["qualifications"][0][column.split(".", 1)[1]] = value
        elif column in ("skills", "desired_occupations"):
            row[column] = [value] if value != "" else [""]
        else:
            row[column] = value
        return row

    for column in columns["required"]:
        yield column, "empty", with_value(column, ""), "invalid"
    for column in columns["text"]:
        for label, value in INVALID_TEXT.items():
            yield column, label, with_value(column, value), "invalid"
        for label, value in TEXT.items():
            yield column, label, with_value(column, value), "text"
    for column in columns["numbers"]:
        for label, value in INVALID_NUMBER.items():
            yield column, label, with_value(column, int(value)), "invalid"
    for column in columns["dates"]:
        for label, value in INVALID_DATE.items():
            yield column, label, with_value(column, value), "invalid"
