"""A page of a list: every list page shows PLACEMENT_PAGE_SIZE records, ?page=N."""

from __future__ import annotations

from flask import current_app

from placement.extensions import db


def paginate(query):
    """The requested page of a select() (404 for a page past the end, as Flask-SQLAlchemy)."""
    return db.paginate(query, per_page=current_app.config["PLACEMENT_PAGE_SIZE"])
