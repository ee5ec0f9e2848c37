"""Operations probes: /healthz and /readyz answer without login and reveal nothing else."""

from __future__ import annotations

import pytest

from placement.web import health


@pytest.fixture
def tfidf(monkeypatch):
    # The readiness check loads the configured encoder; TF-IDF loads instantly.
    monkeypatch.setenv("PLACEMENT_EMBEDDING_MODEL", "tfidf")
    monkeypatch.setattr(health, "_encoder_ready", [])
    from placement.matches import services

    monkeypatch.setattr(services, "_matchers", {})


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def _stamp_head(app):
    from flask_migrate import stamp

    with app.app_context():
        stamp()


def test_readyz_ready_at_head(app, client, tfidf):
    _stamp_head(app)
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {"status": "ready"}


def test_readyz_503_when_schema_is_behind(app, client, tfidf):
    from sqlalchemy import text

    from placement.extensions import db

    with app.app_context():
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
    try:
        response = client.get("/readyz")
    finally:
        _stamp_head(app)  # leave the shared PostgreSQL schema as the other tests expect it
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert "schema" in response.json["reason"]
    assert set(response.json) == {"status", "reason"}


def test_readyz_503_when_database_is_unreachable(tmp_path, tfidf):
    from placement import create_app
    from tests.conftest import _config

    app = create_app(_config(tmp_path, SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent/x.sqlite"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "reason": "database unreachable"}


def test_readyz_503_when_named_encoder_cannot_load(app, client, monkeypatch):
    _stamp_head(app)
    monkeypatch.setenv("PLACEMENT_EMBEDDING_MODEL", "/no/such/model")
    monkeypatch.setattr(health, "_encoder_ready", [])
    from placement.matches import services

    monkeypatch.setattr(services, "_matchers", {})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "reason": "configured encoder not loadable"}
