"""Retention statistics of placements for programme reporting: page, SVG charts, CSV export.

The page opens with headline figures, can be narrowed to a period, counsellor, employer and
occupation (the charts follow the same filters), and says under each chart what it shows.
Groups of fewer than five people are never shown (statistics.MIN_GROUP).
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from placement.access import STAFF
from placement.audit.services import record
from placement.exchange.formats import csv_safe
from placement.extensions import db
from placement.placements import statistics
from placement.placements.charts import drawable, retention_svg
from placement.placements.models import Placement
from placement.placements.services import all_placements, today
from placement.web import wording
from placement.web.auth.reauth import fresh_password_required
from placement.web.guards import role_required
from placement.web.placements.forms import FilterForm

bp = Blueprint("placement_stats", __name__, url_prefix="/counsellor/statistics")
DIMENSION_LABELS = {
    "network": _l("Network"),
    "employer": _l("Employer"),
    "occupation": _l("Occupation"),
    "phase": _l("Phase at placement"),
}
OTHER = _l("Smaller groups combined")


def _form() -> tuple[FilterForm, list[Placement]]:
    placements = db.session.scalars(all_placements()).all()
    form = FilterForm(request.args)
    form.fill(placements)
    if not form.validate():
        for name in ("counsellor", "employer", "occupation"):  # a stale link: that filter off
            if form[name].errors:
                form[name].data = ""
    return form, placements


def _observations(form: FilterForm, placements: list[Placement]) -> list[statistics.Observation]:
    on, filters = today(), form.filters()
    chosen = [p for p in placements if filters.admit(p)]
    return [o for o in (statistics.observe(p, on) for p in chosen) if o is not None]


def _report(form: FilterForm | None = None, placements: list[Placement] | None = None):
    if form is None:
        form, placements = _form()
    observations = _observations(form, placements)
    return observations, statistics.report(observations, current_app.config["PLACEMENT_NETWORK"])


def _at_risk_for(observations, rows, dimension):
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

    return at_risk_for


def _caption(dimension: str, dim_rows, drawn: list[str], observations) -> list[str]:
    """What a chart shows, in sentences, and which groups it leaves out and why."""
    sentences = [_("Each line is one group: the share of its people still employed (up) against "
                   "the days since the start of the job (across); dotted lines mark 3, 6 and 12 "
                   "months. A line ends where fewer than %(n)d people are still observed.",
                   n=statistics.MIN_GROUP)]  # fmt: skip
    hidden = [r for r in dim_rows if r.suppressed]
    flat = [_group_label(r) for r in dim_rows if not r.suppressed and _group_label(r) not in drawn]
    if dimension != "network" and any(not r.group for r in dim_rows):
        sentences.append(_("Groups of fewer than %(n)d people are combined into “%(other)s”.",
                           n=statistics.MIN_GROUP, other=OTHER))  # fmt: skip
    if hidden:
        sentences.append(_("Not drawn: %(groups)s, fewer than %(n)d people.",
                           groups=", ".join(_group_label(r) for r in hidden),
                           n=statistics.MIN_GROUP))  # fmt: skip
    if flat:
        sentences.append(_("Not drawn: %(groups)s, not yet observed long enough.",
                           groups=", ".join(flat)))  # fmt: skip
    return sentences


def _drawn(observations, rows, dimension) -> list[tuple[str, object, object]]:
    at_risk_for = _at_risk_for(observations, rows, dimension)
    shown = [(_group_label(row), row, at_risk_for(row)) for row in rows[dimension]
             if not row.suppressed]  # fmt: skip
    return [(label, row, at_risk) for label, row, at_risk in shown if drawable(row, at_risk)]


def _group_label(row) -> str:
    if not row.group:
        return str(OTHER)
    if row.dimension == "phase":
        return _("Phase %(n)s", n=row.group)
    return row.group


@bp.get("/")
@role_required(*STAFF)
def index():
    """Headline figures, then retention at 3, 6 and 12 months (Kaplan-Meier) by network,
    employer, occupation and phase, for the placements the filters choose."""
    form, placements = _form()
    observations, rows = _report(form, placements)
    drawn = {d: [label for label, _row, _r in _drawn(observations, rows, d)] for d in rows}
    captions = {d: _caption(d, rows[d], drawn[d], observations) for d in rows}
    query = {k: v for k, v in request.args.items() if v}
    return render_template("placements/statistics.html", rows=rows, labels=DIMENSION_LABELS,
                           group_label=_group_label, min_group=statistics.MIN_GROUP,
                           horizons=list(statistics.HORIZONS), form=form,
                           headline=statistics.headline(observations), drawn=drawn,
                           captions=captions, query=query,
                           filtered=any(query.values()))  # fmt: skip


@bp.get("/<dimension>.svg")
@role_required(*STAFF)
def chart(dimension: str):
    """The retention curves of one dimension's shown groups as an SVG image."""
    if dimension not in DIMENSION_LABELS:
        abort(404)
    observations, rows = _report()
    svg = retention_svg(
        _drawn(observations, rows, dimension),
        title=_("Still employed, by %(d)s", d=DIMENSION_LABELS[dimension]),
        xlabel=_("Days since the start (dotted: 3, 6 and 12 months)"),
        ylabel=_("Share still employed (Kaplan-Meier)"),
        percent=wording.percent,
    )
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/retention.csv")
@role_required(*STAFF)
@fresh_password_required
def export():
    """CSV for programme reporting; suppressed cells are empty with the reason."""
    _observations_, rows = _report()  # with the filters of the page it was chosen on
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
