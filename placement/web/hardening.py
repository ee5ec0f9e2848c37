"""Request hardening: body size, control characters, proxies, caching of personal pages.

Wired by ``init_app(app)`` in the factory. Each piece answers a finding of the probe
of issue 11: a clear 4xx instead of a 500 or an unbounded read.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import DataError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from placement.extensions import db
from placement.limits import CONTROL  # C0 controls but tab, LF, CR: PostgreSQL refuses NUL


def init_app(app: Flask) -> None:
    hops = int(app.config.get("PLACEMENT_PROXY_HOPS") or 0)
    if hops > 0:
        # Trust X-Forwarded-For/-Proto/-Host/-Prefix from exactly this many proxies, so that
        # rate limits count the client, not the proxy, and are not fooled by a forged header.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,
                                x_prefix=hops)  # fmt: skip

    def refuse(message: str, code: int = 400):
        # An error handler: after a database error the session is unusable until rolled back,
        # and the page loads the signed-in user. The request rolls back at its end anyway.
        db.session.rollback()
        return render_template("error.html", code=code, message=message), code

    @app.before_request
    def refuse_control_characters():
        # In a form field's value it is the form's error, shown at the field (form_base.py);
        # in a query string or a field's name there is no field to show it at.
        pairs = [*request.args.items(multi=True), *((key, "") for key in request.form)]
        for key, value in pairs:
            if CONTROL.search(key) or CONTROL.search(value):
                return refuse(
                    _("The field “%(field)s” contains a control character (such as NUL). "
                      "Remove it and try again.", field=CONTROL.sub("", key)[:60])
                )  # fmt: skip
        return None

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        limit = (app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
        return refuse(_("The upload is too large: at most %(n)d MB.", n=limit), 413)

    @app.errorhandler(DataError)
    def out_of_range(error):
        # The database refused a value (out of the column's range): nothing is written.
        return refuse(_("A value is out of range or not valid here. Nothing was saved."))

    @app.after_request
    def no_store_personal_pages(response):
        # is_anonymous reads no column: after the commit the user is not loaded again
        if current_user and not current_user.is_anonymous and request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
