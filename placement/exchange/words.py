"""The columns of an import table and the words people write in them.

A spreadsheet made by hand says "Vorname", "Beschäftigung gestattet", "ja", "B2", "31.12.2026"
or "37,5"; the engine's format says first_name, employment, true, B2, 2026-12-31 and 37.5. This
module knows both: each column's German and English heading, the values allowed in words
(the first word of each value is the one the template shows) and how to read them back. A cell
that cannot be read is left as written, so that validation names it with its column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from babel import Locale


@dataclass(frozen=True)
class Column:
    key: str  # the engine's field name (also accepted as a heading)
    de: str
    en: str
    hint_de: str = ""
    hint_en: str = ""
    required: bool = False

    def heading(self, language: str) -> str:
        return self.de if language == "de" else self.en

    def hint(self, language: str) -> str:
        return self.hint_de if language == "de" else self.hint_en


# Values in words: code -> (German words, English words); the first of each is shown.
PERMITS = {
    "any_work": (["Erwerbstätigkeit gestattet", "Erwerbstätigkeit erlaubt", "jede Arbeit"],
                 ["any work permitted", "any work"]),
    "employment": (["Beschäftigung gestattet", "Beschäftigung erlaubt", "erlaubt", "gestattet"],
                   ["employment permitted", "employment", "permitted", "allowed"]),
    "approval_required": (["nur mit Genehmigung der Ausländerbehörde", "nur mit Genehmigung",
                           "Beschäftigung nur mit Genehmigung der Ausländerbehörde",
                           "mit Genehmigung", "Genehmigung erforderlich"],
                          ["only with approval of the immigration office", "permit per job",
                           "approval required", "only with approval"]),
    "not_permitted": (["Erwerbstätigkeit nicht gestattet", "nicht gestattet", "nicht erlaubt",
                       "Beschäftigung nicht gestattet"],
                      ["no work permitted", "no work", "not permitted", "not allowed"]),
}  # fmt: skip
RECOGNITION = {
    "recognised": (["anerkannt", "voll anerkannt"],
                   ["recognised", "recognized", "fully recognised"]),
    "partial": (["teilweise anerkannt", "teilweise"], ["partly recognised", "partial"]),
    "in_process": (["im Verfahren", "beantragt", "Anerkennung läuft"],
                   ["in process", "applied for", "in progress"]),
    "not_applied": (["nicht beantragt", "keine", "nein"], ["not applied for", "none", "no"]),
    "not_needed": (["nicht nötig", "nicht erforderlich"], ["not needed", "not required"]),
}  # fmt: skip
KINDS = {
    "job": (["Stelle", "Arbeitsstelle", "Job"], ["job"]),
    "internship": (["Praktikum", "Praktikumsplatz"], ["internship"]),
}
STATUSES = {
    "draft": (["Entwurf"], ["draft"]),
    "published": (["veröffentlicht", "online"], ["published"]),
    "paused": (["pausiert"], ["paused"]),
    "filled": (["besetzt"], ["filled"]),
    "closed": (["geschlossen", "beendet"], ["closed"]),
}
YES = ["ja", "j", "yes", "y", "true", "wahr", "x", "1", "✓", "✔"]
NO = ["nein", "n", "no", "false", "falsch", "0", "-", "–"]
NATIVE = ["Muttersprache", "Erstsprache", "native", "mother tongue", "first language"]
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")

CHOICES = {
    "work_permit": PERMITS,
    "qualification_recognition": RECOGNITION,
    "kind": KINDS,
    "status": STATUSES,
}
BOOLEAN = {"consent_matching", "consent_contact", "requires_recognition"}
DATES = {"permit_expires", "earliest_start", "start_date"}
NUMBERS = {"max_commute_km", "hours_per_week", "radius_km", "duration_weeks", "phase", "level",
           "organisation_id", "qualification_year"}  # fmt: skip


def _values(words: dict, language: str, last_de: str = " oder ", last_en: str = " or ") -> str:
    shown = [(de if language == "de" else en)[0] for de, en in words.values()]
    joiner = last_de if language == "de" else last_en
    return ", ".join(shown[:-1]) + joiner + shown[-1]


YES_NO = ("ja oder nein", "yes or no")
DATE_HINT = ("Datum, z. B. 31.12.2026", "date, e.g. 31.12.2026")
LIST_HINT = ("mehrere durch Semikolon getrennt", "several separated by semicolons")
LEVEL_HINT = ("A1, A2, B1, B2, C1 oder C2", "A1, A2, B1, B2, C1 or C2")

PARTICIPANT_COLUMNS = [
    Column("id", "Kennung", "ID", "eindeutig, z. B. TN-2026-001", "unique, e.g. P-2026-001", True),
    Column("first_name", "Vorname", "First name", required=True),
    Column("last_name", "Nachname", "Last name", required=True),
    Column("email", "E-Mail", "E-mail"),
    Column("phone", "Telefon", "Phone"),
    Column("work_permit", "Arbeitserlaubnis", "Work permit",
           _values(PERMITS, "de"), _values(PERMITS, "en"), True),
    Column("permit_expires", "Aufenthaltstitel gültig bis", "Residence permit valid until",
           *DATE_HINT),
    Column("german_level", "Deutschniveau", "German level", *LEVEL_HINT),
    Column("languages", "Sprachen", "Languages", "z. B. Ukrainisch: Muttersprache; Englisch: B1",
           "e.g. Ukrainian: native; English: B1"),
    Column("skills", "Kenntnisse", "Skills", *LIST_HINT),
    Column("desired_occupations", "Wunschberufe", "Desired occupations", *LIST_HINT),
    Column("profile", "Profiltext", "Profile text"),
    Column("postcode", "PLZ", "Postcode", "fünfstellig, z. B. 30159", "five digits, e.g. 30159"),
    Column("max_commute_km", "Arbeitsweg höchstens (km)", "Longest commute (km)", "Zahl", "number"),
    Column("hours_per_week", "Stunden pro Woche", "Hours per week", "Zahl, z. B. 30 oder 37,5",
           "number, e.g. 30 or 37.5"),
    Column("earliest_start", "Frühester Beginn", "Earliest start", *DATE_HINT),
    Column("phase", "Phase", "Phase", "4 (Einstieg in Arbeit) oder 5 (Arbeit sichern)",
           "4 (entry into work) or 5 (securing work)"),
    Column("qualification_title", "Abschluss", "Qualification"),
    Column("qualification_country", "Abschluss: Land", "Qualification: country",
           "Ländercode, z. B. UA", "country code, e.g. UA"),
    Column("qualification_year", "Abschluss: Jahr", "Qualification: year", "z. B. 2015",
           "e.g. 2015"),
    Column("qualification_recognition", "Abschluss: Anerkennung", "Qualification: recognition",
           _values(RECOGNITION, "de"), _values(RECOGNITION, "en")),
    Column("qualification_reference_occupation", "Abschluss: Referenzberuf",
           "Qualification: reference occupation"),
    Column("consent_matching", "Einwilligung Vorschläge", "Consent to suggestions", *YES_NO),
    Column("consent_contact", "Einwilligung Kontakt", "Consent to contact", *YES_NO),
]  # fmt: skip
VACANCY_COLUMNS = [
    Column("id", "Kennung", "ID", "eindeutig, z. B. ST-2026-001", "unique, e.g. V-2026-001", True),
    Column("employer", "Arbeitgeber", "Employer", "Name oder Nummer des Arbeitgebers",
           "the employer's name or number", True),
    Column("title", "Stellentitel", "Job title", required=True),
    Column("kind", "Art", "Kind", _values(KINDS, "de"), _values(KINDS, "en")),
    Column("status", "Status", "Status", _values(STATUSES, "de"), _values(STATUSES, "en")),
    Column("description", "Beschreibung", "Description", required=True),
    Column("occupation", "Beruf", "Occupation"),
    Column("skills", "Kenntnisse", "Skills", *LIST_HINT),
    Column("german_level", "Deutschniveau", "German level", *LEVEL_HINT),
    Column("requires_recognition", "Anerkennung erforderlich", "Recognition required", *YES_NO),
    Column("postcode", "PLZ", "Postcode", "fünfstellig, z. B. 30159", "five digits, e.g. 30159",
           True),
    Column("radius_km", "Umkreis (km)", "Radius (km)", "Zahl", "number"),
    Column("hours_per_week", "Stunden pro Woche", "Hours per week", "Zahl, z. B. 38",
           "number, e.g. 38", True),
    Column("start_date", "Beginn", "Start", *DATE_HINT),
    Column("duration_weeks", "Dauer (Wochen)", "Duration (weeks)",
           "ganze Zahl; für Praktika nötig", "whole number; needed for internships"),
    Column("language", "Sprache der Anzeige", "Language of the ad", "z. B. de", "e.g. de"),
]  # fmt: skip
COLUMNS = {"participants": PARTICIPANT_COLUMNS, "vacancies": VACANCY_COLUMNS}


def _norm(value: str) -> str:
    """Case, spacing, punctuation and a bracketed remark do not matter."""
    value = re.sub(r"\(.*?\)", " ", str(value)).casefold()
    return " ".join(re.sub(r"[*.,;:!?\"'„“”]", " ", value).split())


def _heading_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for columns in COLUMNS.values():
        for column in columns:
            for name in (column.key, column.de, column.en):
                index[_norm(name)] = column.key
    # Names of the engine's format with spaces ("first name"), and a few usual variants.
    index.update({_norm(k.replace("_", " ")): k for k in list(index.values())})
    index.update({"nr": "id", "nummer": "id", "e mail": "email", "mail": "email",
                  "postleitzahl": "postcode", "organisation": "employer", "firma": "employer",
                  "unternehmen": "employer", "titel": "title"})  # fmt: skip
    return index


_HEADINGS = _heading_index()
_QUALIFICATION_N = re.compile(r"^qualification_(\d+)_(\w+)$")


def column_key(heading: str) -> str | None:
    """The field a heading names (German, English or the engine's name), or None."""
    heading = (heading or "").strip().lstrip("\ufeff")
    if _QUALIFICATION_N.match(heading):  # qualification_2_title ... (the export's own names)
        return heading
    return _HEADINGS.get(_norm(heading))


def is_hint_row(cells: dict[str, str]) -> bool:
    """The template's second row (what to write in each column), left in by the user."""
    value = _norm(cells.get("id", ""))
    return bool(value) and any(
        value == _norm(column.hint(language))
        for columns in COLUMNS.values()
        for column in columns[:1]
        for language in ("de", "en")
    )


def _lookup(words: dict, value: str) -> str | None:
    wanted = _norm(value)
    for code, (de, en) in words.items():
        if wanted in {_norm(code), *(_norm(w) for w in de + en)}:
            return code
    return None


def boolean(value: str) -> bool | None:
    wanted = _norm(value) or value.strip()
    if wanted in YES:
        return True
    if wanted in NO:
        return False
    return None


def cefr(value: str) -> str | None:
    """ "B2", "b2", "Niveau B2", "B2.1" -> "B2"."""
    found = re.fullmatch(r"(?:niveau|level|stufe)?\s*([abc][12])(?:[.\s]\d)?", _norm(value))
    return found.group(1).upper() if found else None


def german_date(value: str) -> str | None:
    """ "31.12.2026", "1.2.26", "2026-12-31", "2026-12-31 00:00:00" -> ISO date, else None."""
    value = value.strip()
    found = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})", value)
    try:
        if found:
            day, month, year = (int(g) for g in found.groups())
            return date(year + 2000 if year < 100 else year, month, day).isoformat()
        found = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?", value)
        return date.fromisoformat(found.group(1)).isoformat() if found else None
    except ValueError:  # 31.02.2026
        return None


def number(value: str) -> int | float | None:
    """ "30", "37,5", "37.5", "1.200" (thousands) -> a number, else None."""
    value = value.strip().replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", value):
        value = value.replace(".", "")
    elif re.fullmatch(r"-?\d+,\d+", value):
        value = value.replace(",", ".")
    try:
        parsed = float(value)
    except ValueError:
        return None
    return int(parsed) if parsed.is_integer() and "." not in value else parsed


def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for locale in ("en", "de"):
        for code, name in Locale(locale).languages.items():
            if len(code) == 2:
                names.setdefault(_norm(name), code)
    return names


_LANGUAGE_NAMES = _language_names()


def languages(value: str) -> list[dict]:
    """ "uk:native; en:B1" or "Ukrainisch: Muttersprache; Englisch B1" -> [{code, level}].

    A part that cannot be read keeps what was written, so validation can name it.
    """
    out = []
    for item in re.split(r"[;\n]", value):
        item = item.strip()
        if not item:
            continue
        name, _sep, level = item.partition(":")
        if not level:  # "Englisch B1", "uk native"
            name, _sep, level = item.rpartition(" ")
            name, level = (name, level) if name else (item, "")
        name, level = name.strip(), level.strip()
        is_code = re.fullmatch(r"[A-Za-z]{2}", name)
        code = name.lower() if is_code else _LANGUAGE_NAMES.get(_norm(name))
        native = _norm(level) in {_norm(w) for w in NATIVE}
        level = "native" if native else cefr(level) or level or None
        out.append({"code": code or name, "level": level})
    return out


def cell_value(key: str, value: str):
    """A cell as the engine's format has it; unreadable cells stay as written."""
    field = key.split("_", 2)[-1] if _QUALIFICATION_N.match(key) else key
    if key.startswith("qualification_") and field == "recognition" or key in CHOICES:
        words = CHOICES.get(key) or RECOGNITION
        return _lookup(words, value) or value
    if key in BOOLEAN:
        result = boolean(value)
        return value if result is None else result
    if key in DATES:
        return german_date(value) or value
    if key == "german_level":
        return cefr(value) or value
    if key == "languages":
        return languages(value)
    if key in NUMBERS or (key.startswith("qualification") and field == "year"):
        if key == "phase":
            found = re.fullmatch(r"(?:phase\s*)?([0-9]+)(?:\s.*)?", _norm(value))
            value = found.group(1) if found else value
        result = number(value)
        return value if result is None else result
    return value
