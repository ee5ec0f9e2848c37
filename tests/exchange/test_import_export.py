"""Import with preview (errors by line, all or nothing, cancel) and export, for counsellors."""

from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import func, select

from placement.extensions import db
from tests.conftest import PASSWORD

PEOPLE = [
    {
        "id": "p-1",
        "first_name": "Olena",
        "last_name": "K",
        "work_permit": "any_work",
        "german_level": "B1",
        "skills": ["Grundpflege"],
        "postcode": "30451",
        "phase": 4,
        "qualifications": [{"title": "Nurse diploma", "recognition": "in_process"}],
        "languages": [{"code": "uk", "level": "native"}],
        "consent_matching": True,
    },
    {
        "id": "p-2",
        "first_name": "Ahmad",
        "last_name": "R",
        "work_permit": "employment",
        "german_level": "Z9",
    },
    {"id": "p-3", "first_name": "Sara", "last_name": "M", "work_permit": "employment"},
]
CSV_PEOPLE = (
    "id,first_name,last_name,work_permit,german_level,skills,languages,qualification_title,"
    "qualification_recognition,hours_per_week\n"
    "c-1,Olena,K,any_work,B1,Grundpflege; Wundversorgung,uk:native; en:B1,Diplom,partial,30\n"
    "c-2,,K,any_work,B1,,,,,30\n"
    'c-3,Sara,"M\nzweite Zeile",employment,B2,,,,,dreißig\n'
    "c-4,Ali,B,employment,A2,,,,,20\n"
)


def _jsonl(rows, extra=""):
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n" + extra


def _upload(client, text, name, kind="participants", all_or_nothing=False):
    data = {"kind": kind, "file": (io.BytesIO(text.encode()), name)}
    if all_or_nothing:
        data["all_or_nothing"] = "y"
    response = client.post("/counsellor/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def _errors(page):
    """(line, all its problems as one text) for each invalid row of a preview."""
    row = r'<tr class="invalid-row"><th scope="row">(\d+)</th><td>(.*?)</td></tr>'
    rows = re.findall(row, page)
    return [(line, "; ".join(re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<li>(.*?)</li>", cell)
                             or [cell]))
            for line, cell in rows]  # fmt: skip


@pytest.fixture
def counsellor(login_as):
    return login_as("counsellor")


def test_jsonl_preview_errors_by_line_then_confirm(counsellor, client, app):
    from placement.participants.models import Participant

    text = _jsonl(PEOPLE[:2], "{not json\n\n" + json.dumps(PEOPLE[2]) + "\n")
    preview_url = _upload(client, text, "people.jsonl")
    page = client.get(preview_url).get_data(as_text=True)
    errors = dict(_errors(page))
    assert set(errors) == {"2", "3"}
    assert "German level" in errors["2"]  # the column by its heading, not its code
    assert "allowed are: A1, A2, B1, B2, C1, C2" in errors["2"]  # worded by the app
    assert "invalid JSON" in errors["3"]
    assert _count(app, Participant) == 0  # the preview writes nothing
    assert client.post(preview_url + "/confirm").status_code == 302
    with app.app_context():
        people = db.session.scalars(select(Participant).order_by(Participant.id)).all()
        assert [p.external_ref for p in people] == ["p-1", "p-3"]
        assert people[0].qualifications[0].recognition == "in_process"
        assert people[0].languages == [{"code": "uk", "level": "native"}]
        assert people[0].counsellor_id == counsellor
    assert client.get(preview_url).status_code == 404  # the upload is gone


def test_csv_errors_by_line_with_multiline_record(counsellor, client, app):
    from placement.participants.models import Participant

    preview_url = _upload(client, CSV_PEOPLE, "people.csv")
    page = client.get(preview_url).get_data(as_text=True)
    errors = dict(_errors(page))
    assert set(errors) == {"3", "4"}  # c-3 starts on line 4 and spans two lines
    assert "The column “First name” is missing or empty." in errors["3"]
    assert "The column “Hours per week” must contain a number." in errors["4"]
    client.post("/language", data={"locale": "de"})
    german = dict(_errors(client.get(preview_url).get_data(as_text=True)))
    assert german["3"] == "Die Spalte „Vorname“ fehlt oder ist leer."
    client.post(preview_url + "/confirm")
    with app.app_context():
        olena = db.session.scalar(select(Participant).where(Participant.external_ref == "c-1"))
        assert olena.skills == ["Grundpflege", "Wundversorgung"]
        assert olena.qualifications[0].title == "Diplom"
        assert _count(app, Participant) == 2


def test_all_or_nothing_writes_nothing(counsellor, client, app):
    from placement.participants.models import Participant

    preview_url = _upload(client, _jsonl(PEOPLE), "people.jsonl", all_or_nothing=True)
    page = client.get(preview_url).get_data(as_text=True)
    assert "nothing will be imported" in page
    assert client.post(preview_url + "/confirm").status_code == 302
    assert _count(app, Participant) == 0


def test_cancel_writes_nothing_and_deletes_upload(counsellor, client, app):
    from pathlib import Path

    from placement.participants.models import Participant

    preview_url = _upload(client, _jsonl([PEOPLE[0]]), "people.jsonl")
    token = preview_url.rsplit("/", 1)[1]
    folder = Path(app.config["PLACEMENT_IMPORT_DIR"])
    assert (folder / f"{token}.upload").exists()
    assert client.post(preview_url + "/cancel").status_code == 302
    assert not any(f.name.startswith(token) for f in folder.iterdir())
    assert client.post(preview_url + "/confirm").status_code == 404
    assert _count(app, Participant) == 0


def test_upload_kept_on_disk_not_in_session(counsellor, client, app):
    from pathlib import Path

    preview_url = _upload(client, _jsonl([PEOPLE[0]]), "people.jsonl")
    token = preview_url.rsplit("/", 1)[1]
    folder = Path(app.config["PLACEMENT_IMPORT_DIR"])
    assert (folder / f"{token}.upload").exists()
    with client.session_transaction() as session:
        assert "Olena" not in json.dumps(dict(session), default=str)
    client.post(preview_url + "/confirm")
    assert not (folder / f"{token}.upload").exists()


def test_duplicate_ids_and_reimport_are_errors(counsellor, client, app):
    from placement.participants.models import Participant

    url = _upload(client, _jsonl([PEOPLE[0], PEOPLE[0]]), "people.jsonl")
    assert [line for line, _ in _errors(client.get(url).get_data(as_text=True))] == ["2"]
    client.post(url + "/confirm")
    url = _upload(client, _jsonl([PEOPLE[0]]), "people.jsonl")
    assert "imported already" in client.get(url).get_data(as_text=True)
    client.post(url + "/confirm")
    assert _count(app, Participant) == 1


def test_vacancies_need_a_known_employer(counsellor, client, app, create_org):
    from placement.employers.models import Vacancy

    org = create_org("Hoffmann Bau GmbH")
    base = {
        "title": "Maurer/in",
        "description": "Mauerwerk im Hochbau.",
        "postcode": "30179",
        "hours_per_week": 40,
        "status": "published",
    }
    rows = [
        dict(base, id="v-1", employer="hoffmann bau gmbh"),
        dict(base, id="v-2"),
        dict(base, id="v-3", employer="Unbekannt AG"),
        dict(base, id="v-4", organisation_id=org, kind="internship"),
    ]
    url = _upload(client, _jsonl(rows), "vacancies.jsonl", kind="vacancies")
    errors = dict(_errors(client.get(url).get_data(as_text=True)))
    assert set(errors) == {"2", "3", "4"}
    assert "Employer is missing" in errors["2"]
    assert "Unbekannt AG" in errors["3"]
    assert "Duration (weeks)" in errors["4"]
    client.post(url + "/confirm")
    with app.app_context():
        vacancy = db.session.scalars(select(Vacancy)).one()
        assert (vacancy.external_ref, vacancy.organisation_id) == ("v-1", org)


def test_other_counsellors_upload_is_not_found(counsellor, client, auth, create_user):
    url = _upload(client, _jsonl([PEOPLE[0]]), "people.jsonl")
    auth.logout()
    _, email = create_user("counsellor")
    auth.login(email)
    assert client.get(url).status_code == 404
    assert client.post(url + "/confirm").status_code == 404
    assert client.get("/counsellor/import/..%2F..%2Fsecret_key").status_code == 404


def test_export_round_trip(counsellor, client, app, create_org, create_vacancy, create_participant):
    from placement.matching import CandidateRecord, VacancyRecord

    org = create_org("Lager Nord GmbH")
    create_vacancy(org, title="Kommissionierer")
    create_participant(
        first_name="Olena",
        skills=["Kommissionieren"],
        qualifications=[{"title": "Diplom", "recognition": "partial"}],
    )
    assert client.get("/counsellor/export/participants.jsonl").status_code == 302  # not fresh
    client.post("/confirm-password", data={"password": PASSWORD})
    body = client.get("/counsellor/export/participants.jsonl").get_data(as_text=True)
    row = json.loads(body.splitlines()[0])
    assert CandidateRecord.from_dict(row).skills == ["Kommissionieren"]
    assert row["first_name"] == "Olena"
    assert row["qualifications"][0]["title"] == "Diplom"
    for protected in ("nationality", "gender", "age", "religion", "birthplace"):
        assert protected not in row
    vacancy = json.loads(client.get("/counsellor/export/vacancies.jsonl").get_data(as_text=True))
    assert VacancyRecord.from_dict(vacancy).title == "Kommissionierer"
    assert vacancy["employer"] == "Lager Nord GmbH"
    csv_text = client.get("/counsellor/export/participants.csv").get_data(as_text=True)
    assert csv_text.startswith("id,")
    assert "qualification_title" in csv_text.splitlines()[0]
    # the CSV export imports again (as new ids)
    url = _upload(client, csv_text.replace(row["id"], "copy-1"), "again.csv")
    assert _errors(client.get(url).get_data(as_text=True)) == []


@pytest.mark.parametrize(
    "url",
    [
        "/counsellor/import",
        "/counsellor/export/participants.jsonl",
        "/counsellor/export/vacancies.csv",
    ],
)
def test_import_export_access(client, login_as, url):
    assert client.get(url).status_code == 302  # anonymous: to login
    login_as("participant")
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["employer", "participant"])
def test_wrong_role_cannot_upload(client, login_as, role):
    login_as(role)
    data = {"kind": "participants", "file": (io.BytesIO(b"{}"), "x.jsonl")}
    response = client.post("/counsellor/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 403


def test_import_page_for_counsellor(counsellor, client):
    page = client.get("/counsellor/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    response = client.post("/counsellor/import", data={"kind": "participants"})
    assert response.status_code == 400


def test_imported_vacancies_are_wording_checked(counsellor, client, app, create_org):
    """As through the form: a vacancy to be published with a serious finding is kept as a draft
    (someone publishes it from its page after seeing the findings); other findings are shown."""
    from placement.audit.models import AuditEvent
    from placement.employers.models import Vacancy

    org = create_org("Hoffmann Bau GmbH")
    base = {"title": "Maurer/in", "postcode": "30179", "hours_per_week": 40,
            "status": "published", "organisation_id": org}  # fmt: skip
    rows = [
        dict(base, id="w-1", description="Wir sind ein junges, dynamisches Team im Hochbau."),
        dict(base, id="w-2", description="Mauerwerk im Hochbau. Perfektes Deutsch erforderlich."),
        dict(base, id="w-3", description="Mauerwerk im Hochbau."),
    ]
    url = _upload(client, _jsonl(rows), "vacancies.jsonl", kind="vacancies")
    done = client.post(url + "/confirm", follow_redirects=True).get_data(as_text=True)
    assert "1 vacancy was kept as a draft: the wording check found something serious" in done
    with app.app_context():
        status = {v.external_ref: (v.status, v.id) for v in db.session.scalars(select(Vacancy))}
        held = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "vacancy.held_for_review")
        ).one()
    assert {ref: s for ref, (s, _id) in status.items()} == {
        "w-1": "draft", "w-2": "published", "w-3": "published"}  # fmt: skip
    assert held.subject_id == status["w-1"][1]
    assert held.details == {"rules": ["junges_team"]}
    for ref in ("w-1", "w-2"):
        page = client.get(f"/counsellor/vacancies/{status[ref][1]}").get_data(as_text=True)
        assert "Notes on the wording (1)" in page, ref  # shown as for saved vacancies
    assert "<q>junges, dynamisches Team</q>" in client.get(
        f"/counsellor/vacancies/{status['w-1'][1]}").get_data(as_text=True)  # fmt: skip
    clean = client.get(f"/counsellor/vacancies/{status['w-3'][1]}").get_data(as_text=True)
    assert "Notes on the wording" not in clean
