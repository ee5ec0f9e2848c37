"""Issue 11: the table of bad inputs through every form field and import column.

Asserted (see tests/security/bad_inputs.py for the table): an INVALID value gets status 400 with
the form shown again and the message next to that field (``id="<field>-error"``; a 400 rather
than a 200 so that scripts and the probe can tell) and no row is written, a NUL byte included;
odd but legitimate TEXT is saved as typed or refused with a message; nothing ever answers 500.
One app per module (the forms only add rows; each case counts rows before and after), on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select, text

from placement import create_app
from placement.extensions import db
from tests.conftest import PASSWORD, TEST_DATABASE_URL, _clean, _config
from tests.security.bad_inputs import IMPORT_ROWS, ROLES, import_cases, seed_world, targets


@pytest.fixture(scope="module")
def world(tmp_path_factory, _pg_schema):
    """One app, one organisation, one participant and a signed-in client per role."""
    folder = tmp_path_factory.mktemp("bad-inputs")
    app = create_app(_config(folder, PLACEMENT_IMPORT_DIR=str(folder / "imports"),
                             PLACEMENT_MAIL_BACKEND="file",
                             PLACEMENT_MAIL_FILE=str(folder / "mail.log")))  # fmt: skip
    with app.app_context():
        if not TEST_DATABASE_URL:
            db.create_all()
        ids = seed_world("bad.example", PASSWORD)
    clients = {None: app.test_client()}
    for role in ROLES:
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


def _refused_at(response, field: str) -> bool:
    """A 4xx with the form shown again and the message next to the field (macros.html), or
    next to any field when ``field`` is empty."""
    body = response.get_data(as_text=True)
    marker = f'id="{field}-error" role="alert"' if field else '-error" role="alert"'
    return 400 <= response.status_code < 500 and marker in body


NO_IDS = {"org": 0, "participant": 0, "placement": 0, "vacancy": 0}
TARGET_NAMES = [t.name for t in targets(NO_IDS)]


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
        # Legitimate text may be refused for another field's sake (the e-mail is taken, a next
        # step needs a due date): then at that field.
        at = name if kind == "invalid" else ""
        refused = _refused_at(response, at) and written == 0
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


@pytest.mark.parametrize("value", ["a\x00b", "9999-12-31", "x" * 10_000, "' OR 1=1 --"])
@pytest.mark.parametrize(
    ("url", "names"),
    [("/counsellor/statistics/", ["start_from", "start_to", "counsellor", "employer",
                                  "occupation"]),
     ("/counsellor/statistics/network.svg", ["start_from", "counsellor", "occupation"]),
     ("/verify", ["code"])],
)  # fmt: skip
def test_bad_inputs_in_statistics_filters_and_the_verify_box(world, url, names, value):
    _app, _ids, clients = world
    response = clients["admin"].get(url, query_string={name: value for name in names})
    assert response.status_code < 500
    if "\x00" in value and not url.endswith(".svg"):
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


# Form fields outside the table, and why. Any other field a form gains must join the table.
NOT_IN_TABLE = {
    "LoginForm": "writes nothing; answers alike for any input (tests/web/test_auth.py)",
    "ConfirmPasswordForm": "writes nothing but an audit event; a password is never stored",
    "SearchForm": "a GET search: query strings are tested below",
    "MatchFilterForm": "a GET filter: query strings are tested below",
    "ProposeForm.participant_id": "a hidden field: a bare 400 (tests/matches)",
    "ParticipantActionForm": "ids only, checked against the record (tests/matches)",
    "FollowUpForm": "records a follow-up once: tests/security/test_follow_up_inputs.py",
    "ImportForm": "the file's columns are walked by the import test below",
    "FilterForm": "a GET filter of the statistics: query strings are tested below",
    "VerifyForm": "a GET box on the public verify page: query strings are tested below",
    "InterviewTimesForm": "times, duration, place, NUL: tests/employers/test_candidate_page.py",
    "ForgotForm": "writes nothing but a link for a known address; the same answer for any input "
    "(tests/web/auth/test_password.py)",
    "CodeForm": "writes nothing; a wrong code is refused (tests/web/auth/test_twofactor.py)",
    "AuditFilterForm": "a GET filter: 400 with the message at the field "
    "(tests/web/admin/test_audit.py)",
}


def test_the_table_holds_every_form_field():
    import importlib
    import pkgutil

    from wtforms import (
        DateField,
        EmailField,
        FieldList,
        FormField,
        HiddenField,
        IntegerField,
        PasswordField,
        StringField,
    )

    import placement.web
    from placement.web.form_base import BaseForm

    for module in pkgutil.walk_packages(placement.web.__path__, "placement.web."):
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    covered = set()
    for target in targets(NO_IDS):
        fields = {*target.required, *target.text, *target.numbers, *target.dates, *target.ids}
        covered |= {f"{target.name}.{name}" for name in fields}
    kinds = (StringField, IntegerField, DateField, EmailField)  # TextArea, URL, List: StringField
    skip = (HiddenField, PasswordField)  # the CSRF token, next; passwords are never stored
    missing = []
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context():
        for cls in set(subclasses(BaseForm)):
            if cls.__name__ in NOT_IN_TABLE or cls.__name__ == "QuizForm":  # radio buttons only
                continue
            form = cls(formdata=None)
            for field in form:
                if isinstance(field, FieldList | FormField):
                    entries = field.entries if isinstance(field, FieldList) else [field]
                    fields = [f for entry in entries[:1] for f in entry.form]
                else:
                    fields = [field]
                names = [f.name for f in fields if isinstance(f, kinds) and not isinstance(f, skip)]
                names = [f"{cls.__name__}.{n}" for n in names]
                missing += [n for n in names if n not in covered and n not in NOT_IN_TABLE]
    assert sorted(set(missing)) == [], sorted(set(missing))
