"""Fixtures: the app on a clean database per test, a client, a CLI runner, an auth helper and
factories. SQLite by default; PostgreSQL when PLACEMENT_TEST_DATABASE_URL points at one."""

from __future__ import annotations

import os
import shutil
import threading
from itertools import count

import pytest
from sqlalchemy import text

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("PLACEMENT_ESCO", "off")  # ESCO tests build their own small index

import placement.accounts.services as account_services  # noqa: E402
from placement import create_app  # noqa: E402
from placement.extensions import db  # noqa: E402

PASSWORD = "correct horse battery staple"
# A participant proposed to employers in the employer-side tests: her identity stays hidden
# from them until she consents.
OLENA = {
    "first_name": "Olena",
    "last_name": "Kovalenko",
    "email": "olena.k@mail.example",
    "phone": "0170 5550101",
    "consent_matching": True,
    "german_level": "B1",
    "skills": ["Kommissionieren", "Staplerschein"],
    "languages": [{"code": "uk", "level": "native"}, {"code": "en", "level": "B2"}],
}


def _worker_database(url: str | None, worker: str | None) -> str | None:
    """Under pytest-xdist each worker gets a PostgreSQL database of its own (created once)."""
    if not url or not worker:
        return url
    from sqlalchemy import create_engine, make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


TEST_DATABASE_URL = _worker_database(
    os.environ.get("PLACEMENT_TEST_DATABASE_URL"), os.environ.get("PYTEST_XDIST_WORKER")
)
# The production hash (scrypt) costs ~50 ms a login; tests prove behaviour, not the KDF's cost.
# tests/accounts checks that the default stays scrypt.
account_services.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


def _config(tmp_path, **extra):
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}"
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # Assertions name the English msgids; tests of the German default ask for "de".
        "BABEL_DEFAULT_LOCALE": "en",
        "PLACEMENT_LOGIN_MAX_FAILURES": 3,
        "PLACEMENT_LOGIN_LOCK_MINUTES": 15,
        "PLACEMENT_MODEL_DIR": str(tmp_path / "models"),
        # records are encoded on the request that needs them; tests of the background
        # preparation ask for "thread"
        "PLACEMENT_PREPARE": "request",
        # no thread keeps the ranking pools current (requests rebuild them); tests of it turn
        # it on
        "PLACEMENT_POOL_REFRESH": 0,
    }
    config.update(extra)
    return config


def _clean(app):
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(text("SET lock_timeout = '20s'"))
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()  # no connection outlives its test


def page_ok(client, url: str) -> str:
    """GET ``url``, which must answer 200; its text."""
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def redis_up(url: str) -> bool:
    """Whether a Redis server answers at ``url`` (tests that need one are skipped otherwise)."""
    try:
        from redis import Redis

        return bool(Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001 - no Redis here
        return False


def run_in_threads(*calls) -> None:
    """Run each call in a thread of its own, all at once, and wait for them (60 s at most each):
    for races, where the calls meet at a barrier before the step that races."""
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)


@pytest.fixture(scope="session")
def _pg_schema(tmp_path_factory):
    """On PostgreSQL the schema is built once per run from the migrations, then truncated."""
    if not TEST_DATABASE_URL:
        yield
        return
    app = create_app(_config(tmp_path_factory.mktemp("pg")))
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        # A dedicated test database: start from an empty schema, whatever an earlier run left.
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
        upgrade()
        db.session.remove()
        db.engine.dispose()
    yield
    with app.app_context():
        downgrade(revision="base")
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    """On SQLite the schema is built once per run in a template file that each test copies."""
    if TEST_DATABASE_URL:
        return None
    folder = tmp_path_factory.mktemp("template")
    app = create_app(_config(folder))
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    return folder / "test.sqlite"


@pytest.fixture
def make_app(tmp_path, _pg_schema, _sqlite_template):
    """Build an app with extra config on the test database (for config-specific tests)."""
    apps = []

    def factory(**extra):
        config = _config(tmp_path, **extra)
        database = tmp_path / "test.sqlite"
        if _sqlite_template and not database.exists():
            shutil.copyfile(_sqlite_template, database)  # a fresh, empty schema per test
        app = create_app(config)
        if not TEST_DATABASE_URL:
            with app.app_context():
                db.create_all()  # no-op on the copy; creates tables for a database set by a test
        apps.append(app)
        return app

    yield factory
    for app in apps:
        _clean(app)


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


_seq = count(1)


@pytest.fixture
def create_org(app):
    from placement.employers.services import create_organisation

    def factory(name=None, approved=True, **data):
        with app.app_context():
            org = create_organisation(
                {"name": name or f"Firma {next(_seq)} GmbH", "postcode": "30159", **data},
                approved=approved,
            )
            db.session.commit()
            return org.id

    return factory


@pytest.fixture
def create_user(app):
    from placement.accounts.services import create_user as _create_user
    from placement.employers.models import Organisation
    from placement.participants.services import create_participant_for_user

    def factory(role="counsellor", email=None, organisation_id=None, password=PASSWORD):
        with app.app_context():
            org = db.session.get(Organisation, organisation_id) if organisation_id else None
            email = email or f"{role}{next(_seq)}@test.example"
            user = _create_user(email, f"Test {role.title()}", role, password, organisation=org)
            if role == "participant":
                create_participant_for_user(user)
            db.session.commit()
            return user.id, email

    return factory


@pytest.fixture
def create_vacancy(app):
    from placement.employers.models import Organisation
    from placement.employers.services import create_vacancy as _create_vacancy

    def factory(organisation_id, **data):
        values = {
            "kind": "job",
            "title": "Fachkraft für Lagerlogistik",
            "status": "published",
            "description": "Wareneingang, Kommissionierung und Versand im Lager.",
            "postcode": "30159",
            "hours_per_week": 38,
            "skills": ["Kommissionieren"],
        }
        values.update(data)
        with app.app_context():
            vacancy = _create_vacancy(db.session.get(Organisation, organisation_id), values, None)
            db.session.commit()
            return vacancy.id

    return factory


@pytest.fixture
def create_participant(app):
    from placement.participants.services import create_participant as _create

    def factory(**data):
        values = {
            "first_name": "Olena",
            "last_name": "Test",
            "german_level": "B1",
            "work_permit": "employment",
            "postcode": "30159",
        }
        values.update(data)
        with app.app_context():
            person = _create(values)
            db.session.commit()
            return person.id

    return factory


@pytest.fixture
def create_proposal(app):
    """Propose a participant for a vacancy as a counsellor (by ids); returns the proposal id."""
    from placement.accounts.models import User
    from placement.employers.models import Vacancy
    from placement.participants.models import Participant
    from placement.proposals.services import propose

    def factory(vacancy_id, participant_id, counsellor_id, **options):
        with app.app_context():
            item = propose(db.session.get(Vacancy, vacancy_id),
                           db.session.get(Participant, participant_id),
                           db.session.get(User, counsellor_id), **options)  # fmt: skip
            db.session.commit()
            return item.id

    return factory


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email, password=PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def login_as(client, auth, create_user, create_org):
    """Sign the test client in with a new user of a role; returns the user's id."""

    def factory(role, organisation_id=None):
        if role == "employer" and organisation_id is None:
            organisation_id = create_org()
        user_id, email = create_user(role, organisation_id=organisation_id)
        response = auth.login(email)
        assert response.status_code == 302, response.data
        return user_id

    return factory


@pytest.fixture
def refused(client, login_as):
    """``refused(url, *roles)``: without signing in the page sends to the login, and a user of
    each of ``roles`` gets 403."""

    def check(url: str, *roles: str) -> None:
        assert client.get(url).headers["Location"].startswith("/login")
        for role in roles:
            login_as(role)
            assert client.get(url).status_code == 403
            client.post("/logout")

    return check
