"""Issue 11 (finding 4): SQLite enforces foreign keys and their ON DELETE actions, like
PostgreSQL; migrations that rebuild a table keep every row that refers to it."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from placement import create_app
from placement.extensions import db
from tests.conftest import TEST_DATABASE_URL


def test_a_dangling_reference_is_refused(app):
    from placement.proposals.models import Consent

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.add(Consent(participant_id=987654, organisation_id=987654))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_deleting_an_organisation_runs_the_on_delete_actions(
    app, create_org, create_vacancy, create_user
):
    """Its vacancies go with it (CASCADE); its staff stay, without organisation (SET NULL)."""
    from placement.accounts.models import User
    from placement.employers.models import Organisation, Vacancy

    org = create_org()
    create_vacancy(org)
    user_id, _ = create_user("employer", organisation_id=org)
    with app.app_context():
        db.session.execute(text("DELETE FROM organisation WHERE id = :id"), {"id": org})
        db.session.commit()
        assert db.session.get(Organisation, org) is None
        assert db.session.scalar(select(func.count(Vacancy.id))) == 0
        assert db.session.get(User, user_id).organisation_id is None


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite file migrations")
def test_a_migration_rebuilding_a_table_keeps_the_rows_that_refer_to_it(tmp_path):
    """0010 rebuilds "user" (batch mode: copy, drop, rename). With foreign keys on during the
    migration, dropping the old table would delete the module progress of every user
    (ON DELETE CASCADE) and unlink every audit event (SET NULL)."""
    url = f"sqlite:///{tmp_path / 'migrate.sqlite'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0009_proposal_note")
        db.session.execute(text(
            "INSERT INTO \"user\" (id, email, name, role, password_hash, active, failed_logins,"
            " created_at, session_token) VALUES (1, 'a@b.example', 'A', 'employer', 'x', 1, 0,"
            " '2026-01-01', 't')"
        ))  # fmt: skip
        db.session.execute(text(
            "INSERT INTO module_progress (user_id, module_slug, last_page, pages_read,"
            " started_at, updated_at) VALUES (1, 'agg', 1, '[]', '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
        db.session.execute(text(
            "INSERT INTO audit_event (at, actor_id, action, subject_type)"
            " VALUES ('2026-01-01', 1, 'user.login', 'user')"
        ))  # fmt: skip
        db.session.commit()
        upgrade()
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("SELECT count(*) FROM module_progress")).scalar() == 1
        assert db.session.execute(text("SELECT actor_id FROM audit_event")).scalar() == 1
        downgrade(revision="0009_proposal_note")
        assert db.session.execute(text("SELECT count(*) FROM module_progress")).scalar() == 1
        assert db.session.execute(text("SELECT actor_id FROM audit_event")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
