"""One match explained as HTML: the score parts, the skills, the reasons, the requirements and
the next steps, for an engine result or the snapshot a proposal keeps (a dict).

Written in Python rather than as Jinja macros because a match page explains 25 rows, each with
about fifty labels and figures: here a row takes a fraction of a millisecond, as macros it took
several. The labels are the same msgids the templates used; everything said is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, url_for
from markupsafe import Markup, escape

from placement import vocab
from placement.matching import Matcher
from placement.web import i18n, wording
from placement.web.i18n import lazy_gettext as _l
from placement.web.wording import field_of

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


class _Said:
    """The labels of one catalogue, translated once, and its scores in words (kept)."""

    def __init__(self) -> None:
        self.constraint = {k: str(v) for k, v in CONSTRAINT_LABELS.items()}
        self.status = {k: str(v) for k, v in STATUS_LABELS.items()}
        self.part = {k: str(v) for k, v in wording.PARTS.items()}
        self.other_part, self.other_requirement = _("another part"), _("another requirement")
        self.unknown, self.weight = _("unknown"), _("weight %(w)s")
        self.matched, self.missing = _("Matched skills"), _("Missing skills")
        self.heads = "".join(
            f'<th scope="col">{escape(h)}</th>'
            for h in (_("Requirement"), _("Result"), _("Detail"), _("Next step"))
        )
        self.next_steps = _("Next steps")
        self.groups = {
            "eligible": ("c-met", _("eligible")),
            "near_miss": ("c-near_miss", _("near miss")),
            "ineligible": ("c-failed", _("not eligible")),
        }
        self.interested, self.shortlisted = _("interested"), _("on the shortlist")
        self.proposed, self.sharing = _("Proposed"), _("identity shared")
        self.far_unknown, self.same_place = _("distance unknown"), _("same place")
        self.percents: dict[float, str] = {}

    def percent(self, value) -> str:
        """As wording.percent (whole percent in the reader's locale)."""
        if value is None:
            return wording.percent(value)
        value = round(float(value), 2)  # as wording.percent rounds: about a hundred kept
        found = self.percents.get(value)
        if found is None:
            found = self.percents[value] = wording.percent(value)
        return found

    def part_label(self, name: str) -> str:
        return self.part.get(name, self.other_part)


_said: dict[object, _Said] = {}


def _labels() -> _Said:
    """The labels of the current catalogue (one set per language, made on first use)."""
    catalogue = i18n.translations()
    found = _said.get(catalogue)
    if found is None:
        found = _said[catalogue] = _Said()
    return found


def shares(weights: Mapping, names=None) -> dict[str, float]:
    """Each positive weight as its share of their sum (over `names`: the parts a score has).
    A score is the weighted mean of its parts, so the shares shown add up to 100 %."""
    kept = {n: float(w) for n, w in weights.items() if w and (names is None or n in names)}
    total = sum(kept.values()) or 1.0
    return {n: w / total for n, w in kept.items()}


def weights_list(weights: Mapping) -> Markup:
    """The weights of the score parts in words, as shares: "Meaning 40 %, Skills 25 %, ..."."""
    said = _labels()
    return escape(
        ", ".join(f"{said.part_label(n)} {said.percent(w)}" for n, w in shares(weights).items())
    )


def parts(result, weights: Mapping, said: _Said | None = None) -> Markup:
    """Each part of the score with its weight and a meter. The ESCO signals fused into the
    occupation part are left out when none of them found the shared occupation (no ESCO
    layer, or the occupation came from a lexicon concept): three rows of 0 % say nothing."""
    said = said or _labels()
    rid, out = escape(field_of(result, "id", "")), ['<dl class="parts">']
    values = field_of(result, "parts", {})
    share = shares(weights, values)
    signals = [n for n in Matcher.SIGNAL_PARTS if n in values]
    if not any(values[n] for n in signals):
        values = {n: v for n, v in values.items() if n not in signals}
    for name, value in values.items():
        label = f"part-{rid}-{escape(name)}"
        shown = escape(said.percent(value))
        weight = said.weight % {"w": said.percent(share.get(name, 0))}
        out.append(
            f'<dt id="{label}">{escape(said.part_label(name))} <span class="muted">('
            f'{escape(weight)})</span></dt><dd><meter min="0" max="1" value="{escape(value)}" '
            f'aria-labelledby="{label}">{shown}</meter> {shown}</dd>'
        )
    out.append("</dl>")
    return Markup("\n".join(out))


def skills(result, said: _Said | None = None) -> Markup:
    """The skills matched and missing."""
    said = said or _labels()
    return Markup(
        f"<p><strong>{escape(said.matched)}:</strong> "
        f"{escape(wording.skills(field_of(result, 'matched_skills', [])))}<br>\n"
        f"<strong>{escape(said.missing)}:</strong> "
        f"{escape(wording.skills(field_of(result, 'missing_skills', [])))}</p>"
    )


def reasons(result) -> Markup:
    """Why it matches, a reason a line (nothing when there are none)."""
    said = field_of(result, "reasons", [])
    if not said:
        return Markup("")
    items = "".join(f"<li>{escape(wording.reason(r))}</li>" for r in said)
    return Markup(f'<ul class="reasons">{items}</ul>')


def constraints(result, caption: str, said: _Said | None = None) -> Markup:
    """The requirements as a table: met or not, what was found, the next step."""
    said = said or _labels()
    rows = []
    for c in field_of(result, "constraints", []):
        status = escape(field_of(c, "status", ""))
        rows.append(
            f'<tr class="c-{status}"><th scope="row">'
            f"{escape(said.constraint.get(field_of(c, 'name'), said.other_requirement))}</th>"
            f'<td><span class="badge c-{status}">'
            f"{escape(said.status.get(str(status)) or said.unknown)}</span></td>"
            f"<td>{escape(wording.check_detail(c))}</td>"
            f"<td>{escape(wording.check_step(c) or '—')}</td></tr>"
        )
    return Markup(
        f'<table class="constraints">\n  <caption class="visually-hidden">{escape(caption)}'
        f"</caption>\n  <thead><tr>{said.heads}</tr></thead>\n  <tbody>{''.join(rows)}</tbody>"
        "\n</table>"
    )


def next_steps(result) -> Markup:
    """What would close the gap or must be done, said once per requirement."""
    steps = [
        s
        for c in field_of(result, "constraints", [])
        if field_of(c, "status") != "met" and (s := wording.check_step(c))
    ]
    if not steps:
        return Markup("")
    items = "".join(f"<li>{escape(s)}</li>" for s in steps)
    return Markup(f'<ul class="steps" aria-label="{escape(_labels().next_steps)}">{items}</ul>')


def distance(result) -> Markup:
    """How far: "12 km", "same place" below half a kilometre, or unknown."""
    said, km = _labels(), field_of(result, "distance_km")
    text = said.far_unknown if km is None else said.same_place if km < 0.5 else wording.km(km)
    return Markup("<span>%s</span>") % text


def first_step(result) -> Markup:
    """The first unmet requirement and what would close the gap (a row not eligible)."""
    for c in field_of(result, "constraints", []):
        if not field_of(c, "met"):
            step = wording.check_step(c)
            said = escape(wording.check_detail(c)) + (Markup(" → ") + step if step else "")
            return Markup('<span class="step">%s</span>') % said
    return Markup("")


def badges_line(group: str, interested: bool, shortlisted: bool, proposal, sharing: bool):
    """The badges of a row: its group, interest, shortlist, proposal, identity shared."""
    said = _labels()
    css, label = said.groups.get(group, said.groups["ineligible"])
    out = [Markup('<p class="badges"><span class="badge %s">%s</span>') % (css, label)]
    if interested:
        out.append(Markup('<span class="badge c-flag">%s</span>') % said.interested)
    if shortlisted:
        out.append(Markup('<span class="badge c-flag">%s</span>') % said.shortlisted)
    if proposal:
        href = url_for("proposals.proposal", proposal_id=proposal.id)
        status = vocab.PROPOSAL_STATUSES[proposal.status]
        out.append(
            Markup('<a class="badge c-flag" href="%s">%s: %s</a>') % (href, said.proposed, status)
        )
    if sharing:
        out.append(Markup('<span class="badge c-met">%s</span>') % said.sharing)
    return Markup("\n  ").join(out) + Markup("</p>")


def explanation(result, weights: Mapping, caption: str) -> Markup:
    """The full explanation of one match (the lists show it inside a details element)."""
    said = _labels()
    return Markup("\n").join((
        parts(result, weights, said), skills(result, said), reasons(result),
        constraints(result, caption, said),
    ))  # fmt: skip


def register(app: Flask) -> None:
    """The explaining helpers as template globals."""
    for fn in (weights_list, parts, skills, reasons, constraints, next_steps, explanation,
               distance, first_step, badges_line):  # fmt: skip
        app.jinja_env.globals[fn.__name__] = fn
