"""One match explained as HTML: the score parts, the skills, the reasons, the requirements and
the next steps, for an engine result or the snapshot a proposal keeps (a dict).

Written in Python rather than as Jinja macros because a match page explains 25 rows, each with
about fifty labels and figures: here a row takes a fraction of a millisecond, as macros it took
several. The labels are the same msgids the templates used; everything said is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from placement.web import i18n, wording

_ = i18n.gettext

CONSTRAINT_LABELS = {
    "work_permit": _l("Permission to work"),
    "german_level": _l("German"),
    "recognition": _l("Recognition (Anerkennung)"),
    "commute": _l("Commute"),
    "hours": _l("Hours"),
    "permit_expiry": _l("Residence document"),
}
STATUS_LABELS = {
    "met": _l("met"),
    "failed": _l("not met"),
    "near_miss": _l("near miss"),
    "flag": _l("met, action needed"),
    "unknown": _l("unknown"),
}


def _get(item, key: str, default=None):
    value = item.get(key, default) if isinstance(item, Mapping) else getattr(item, key, default)
    return default if value is None else value


def weights_list(weights: Mapping) -> Markup:
    """The weights of the score parts in words: "Meaning 40 %, Skills 25 %, ..."."""
    said = [f"{wording.part_label(n)} {wording.percent(w)}" for n, w in weights.items() if w]
    return escape(", ".join(said))


def parts(result, weights: Mapping) -> Markup:
    """Each part of the score with its weight and a meter."""
    rid, out = escape(_get(result, "id", "")), ['<dl class="parts">']
    for name, value in _get(result, "parts", {}).items():
        label = f"part-{rid}-{escape(name)}"
        shown = escape(wording.percent(value))
        out.append(
            f'<dt id="{label}">{escape(wording.part_label(name))} <span class="muted">('
            f"{escape(_('weight %(w)s') % {'w': wording.percent(weights.get(name, 0))})})</span>"
            f'</dt><dd><meter min="0" max="1" value="{escape(value)}" aria-labelledby="{label}">'
            f"{shown}</meter> {shown}</dd>"
        )
    out.append("</dl>")
    return Markup("\n".join(out))


def skills(result) -> Markup:
    """The skills matched and missing."""
    return Markup(
        f"<p><strong>{escape(_('Matched skills'))}:</strong> "
        f"{escape(wording.skills(_get(result, 'matched_skills', [])))}<br>\n"
        f"<strong>{escape(_('Missing skills'))}:</strong> "
        f"{escape(wording.skills(_get(result, 'missing_skills', [])))}</p>"
    )


def reasons(result) -> Markup:
    """Why it matches, a reason a line (nothing when there are none)."""
    said = _get(result, "reasons", [])
    if not said:
        return Markup("")
    items = "".join(f"<li>{escape(wording.reason(r))}</li>" for r in said)
    return Markup(f'<ul class="reasons">{items}</ul>')


def constraints(result, caption: str) -> Markup:
    """The requirements as a table: met or not, what was found, the next step."""
    rows = []
    for c in _get(result, "constraints", []):
        status = _get(c, "status", "")
        label = CONSTRAINT_LABELS.get(_get(c, "name"))
        rows.append(
            f'<tr class="c-{escape(status)}"><th scope="row">'
            f"{escape(label if label is not None else _('another requirement'))}</th>"
            f'<td><span class="badge c-{escape(status)}">'
            f"{escape(STATUS_LABELS.get(status) or _('unknown'))}</span></td>"
            f"<td>{escape(wording.check_detail(c))}</td>"
            f"<td>{escape(wording.check_step(c) or '—')}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{escape(h)}</th>'
        for h in (_("Requirement"), _("Result"), _("Detail"), _("Next step"))
    )
    return Markup(
        f'<table class="constraints">\n  <caption class="visually-hidden">{escape(caption)}'
        f"</caption>\n  <thead><tr>{head}</tr></thead>\n  <tbody>{''.join(rows)}</tbody>\n</table>"
    )


def next_steps(result) -> Markup:
    """What would close the gap or must be done, said once per requirement."""
    steps = [
        s
        for c in _get(result, "constraints", [])
        if _get(c, "status") != "met" and (s := wording.check_step(c))
    ]
    if not steps:
        return Markup("")
    items = "".join(f"<li>{escape(s)}</li>" for s in steps)
    return Markup(f'<ul class="steps" aria-label="{escape(_("Next steps"))}">{items}</ul>')


def explanation(result, weights: Mapping, caption: str) -> Markup:
    """The full explanation of one match (the lists show it inside a details element)."""
    return Markup("\n").join(
        (parts(result, weights), skills(result), reasons(result), constraints(result, caption))
    )


def register(app: Flask) -> None:
    """The explaining helpers as template globals."""
    for fn in (weights_list, parts, skills, reasons, constraints, next_steps, explanation):
        app.jinja_env.globals[fn.__name__] = fn
