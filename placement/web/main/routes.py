"""Start page: sends each role to its own start page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

bp = Blueprint("main", __name__)

START_PAGES = {
    "admin": "admin.index",
    "counsellor": "counsellor.index",
    "employer": "employer.index",
    "participant": "participant.index",
}


@bp.get("/")
def index():
    """Signed in: the role's start page. Anonymous: what the service is, and a sign-in link."""
    if current_user.is_authenticated:
        return redirect(url_for(START_PAGES[current_user.role]))
    return render_template("main/index.html")
