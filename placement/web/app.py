"""The application factory: a readable list of what gets wired (docs/architecture.md).

``create_app`` binds the extensions and the request hooks, registers the blueprints (one
package per area under ``web/``), the error handlers and the CLI commands. Nothing else
happens here: no migrations, network, model loading or schedulers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context, session
from flask_login import current_user

from placement.config import load_config
from placement.extensions import babel, csrf, db, limiter, login_manager, migrate, talisman

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
    register_request_hooks(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def select_locale() -> str:
    if not has_request_context():  # e.g. a lazily translated message read in a command
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]  # German unless the person chose otherwise


def register_extensions(app: Flask) -> None:
    import placement.models  # noqa: F401  (all tables known to Alembic)
    from placement.accounts.services import load_user
    from placement.matches import preparation
    from placement.matches import services as match_services
    from placement.training.modules import load_modules

    db.init_app(app)
    preparation.init_app(app)  # saved records are prepared for matching off the request
    match_services.judgements.budget = app.config["PLACEMENT_JUDGEMENTS_MB"] * 2**20
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="../translations"
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    # Training modules are a few small files, parsed once per process: a broken one stops
    # start-up rather than a request.
    app.extensions["modules"] = load_modules(app.config.get("PLACEMENT_MODULES_DIR"))
    if app.config.get("PLACEMENT_REDIS_URL"):  # limits shared by every worker process
        app.config["RATELIMIT_STORAGE_URI"] = app.config["PLACEMENT_REDIS_URL"]
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["PLACEMENT_FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=CSP,
        frame_options="DENY",
        strict_transport_security=True,
        referrer_policy="same-origin",
    )


def register_request_hooks(app: Flask) -> None:
    """Per-request wiring, in this order: request log, input hardening, template helpers, and
    last the one commit per request (its hook runs first after a response)."""
    from placement.web import hardening, helpers, request_log, transaction

    for init in (request_log.init_app, hardening.init_app, helpers.register, transaction.init_app):
        init(app)


def blueprints() -> list:
    """Every blueprint, area by area (``web/<area>/``)."""
    from placement.web import health, participant
    from placement.web.admin import audit, users
    from placement.web.admin import routes as admin
    from placement.web.auth import password, reauth, register, twofactor
    from placement.web.auth import routes as auth
    from placement.web.counsellor import routes as counsellor
    from placement.web.counsellor import still_interested
    from placement.web.employer import candidate_fit, review
    from placement.web.employer import proposals as employer_proposals
    from placement.web.employer import routes as employer
    from placement.web.exchange import routes as exchange
    from placement.web.main import routes as main
    from placement.web.matches import occupations
    from placement.web.matches import routes as matches
    from placement.web.notifications import routes as notifications
    from placement.web.organisations import routes as organisations
    from placement.web.placements import routes as placements
    from placement.web.placements import statistics
    from placement.web.proposals import interviews
    from placement.web.proposals import routes as proposals
    from placement.web.training import certificates
    from placement.web.training import routes as training

    return [health.bp, main.bp, auth.bp, reauth.bp, register.bp, admin.bp, employer.bp,
            employer_proposals.bp, participant.bp, counsellor.bp, organisations.bp, matches.bp,
            occupations.bp, proposals.bp, placements.bp, statistics.bp, training.bp,
            certificates.bp, exchange.bp, review.bp, candidate_fit.bp, interviews.bp,
            still_interested.bp, notifications.bp, password.bp, twofactor.bp, users.bp,
            audit.bp]  # fmt: skip


def register_blueprints(app: Flask) -> None:
    for bp in blueprints():
        app.register_blueprint(bp)


def register_errorhandlers(app: Flask) -> None:
    from flask import render_template
    from flask_wtf.csrf import CSRFError

    def render_error(error):
        code = getattr(error, "code", 500)
        if code >= 500:  # the session may be unusable after a database error: reset it first
            db.session.rollback()
        return render_template("error.html", code=code, error=error), code

    for code in (400, 401, 403, 404, 405, 429, 500):
        app.errorhandler(code)(render_error)
    app.errorhandler(CSRFError)(render_error)


def register_commands(app: Flask) -> None:
    from placement.commands import register

    register(app)
