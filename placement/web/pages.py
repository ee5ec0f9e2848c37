"""A page of a list: every list page shows PLACEMENT_PAGE_SIZE records, ?page=N."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from placement.extensions import db


def paginate(query):
    """The requested page of a select() (404 for a page past the end, as Flask-SQLAlchemy)."""
    return db.paginate(query, per_page=current_app.config["PLACEMENT_PAGE_SIZE"])


def mine_or_all():
    """The scope of a staff list: ``?all=1`` shows everyone's records, else the signed-in
    user's. Returns (show_all, the user to filter by, None for all)."""
    show_all = request.args.get("all") == "1"
    return show_all, None if show_all else current_user
