"""Admin area: users and organisations of the network."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from placement.accounts import services
from placement.web.fields import SearchForm
from placement.web.guards import role_required
from placement.web.pages import paginate

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@role_required("admin")
def index():
    """Users with search and role filter, and a link to the organisations."""
    search = SearchForm(request.args)
    role = request.args.get("role") or None
    page = paginate(services.users_query(search.q.data, role))
    return render_template("admin/index.html", page=page, search=search, role=role)
