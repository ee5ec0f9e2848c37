"""The migrations build the schema of the models, from empty to head and back, on the test
database's dialect (SQLite here; PostgreSQL when PLACEMENT_TEST_DATABASE_URL is set: there the
session fixture already upgraded from empty to head)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from placement import create_app
from placement.extensions import db
from tests.conftest import TEST_DATABASE_URL


def _diff(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, db.metadata)


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite file migrations")
def test_sqlite_empty_to_head_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrate.sqlite'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            assert _diff(connection) == []
        assert "vacancy" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PLACEMENT_TEST_DATABASE_URL")
def test_postgresql_head_matches_models(app):
    # The session fixture built this schema with `upgrade()` from an empty database.
    engine = create_engine(TEST_DATABASE_URL)
    with engine.connect() as connection:
        assert _diff(connection) == []
        version = connection.exec_driver_sql("select version_num from alembic_version").scalar()
    engine.dispose()
    assert version
