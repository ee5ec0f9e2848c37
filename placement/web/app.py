"""The application factory: a readable list of what gets wired."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, session
from flask_login import current_user

from placement.config import load_config
from placement.extensions import babel, csrf, db, limiter, login_manager, migrate, talisman
from placement.web.request_log import init_request_log

MIGRATIONS_DIR = str(Path(__file__).resolve().parents[1] / "migrations")
CSP = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and wire the app. No migrations, network or model loading happen here."""
    app = Flask("placement.web", instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    register_extensions(app)
    init_request_log(app)
    register_modules(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_hardening(app)
    return app


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]  # German unless the person chose otherwise


def register_extensions(app: Flask) -> None:
    import placement.models  # noqa: F401  (all tables known to Alembic)
    from placement.accounts.services import load_user

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="../translations"
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    if app.config.get("PLACEMENT_REDIS_URL"):  # limits shared by every worker process
        app.config["RATELIMIT_STORAGE_URI"] = app.config["PLACEMENT_REDIS_URL"]
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=CSP,
        frame_options="DENY",
        strict_transport_security=True,
        referrer_policy="same-origin",
    )


def register_modules(app: Flask) -> None:
    """Training modules are a few small files: validated here, so a broken one stops start-up."""
    from placement.training.modules import load_modules

    app.extensions["modules"] = load_modules(app.config.get("MODULES_DIR"))


def register_blueprints(app: Flask) -> None:
    from placement.web import (
        admin,
        admin_users,
        audit_log,
        auth,
        certificates,
        counsellor,
        employer,
        employer_proposals,
        health,
        main,
        matches,
        notifications,
        occupations,
        outreach,
        participant,
        password,
        placement_stats,
        placements,
        proposals,
        reauth,
        register,
        training,
        transfer,
        twofactor,
    )

    for module in (health, main, auth, employer, participant, counsellor, admin, training,
                   certificates, matches, proposals, reauth, register, employer_proposals, outreach,
                   transfer, placements, placement_stats, occupations, notifications, password,
                   twofactor, admin_users, audit_log):  # fmt: skip
        app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    from flask import render_template
    from flask_wtf.csrf import CSRFError

    def render_error(error):
        code = getattr(error, "code", 500)
        if code >= 500:
            db.session.rollback()
        return render_template("error.html", code=code, error=error), code

    for code in (400, 401, 403, 404, 405, 429, 500):
        app.errorhandler(code)(render_error)
    app.errorhandler(CSRFError)(render_error)

    @app.teardown_request
    def rollback_unfinished(exc):
        # Nothing half-written stays: a request that did not commit leaves no trace.
        if exc is not None:
            db.session.rollback()


def register_template_helpers(app: Flask) -> None:
    from placement import vocab

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["vocab"] = vocab

    @app.context_processor
    def inject_locale():
        from flask_babel import get_locale

        return {"current_locale": str(get_locale())}


def register_hardening(app: Flask) -> None:
    from placement.web.hardening import register_hardening as register

    register(app)


def register_commands(app: Flask) -> None:
    from placement.commands import register

    register(app)
