"""Issue 11: import edge cases and formula-safe CSV exports."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

from placement.extensions import db
from tests.conftest import PASSWORD
from tests.exchange.test_import_export import _errors, _upload

PERSON = {"id": "p-1", "first_name": "Olena", "last_name": "K", "work_permit": "employment"}


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


@pytest.fixture
def counsellor(login_as):
    return login_as("counsellor")


def test_unbalanced_quote_is_reported_not_swallowing_rows(counsellor, client, app):
    text = (
        "id,first_name,last_name,work_permit\n"
        'c-1,Olena,"K,employment\n'
        "c-2,Ali,B,employment\n"
        "c-3,Sara,M,employment\n"
        'c-4,Ana,"L",employment\n'
    )
    page = client.get(_upload(client, text, "people.csv")).get_data(as_text=True)
    errors = dict(_errors(page))
    assert "2" in errors
    assert "unbalanced quote" in errors["2"].replace("&#34;", '"')


def test_quote_open_at_end_of_file_is_an_error(counsellor, client):
    text = 'id,first_name,last_name,work_permit\nc-1,Olena,"K,employment\nc-2,Ali,B,employment\n'
    page = client.get(_upload(client, text, "people.csv")).get_data(as_text=True)
    assert _errors(page), page


def test_upload_is_private_and_confirmed_once(counsellor, client, app, monkeypatch):
    from placement.participants.models import Participant
    from placement.web.exchange import routes as transfer

    url = _upload(client, json.dumps(PERSON) + "\n", "people.jsonl")
    token = url.rsplit("/", 1)[1]
    upload = Path(app.config["PLACEMENT_IMPORT_DIR"]) / f"{token}.upload"
    assert stat.S_IMODE(upload.stat().st_mode) == 0o600
    # A second confirm racing the first: the first claims the file after the second loaded it.
    load = transfer._load

    def load_then_lose_the_race(token):
        loaded = load(token)
        upload.rename(upload.with_suffix(".claimed"))
        return loaded

    monkeypatch.setattr(transfer, "_load", load_then_lose_the_race)
    response = client.post(url + "/confirm")
    assert response.status_code == 409
    assert "imported already" in response.get_data(as_text=True)
    assert _count(app, Participant) == 0


def test_preview_of_a_big_file_shows_a_sample(counsellor, client):
    rows = [{**PERSON, "id": f"p-{i}"} for i in range(400)]
    rows += [{"id": f"bad-{i}", "first_name": "X"} for i in range(300)]
    text = "\n".join(json.dumps(r) for r in rows) + "\n"
    page = client.get(_upload(client, text, "people.jsonl")).get_data(as_text=True)
    assert len(_errors(page)) == 200
    assert "The first 200 of 300 invalid rows are shown." in page
    assert "the first 50 of 400 valid rows" in page
    assert page.count("<tr>") < 60


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"max_commute_km": 10**12}, "Longest commute (km) must be between"),
        ({"hours_per_week": -5}, "Hours per week must be between"),
        ({"earliest_start": "9999-12-31"}, "Earliest start must lie between"),
        ({"qualifications": [{"title": "Diplom", "country": "X" * 500}]}, "Qualification: country"),
        ({"qualifications": [{"title": "Diplom", "reference_occupation": "Y" * 500}]},
         "“Qualification: reference occupation” is longer"),
        ({"skills": ["Pflege" + "x" * 3000]}, "Skills"),
        ({"skills": [f"s{i}" for i in range(200)]}, "more than 30 entries"),
        ({"profile": "Pflege" + "x" * 9990}, "word longer than"),
        ({"last_name": "K\x00"}, "control character"),
    ],
)  # fmt: skip
def test_import_row_limits(counsellor, client, app, row, reason):
    from placement.participants.models import Participant

    url = _upload(client, json.dumps({**PERSON, **row}) + "\n", "people.jsonl")
    errors = dict(_errors(client.get(url).get_data(as_text=True)))
    assert reason in errors["1"].replace("&#39;", "'")
    client.post(url + "/confirm")
    assert _count(app, Participant) == 0


def test_employer_name_shared_by_two_organisations_is_ambiguous(
    counsellor, client, app, create_org
):
    from placement.employers.models import Vacancy

    create_org(name="Hoffmann Bau GmbH")
    create_org(name="Hoffmann Bau GmbH")
    row = {"id": "v-1", "title": "Maurer", "description": "Mauerwerk im Neubau, Schalung.",
           "postcode": "30159", "hours_per_week": 38, "employer": "Hoffmann Bau GmbH"}  # fmt: skip
    url = _upload(client, json.dumps(row) + "\n", "v.jsonl", kind="vacancies")
    errors = dict(_errors(client.get(url).get_data(as_text=True)))
    assert "give the number instead" in errors["1"]
    client.post(url + "/confirm")
    assert _count(app, Vacancy) == 0


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0",
                                     "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0"])  # fmt: skip
def test_csv_export_cells_are_not_formulas(counsellor, client, create_participant, payload):
    create_participant(first_name=payload, last_name=payload, skills=[payload])
    client.post("/confirm-password", data={"password": PASSWORD, "next": "/"})
    text = client.get("/counsellor/export/participants.csv").get_data(as_text=True)
    for row in csv.DictReader(io.StringIO(text)):
        for value in row.values():
            assert not (value or "").startswith(("=", "+", "-", "@")), value
    # ... and the export imports again with the text as written.
    from placement.exchange.formats import read_csv

    (_line, row, error), *_ = read_csv(text)
    assert error is None
    assert row["first_name"] == payload


def test_row_problems_are_said_in_german_too(app):
    """Every problem of a row has a code the page words in the reader's language (no English
    left in a German preview)."""
    from flask_babel import force_locale

    from placement.exchange import formats, services
    from placement.web.exchange.messages import say

    row = {**PERSON, "max_commute_km": 10**12, "email": "nope", "id": "p-9"}
    text = json.dumps(row) + "\n" + json.dumps({**PERSON, "id": "p-9"}) + "\n{kaputt\n"
    with app.test_request_context(), force_locale("de"):
        preview = services.validate("participants", formats.read_jsonl(text), "de")
        said = [[str(say(e)) for e in r.errors] for r in preview.rows]
    assert said[0] == ["Arbeitsweg höchstens (km) muss zwischen 1 und 300 liegen.",
                       "E-Mail: „nope“ ist keine E-Mail-Adresse."]  # fmt: skip
    assert said[1] == ["Die Kennung „p-9“ kommt zweimal in der Datei vor."]
    assert said[2][0].startswith("Diese Zeile ist kein JSON")
