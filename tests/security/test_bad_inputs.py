"""Issue 11: the table of bad inputs through every form field and import column.

Asserted (see tests/security/bad_inputs.py for the table): an INVALID value gets status 400 with
the message next to the field (``role="alert"``: WTForms pages re-render the form; a 400 rather
than a 200 so that scripts and the probe can tell) and no row is written; odd but legitimate
TEXT is saved as typed or refused with a message; nothing ever answers 500. One app per module
(the forms only add rows; each case counts rows before and after), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select, text

from placement import create_app
from placement.extensions import db
from tests.conftest import PASSWORD, TEST_DATABASE_URL, _clean, _config
from tests.security.bad_inputs import IMPORT_ROWS, import_cases, targets


@pytest.fixture(scope="module")
def world(tmp_path_factory, _pg_schema):
    """One app, one organisation, one participant and a signed-in client per role."""
    from placement.accounts.services import create_user
    from placement.employers.services import create_organisation
    from placement.participants.services import create_participant

    folder = tmp_path_factory.mktemp("bad-inputs")
    app = create_app(_config(folder, PLACEMENT_IMPORT_DIR=str(folder / "imports"),
                             PLACEMENT_MAIL_BACKEND="file",
                             PLACEMENT_MAIL_FILE=str(folder / "mail.log")))  # fmt: skip
    with app.app_context():
        if not TEST_DATABASE_URL:
            db.create_all()
        org = create_organisation({"name": "Lager Nord GmbH", "postcode": "30159"}, approved=True)
        person = create_participant({"first_name": "Amira", "last_name": "T",
                                     "work_permit": "employment", "postcode": "30159"})  # fmt: skip
        for role in ("counsellor", "employer", "admin"):
            create_user(f"{role}@bad.example", role.title(), role, PASSWORD,
                        organisation=org if role == "employer" else None)  # fmt: skip
        db.session.commit()
        ids = {"org": org.id, "participant": person.id}
    clients = {None: app.test_client()}
    for role in ("counsellor", "employer", "admin"):
        client = app.test_client()
        client.post("/language", data={"locale": "en"})
        assert client.post("/login", data={"email": f"{role}@bad.example",
                                           "password": PASSWORD}).status_code == 302  # fmt: skip
        clients[role] = client
    clients[None].post("/language", data={"locale": "en"})
    yield app, ids, clients
    _clean(app)


def _rows(app, table: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(text(f'"{table}"')))


def _is_refusal(response) -> bool:
    body = response.get_data(as_text=True)
    return 400 <= response.status_code < 500 and ('role="alert"' in body or 'class="error"' in body)


TARGET_NAMES = [t.name for t in targets({"org": 0, "participant": 0})]


@pytest.mark.parametrize("target_name", TARGET_NAMES)
def test_bad_inputs_through_every_form_field(world, target_name):
    app, ids, clients = world
    target = next(t for t in targets(ids) if t.name == target_name)
    client = clients[target.role]
    # The valid data pass: a refusal below is the bad value's doing.
    before = _rows(app, target.table)
    response = client.post(target.url, data=target.data)
    assert response.status_code == target.success, (target.name, response.get_data(True)[:2000])
    assert _rows(app, target.table) == before + 1
    failures = []
    for name, label, value, kind in target.cases():
        before = _rows(app, target.table)
        response = client.post(target.url, data={**target.data, name: value})
        written = _rows(app, target.table) - before
        refused = _is_refusal(response) and written == 0
        # Saved as typed (0 rows: e.g. the e-mail is known already, the owner gets a mail).
        saved = response.status_code == target.success and written in (0, 1)
        if response.status_code >= 500 or not (refused or (kind == "text" and saved)):
            failures.append((name, label, response.status_code, written))
    assert failures == []


@pytest.mark.parametrize("value", ["a\x00b", "Pflege" + "x" * 9994, "' OR 1=1 --", "%_\\"])
@pytest.mark.parametrize(
    "url", ["/counsellor/participants", "/counsellor/vacancies", "/counsellor/organisations",
            "/admin/users", "/counsellor/occupations/search"],
)  # fmt: skip
def test_bad_inputs_in_search_and_query_strings(world, url, value):
    _app, _ids, clients = world
    client = clients["admin"]
    response = client.get(url, query_string={"q": value, "phase": value, "page": value})
    assert response.status_code < 500
    if "\x00" in value:
        assert response.status_code == 400
        assert "control character" in response.get_data(as_text=True)


@pytest.mark.parametrize("kind", list(IMPORT_ROWS))
def test_bad_inputs_through_every_import_column(world, kind):
    """Each bad value in each column: the preview names the line and column; confirming
    writes nothing of it."""
    app, ids, clients = world
    client = clients["counsellor"]
    base, _columns, table = IMPORT_ROWS[kind]
    cases = list(import_cases(kind))
    failures = []
    for n, (column, label, row, value_kind) in enumerate(cases):
        row = {**row, "id": f"{row['id']}-{n}"} if column != "id" else row
        if kind == "vacancies":
            row["organisation_id" if column != "organisation_id" else "x"] = ids["org"]
            row.pop("employer", None)
            if column == "organisation_id":
                row["organisation_id"] = row.pop("x", None) and row["organisation_id"]
        body = json.dumps(row, ensure_ascii=False) + "\n"
        upload = client.post(
            "/counsellor/import",
            data={"kind": kind, "file": (io.BytesIO(body.encode()), "rows.jsonl")},
            content_type="multipart/form-data",
        )
        if upload.status_code != 302:
            failures.append((column, label, "upload", upload.status_code))
            continue
        preview = client.get(upload.headers["Location"])
        before = _rows(app, table)
        confirm = client.post(upload.headers["Location"] + "/confirm")
        written = _rows(app, table) - before
        page = preview.get_data(as_text=True)
        refused = 'class="invalid-row"' in page and written == 0
        if preview.status_code >= 500 or confirm.status_code >= 500:
            failures.append((column, label, preview.status_code, confirm.status_code))
        elif value_kind == "invalid" and not refused:
            failures.append((column, label, "accepted", written))
        elif value_kind == "text" and not (refused or written == 1):
            failures.append((column, label, "text", written))
    assert failures == []
