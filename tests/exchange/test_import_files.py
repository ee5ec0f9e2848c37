"""Imports of real files: CSV in the encodings and with the separators spreadsheets write, Excel
workbooks, German and English headings and words, every problem of a row, and the templates."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from placement.extensions import db
from tests.exchange.test_import_export import _errors

GERMAN_HEADINGS = ["Kennung", "Vorname", "Nachname", "Arbeitserlaubnis", "Deutschniveau",
                   "Aufenthaltstitel gültig bis", "Stunden pro Woche", "Sprachen",
                   "Abschluss", "Abschluss: Anerkennung", "Einwilligung Vorschläge"]  # fmt: skip
GERMAN_ROW = ["TN-1", "Jürgen", "Groß", "erlaubt", "B2", "31.12.2027", "37,5",
              "Ukrainisch: Muttersprache; Englisch B1", "Krankenpflegerin",
              "teilweise anerkannt", "ja"]  # fmt: skip


def _table(rows, delimiter):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _upload(client, data: bytes, name: str, kind="participants", **extra):
    form = {"kind": kind, "file": (io.BytesIO(data), name), **extra}
    response = client.post("/counsellor/import", data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _people(app):
    from placement.participants.models import Participant

    with app.app_context():
        people = db.session.scalars(select(Participant).order_by(Participant.id)).all()
        for person in people:
            person.qualifications  # noqa: B018 (loaded before the session ends)
        db.session.expunge_all()
        return people


@pytest.fixture
def counsellor(login_as):
    return login_as("counsellor")


def test_german_excel_csv_with_the_words_people_write(counsellor, client, app):
    data = _table([GERMAN_HEADINGS, GERMAN_ROW], ";").encode("cp1252")
    url = _upload(client, data, "Teilnehmende.csv")
    page = client.get(url).get_data(as_text=True)
    assert _errors(page) == []
    assert "Jürgen Groß" in page  # the sample of valid rows, with what the words were read as
    assert "Beschäftigung gestattet (employment) · German B2 · 37 hours a week" in page
    assert "Windows-1252" in page
    assert "Semicolon" in page
    assert client.post(url + "/confirm").status_code == 302
    [person] = _people(app)
    assert (person.first_name, person.last_name) == ("Jürgen", "Groß")
    assert person.work_permit == "employment"
    assert person.german_level == "B2"
    assert person.permit_expires.isoformat() == "2027-12-31"
    assert person.hours_per_week == 37
    assert person.languages == [{"code": "uk", "level": "native"}, {"code": "en", "level": "B1"}]
    assert person.qualifications[0].recognition == "partial"
    assert person.consent_matching is True


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_encodings_and_separators_are_recognised(counsellor, client, app, encoding, delimiter):
    rows = [["id", "Vorname", "Nachname", "Arbeitserlaubnis"],
            ["p-1", "Jürgen", "Groß", "Beschäftigung gestattet"],
            ["p-2", "Zoë", "Ångström", "nicht gestattet"]]  # fmt: skip
    data = _table(rows, delimiter).encode(encoding)  # Python's utf-16 writes a byte-order mark
    url = _upload(client, data, "people.csv")
    page = client.get(url).get_data(as_text=True)
    assert _errors(page) == []
    assert "could not be recognised for certain" not in page
    client.post(url + "/confirm")
    people = _people(app)
    assert [(p.first_name, p.last_name) for p in people] == [("Jürgen", "Groß"),
                                                             ("Zoë", "Ångström")]  # fmt: skip
    assert [p.work_permit for p in people] == ["employment", "not_permitted"]


def test_unsure_guesses_are_asked_and_can_be_corrected(counsellor, client, app):
    # Mac Roman: "ü" is byte 0x9F, which Windows-1252 reads as "Ÿ": the preview says it is
    # not sure and lets the counsellor choose.
    data = "id;Vorname;Nachname;Arbeitserlaubnis\np-1;Jürgen;Müller;erlaubt\n".encode("mac_roman")
    url = _upload(client, data, "people.csv")
    page = client.get(url).get_data(as_text=True)
    assert "The encoding could not be recognised for certain" in page
    assert 'action="' + url + '/read-as"' in page
    # A UTF-8 file read as Windows-1252 on request shows the wrong letters; back to automatic.
    data = "id;Vorname;Nachname;Arbeitserlaubnis\np-2;Jürgen;Groß;erlaubt\n".encode()
    url = _upload(client, data, "people.csv", encoding="cp1252")
    assert "JÃ¼rgen" in client.get(url).get_data(as_text=True)
    client.post(url + "/read-as", data={"encoding": "", "delimiter": ""})
    assert "Jürgen Groß" in client.get(url).get_data(as_text=True)
    # Headings nobody knows: the separator is a guess, said so; the columns are named.
    url = _upload(client, b"Spalte A|Spalte B\n1|2\n", "odd.csv")
    page = client.get(url).get_data(as_text=True)
    assert "The separator could not be recognised for certain" in page
    # Forcing a separator that does not fit the file reads one column: every row is invalid.
    data = _table([GERMAN_HEADINGS, GERMAN_ROW], ";").encode()
    url = _upload(client, data, "people.csv", delimiter=",")
    assert len(_errors(client.get(url).get_data(as_text=True))) == 1
    client.post(url + "/read-as", data={"encoding": "", "delimiter": ";"})
    assert _errors(client.get(url).get_data(as_text=True)) == []
    # An encoding that cannot read the bytes is said next to the choice, not a 500: on the
    # upload form, and in the preview when chosen there.
    data = "\ufeffid,Vorname\np-1,Jürgen\n".encode("utf-16-le")
    form = {"kind": "participants", "file": (io.BytesIO(data), "x.csv"), "encoding": "utf-8"}
    response = client.post("/counsellor/import", data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "cannot be read in the encoding chosen" in response.get_data(as_text=True)
    url = _upload(client, data, "x.csv")
    client.post(url + "/read-as", data={"encoding": "utf-8", "delimiter": ""})
    page = client.get(url)
    assert page.status_code == 200
    assert "cannot be read in the encoding chosen" in page.get_data(as_text=True)


def test_every_problem_of_a_row_is_shown(counsellor, client, app):
    client.post("/language", data={"locale": "de"})
    rows = [["id", "first_name", "last_name", "work_permit", "german_level", "earliest_start",
             "hours_per_week", "consent_contact"],
            ["p-1", "", "K", "vielleicht", "B7", "31.02.2026", "dreißig", "kann sein"],
            ["p-2", "Sara", "M", "erlaubt", "B1", "", "20", "nein"]]  # fmt: skip
    url = _upload(client, _table(rows, ",").encode(), "people.csv")
    page = client.get(url).get_data(as_text=True)
    errors = dict(_errors(page))
    assert set(errors) == {"2"}
    problems = errors["2"].replace("&#39;", "'")
    for said in (
        "Die Spalte „Vorname“ fehlt oder ist leer.",
        "Die Spalte „Arbeitserlaubnis“ enthält vielleicht; erlaubt sind:",
        "Die Spalte „Deutschniveau“ enthält B7; erlaubt sind: A1, A2",
        "Die Spalte „Frühester Beginn“ enthält 31.02.2026, kein Datum",
        "Die Spalte „Stunden pro Woche“ muss eine Zahl enthalten.",
        "Einwilligung Kontakt: ja oder nein",
    ):
        assert said in problems, (said, problems)
    assert "Beschäftigung gestattet" in problems  # the allowed values in words, not codes
    assert "approval_required" not in problems
    client.post(url + "/confirm")
    assert [p.first_name for p in _people(app)] == ["Sara"]


def _workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_workbook(counsellor, client, app):
    data = _workbook([
        ["Kennung", "Vorname", "Nachname", "Arbeitserlaubnis", "Frühester Beginn",
         "Stunden pro Woche", "Einwilligung Kontakt", "Phase"],
        ["TN-1", "Olena", "Kovalenko", "Erwerbstätigkeit gestattet", datetime(2027, 3, 1),
         30.0, True, "Phase 5"],
        [None] * 8,  # an empty row is skipped
        ["TN-2", "Ahmad", None, "erlaubt", "morgen", 20, "nein", 4],
    ])  # fmt: skip
    url = _upload(client, data, "Liste.xlsx")
    page = client.get(url).get_data(as_text=True)
    assert "Read as an Excel workbook" in page
    errors = dict(_errors(page))
    assert set(errors) == {"4"}  # the row number in the sheet
    assert "The column “Last name” is missing or empty." in errors["4"]
    assert "The column “Earliest start” contains morgen, not a date" in errors["4"]
    client.post(url + "/confirm")
    [person] = _people(app)
    assert person.work_permit == "any_work"
    assert person.earliest_start.isoformat() == "2027-03-01"
    assert (person.hours_per_week, person.consent_contact, person.phase) == (30, True, 5)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "alt.xls", "Old Excel files"),
        (b"PK\x03\x04 not really a zip", "kaputt.xlsx", "not an Excel workbook"),
    ],
)
def test_unreadable_files_are_refused_on_the_form(counsellor, client, data, name, message):
    form = {"kind": "participants", "file": (io.BytesIO(data), name)}
    response = client.post("/counsellor/import", data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["de", "en"])
def test_csv_template_round_trip(counsellor, client, app, language):
    client.post("/language", data={"locale": language})
    response = client.get("/counsellor/import/template/participants.csv")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")  # Excel reads the umlauts
    text = response.data.decode("utf-8-sig")
    heading, hints = text.splitlines()[:2]
    if language == "de":
        assert heading.startswith("Kennung;Vorname;Nachname;E-Mail")
        assert "Beschäftigung gestattet" in hints
        assert "ja oder nein" in hints
    else:
        assert heading.startswith("ID,First name,Last name,E-mail")
        assert "employment permitted" in hints
        assert "yes or no" in hints
    assert "any_work" not in text
    assert "approval_required" not in text
    # Filled in below the line of hints, which stays: it is skipped.
    separator = ";" if language == "de" else ","
    count = heading.count(separator) + 1
    row = ["TN-9", "Mira", "Petrova", "", "", "nur mit Genehmigung" if language == "de"
           else "only with approval"] + [""] * (count - 6)  # fmt: skip
    data = (text + _table([row], separator)).encode("utf-8-sig")
    url = _upload(client, data, "vorlage.csv")
    assert _errors(client.get(url).get_data(as_text=True)) == []
    client.post(url + "/confirm")
    assert [(p.last_name, p.work_permit) for p in _people(app)] == [
        ("Petrova", "approval_required")
    ]


def test_xlsx_template_round_trip(counsellor, client, app, create_org):
    create_org(name="Bäckerei Sonne")
    client.post("/language", data={"locale": "de"})
    response = client.get("/counsellor/import/template/vacancies.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    headings = [c.value for c in sheet[1]]
    assert headings[:4] == ["Kennung", "Arbeitgeber", "Stellentitel", "Art"]
    assert "Stelle oder Praktikum" in [c.value for c in sheet[2]]
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert '"Stelle,Praktikum"' in lists
    assert book.worksheets[1].title == "Erläuterung"
    values = {"Kennung": "ST-1", "Arbeitgeber": "Bäckerei Sonne", "Stellentitel": "Bäcker/in",
              "Art": "Praktikum", "Status": "Entwurf", "Beschreibung": "Brot und Brötchen backen.",
              "PLZ": "30159", "Stunden pro Woche": 38, "Dauer (Wochen)": 6,
              "Beginn": datetime(2027, 4, 1)}  # fmt: skip
    sheet.append([values.get(h) for h in headings])
    buffer = io.BytesIO()
    book.save(buffer)
    url = _upload(client, buffer.getvalue(), "Stellen.xlsx", kind="vacancies")
    assert _errors(client.get(url).get_data(as_text=True)) == []
    client.post(url + "/confirm")
    from placement.employers.models import Vacancy

    with app.app_context():
        vacancy = db.session.scalar(select(Vacancy))
        assert (vacancy.kind, vacancy.status, vacancy.duration_weeks) == ("internship", "draft", 6)
        assert vacancy.start_date.isoformat() == "2027-04-01"
        assert db.session.scalar(select(func.count(Vacancy.id))) == 1


@pytest.mark.parametrize("url", ["/counsellor/import/template/participants.csv",
                                 "/counsellor/import/template/vacancies.xlsx"])  # fmt: skip
def test_templates_are_for_staff(refused, url):
    refused(url, "participant", "employer")


def test_workbook_too_large_once_unpacked(counsellor, client, monkeypatch):
    from placement.exchange import files

    data = _workbook([["Kennung", "Vorname"], ["p-1", "Olena"]])
    monkeypatch.setattr(files, "MAX_UNPACKED", 1000)  # a real bomb unpacks to gigabytes
    form = {"kind": "participants", "file": (io.BytesIO(data), "gross.xlsx")}
    response = client.post("/counsellor/import", data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "too large once unpacked" in response.get_data(as_text=True)
