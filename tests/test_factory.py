"""The app factory and configuration."""

from __future__ import annotations

import stat

from placement import create_app
from placement.config import load_config


def test_testing_flag(tmp_path):
    assert not create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).testing
    assert create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}).testing


def test_defaults_use_instance_folder_and_generate_secret_once(tmp_path):
    config = load_config(str(tmp_path), environ={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'placement.sqlite'}"
    secret = config["SECRET_KEY"]
    assert len(secret) >= 64
    assert load_config(str(tmp_path), environ={})["SECRET_KEY"] == secret  # kept, not regenerated
    mode = (tmp_path / "secret_key").stat().st_mode
    assert not mode & (stat.S_IRWXG | stat.S_IRWXO)  # readable by the owner only


def test_environment_overrides(tmp_path):
    env = {
        "PLACEMENT_DATABASE_URL": "postgresql+psycopg://u@db/x",
        "PLACEMENT_SECRET_KEY": "from-env",
        "PLACEMENT_LOGIN_MAX_FAILURES": "7",
        "PLACEMENT_SESSION_COOKIE_SECURE": "true",
    }
    config = load_config(str(tmp_path), environ=env)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/x"
    assert config["SECRET_KEY"] == "from-env"
    assert config["PLACEMENT_LOGIN_MAX_FAILURES"] == 7
    assert config["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_health(client):
    assert client.get("/healthz").json == {"status": "ok"}
