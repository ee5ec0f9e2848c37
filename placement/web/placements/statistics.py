"""Retention statistics of placements for programme reporting: page, SVG charts, CSV export.

Groups of fewer than five people are never shown (statistics.MIN_GROUP).
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from placement.access import STAFF
from placement.audit.services import record
from placement.exchange.formats import csv_safe
from placement.extensions import db
from placement.placements import statistics
from placement.placements.charts import retention_svg
from placement.placements.services import all_placements, today
from placement.web import wording
from placement.web.auth.reauth import fresh_password_required
from placement.web.guards import role_required

bp = Blueprint("placement_stats", __name__, url_prefix="/counsellor/statistics")
DIMENSION_LABELS = {
    "network": _l("Network"),
    "employer": _l("Employer"),
    "occupation": _l("Occupation"),
    "phase": _l("Phase at placement"),
}
OTHER = _l("Smaller groups combined")


def _observations() -> list[statistics.Observation]:
    on = today()
    placements = db.session.scalars(all_placements()).all()
    return [o for o in (statistics.observe(p, on) for p in placements) if o is not None]


def _report():
    observations = _observations()
    return observations, statistics.report(observations, current_app.config["PLACEMENT_NETWORK"])


def _group_label(row) -> str:
    if not row.group:
        return str(OTHER)
    if row.dimension == "phase":
        return _("Phase %(n)s", n=row.group)
    return row.group


@bp.get("/")
@role_required(*STAFF)
def index():
    """Retention at 3, 6 and 12 months (Kaplan-Meier) by network, employer, occupation, phase."""
    _observations_, rows = _report()
    return render_template("placements/statistics.html", rows=rows, labels=DIMENSION_LABELS,
                           group_label=_group_label, min_group=statistics.MIN_GROUP,
                           horizons=list(statistics.HORIZONS))  # fmt: skip


@bp.get("/<dimension>.svg")
@role_required(*STAFF)
def chart(dimension: str):
    """The retention curves of one dimension's shown groups as an SVG image."""
    if dimension not in DIMENSION_LABELS:
        abort(404)
    observations, rows = _report()

    def at_risk_for(row):
        if row.dimension == "network":
            members = observations
        elif row.group:
            members = [o for o in observations if o.groups[row.dimension] == row.group]
        else:
            shown = {r.group for r in rows[dimension] if r.group}
            members = [o for o in observations if o.groups[row.dimension] not in shown]
        pairs = [(o.days, o.event) for o in members]
        return lambda day: statistics.at_risk_at(pairs, day)

    shown = [(_group_label(row), row, at_risk_for(row))
             for row in rows[dimension] if not row.suppressed]  # fmt: skip
    svg = retention_svg(
        shown,
        title=_("Still employed, by %(d)s", d=DIMENSION_LABELS[dimension]),
        xlabel=_("Days since the start (dotted: 3, 6 and 12 months)"),
        ylabel=_("Share still employed (Kaplan-Meier)"),
        share=wording.percent,
    )
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/retention.csv")
@role_required(*STAFF)
@fresh_password_required
def export():
    """CSV for programme reporting; suppressed cells are empty with the reason."""
    _observations_, rows = _report()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["network", "dimension", "group", "people", "placements", "months",
                     "at_risk", "retention", "note"])  # fmt: skip
    network = csv_safe(current_app.config["PLACEMENT_NETWORK"])
    for dimension, dim_rows in rows.items():
        for row in dim_rows:
            group = csv_safe(row.group or "other (smaller groups combined)")
            if row.suppressed:
                note = f"suppressed: fewer than {statistics.MIN_GROUP} people"
                writer.writerow([network, dimension, group, "", "", "", "", "", note])
                continue
            for months, (n, value) in row.cells.items():
                note = (
                    ""
                    if value is not None
                    else (f"suppressed: fewer than {statistics.MIN_GROUP} still under observation")
                )
                writer.writerow([network, dimension, group, row.people, row.placements, months,
                                 n if value is not None else "",
                                 "" if value is None else f"{value:.3f}", note])  # fmt: skip
    record(current_user, "statistics.export", "placement", None)
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=retention.csv"},
    )
