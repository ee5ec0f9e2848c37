"""Retention curves as SVG, drawn on the server with matplotlib (no script in the page)."""

from __future__ import annotations

import io

from placement.placements.statistics import MIN_GROUP, GroupRow

MAX_DAYS = 365


def _steps(row: GroupRow, pairs_at_risk) -> tuple[list[int], list[float]]:
    """Step coordinates of a curve, cut where fewer than MIN_GROUP remain under observation."""
    xs, ys, value = [0], [1.0], 1.0
    for t, _n, _d, s in row.curve:
        if t > MAX_DAYS or pairs_at_risk(t) < MIN_GROUP:
            break
        xs += [t, t]
        ys += [value, s]
        value = s
    last = min(MAX_DAYS, max((t for t in range(0, MAX_DAYS + 1, 7) if pairs_at_risk(t) >=
                                MIN_GROUP), default=0))  # fmt: skip
    if last > xs[-1]:
        xs.append(last)
        ys.append(value)
    return xs, ys


def drawable(row: GroupRow, pairs_at_risk) -> bool:
    """A curve worth drawing: shown, and observed beyond its first day (else it is a flat dot
    at 100 %, which a reader takes for a result)."""
    return not row.suppressed and _steps(row, pairs_at_risk)[0][-1] > 0


def retention_svg(rows: list[tuple[str, GroupRow, object]], title: str, xlabel: str,
                  ylabel: str, percent=None) -> bytes:  # fmt: skip
    """An SVG of the Kaplan-Meier curves of the shown (not suppressed) rows.

    ``rows``: (label, row, function day -> number still under observation) per curve;
    ``percent``: share -> text in the reader's language ("80 %"), for the vertical axis.
    """
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "placement"  # stable ids: same data, same file
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text (screen readers, search)
    # Labels are organisation names, not formulas: "$...$" must not go to mathtext (it fails).
    matplotlib.rcParams["text.parse_math"] = False
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4.5))
    axes = figure.subplots()
    curves = 0
    for label, row, at_risk in rows:
        if not drawable(row, at_risk):
            continue
        xs, ys = _steps(row, at_risk)
        axes.plot(xs, ys, label=label)
        curves += 1
    for months, day in ((3, 91), (6, 183), (12, 365)):
        axes.axvline(day, color="#999999", linewidth=0.6, linestyle=":")
        axes.text(day, 0.02, f"{months}", ha="center", fontsize=8, color="#555555")
    axes.set_xlim(0, MAX_DAYS + 5)
    axes.set_ylim(0, 1.05)
    if percent is not None:
        from matplotlib.ticker import FuncFormatter

        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: percent(value)))
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    if curves:  # (the dotted month lines are lines too)
        axes.legend(loc="lower left", fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
