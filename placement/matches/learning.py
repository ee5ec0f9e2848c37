"""Learning the weights of the score parts from the outcomes of proposals.

Each proposal keeps the match as the counsellor saw it (``match_snapshot``). Its score parts
(semantic, concept, skills, phase) are the only features: no attribute of the person enters.
The label is the outcome: invited, internship or hired = 1; declined for a reason that says
something about the fit = 0. A logistic regression on the parts gives one coefficient per
part; clipped at zero and normalised to sum 1 they become the engine's weights.

The learned weights are used only when their cross-validated AUC beats the untrained
DEFAULT_WEIGHTS on the same data, with at least MIN_OUTCOMES outcomes. They are kept in a small
JSON file in the instance folder, with the figures that justified them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from placement.matching import Matcher

# The weighted parts (the engine's occupation_* signal parts are shown only, weight 0).
PARTS: tuple[str, ...] = tuple(k for k, w in Matcher.DEFAULT_WEIGHTS.items() if w > 0)
POSITIVE = {"invited", "internship", "hired"}
NEGATIVE = {"declined"}
# Declines that say nothing about how well the person fits the job do not teach the engine.
UNINFORMATIVE_REASONS = {"position_filled", "candidate_declined"}
MIN_OUTCOMES = 20
MIN_GAIN = 0.01  # learned weights must beat the defaults by at least this much AUC
WEIGHTS_FILE = "match_weights.json"


class LearningError(ValueError):
    """Not enough or not usable data to learn from; the message is user-facing."""


@dataclass
class TrainingReport:
    """What a training run found, and whether its weights were good enough to use."""

    n_outcomes: int
    n_positive: int
    n_negative: int
    weights: dict[str, float] | None = None
    auc_trained: float | None = None
    auc_default: float | None = None
    better: bool = False
    message: str = ""
    trained_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


def label(status: str, reason: str | None) -> int | None:
    """1 for a positive outcome, 0 for an informative decline, None when there is no outcome."""
    if status in POSITIVE:
        return 1
    if status in NEGATIVE and reason not in UNINFORMATIVE_REASONS:
        return 0
    return None


def training_set(proposals: Iterable) -> tuple[np.ndarray, np.ndarray]:
    """Features (the snapshot's score parts, in PARTS order) and labels of proposals with an
    outcome. Proposals without a snapshot or without all parts are skipped."""
    rows, labels = [], []
    for proposal in proposals:
        y = label(proposal.status, proposal.decline_reason)
        parts = (proposal.match_snapshot or {}).get("parts") or {}
        if y is None or not all(isinstance(parts.get(p), int | float) for p in PARTS):
            continue
        rows.append([float(parts[p]) for p in PARTS])
        labels.append(y)
    return np.asarray(rows, dtype=float).reshape(-1, len(PARTS)), np.asarray(labels, dtype=int)


def fit_weights(X: np.ndarray, y: np.ndarray) -> dict[str, float] | None:
    """Non-negative weights summing to 1 from a logistic regression, or None when every
    coefficient is zero or negative (the parts do not predict the outcome)."""
    from sklearn.linear_model import LogisticRegression  # only where weights are trained

    model = LogisticRegression(C=1.0, max_iter=1000).fit(X, y)
    coef = np.clip(model.coef_[0], 0.0, None)
    if coef.sum() <= 0:
        return None
    coef = coef / coef.sum()
    return {part: round(float(w), 4) for part, w in zip(PARTS, coef, strict=True)}


def score(X: np.ndarray, weights: Mapping[str, float]) -> np.ndarray:
    """The engine's score: the weighted mean of the parts."""
    w = np.asarray([weights.get(p, 0.0) for p in PARTS], dtype=float)
    return X @ (w / (w.sum() or 1.0))


def cross_validated_auc(
    X: np.ndarray, y: np.ndarray, folds: int = 5, seed: int = 0
) -> tuple[float, float]:
    """Mean AUC over stratified folds: weights fitted on the other folds vs DEFAULT_WEIGHTS,
    both scored on the same held-out fold."""
    n_splits = min(folds, int(np.bincount(y, minlength=2).min()))
    if n_splits < 2:
        raise LearningError("Each outcome (positive and negative) must occur at least twice.")
    trained, default = [], []
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    for train, test in StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(X, y):
        weights = fit_weights(X[train], y[train]) or dict(Matcher.DEFAULT_WEIGHTS)
        trained.append(roc_auc_score(y[test], score(X[test], weights)))
        default.append(roc_auc_score(y[test], score(X[test], Matcher.DEFAULT_WEIGHTS)))
    return float(np.mean(trained)), float(np.mean(default))


def train(
    proposals: Iterable, min_outcomes: int = MIN_OUTCOMES, min_gain: float = MIN_GAIN
) -> TrainingReport:
    """Fit and evaluate weights on the proposals' outcomes; ``better`` says whether to use them."""
    X, y = training_set(proposals)
    n_pos = int(y.sum())
    report = TrainingReport(n_outcomes=len(y), n_positive=n_pos, n_negative=len(y) - n_pos)
    if len(y) < min_outcomes:
        report.message = f"Only {len(y)} outcomes; at least {min_outcomes} are needed."
        return report
    try:
        report.auc_trained, report.auc_default = cross_validated_auc(X, y)
    except LearningError as error:
        report.message = str(error)
        return report
    report.weights = fit_weights(X, y)
    if report.weights is None:
        report.message = "No score part predicts the outcomes; the default weights stay."
        return report
    report.better = report.auc_trained >= report.auc_default + min_gain
    report.message = (
        "The learned weights are better than the defaults."
        if report.better
        else "The learned weights are not better than the defaults; they are not used."
    )
    return report


def weights_path(instance_path: str, configured: str | None = None) -> Path:
    return Path(configured) if configured else Path(instance_path) / WEIGHTS_FILE


def save_weights(path: Path, report: TrainingReport) -> None:
    """Store weights with the figures behind them (written whole, then renamed)."""
    if not report.better or report.weights is None:
        raise LearningError("Only weights that beat the defaults are stored.")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
    os.replace(tmp, path)


def load_weights(path: Path) -> dict | None:
    """The stored training record ({"weights": {...}, "auc_trained": ..., ...}) or None when
    there is none or it is unusable (then the engine's defaults apply)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    weights = data.get("weights") if isinstance(data, dict) else None
    if not isinstance(weights, dict) or set(weights) != set(PARTS):
        return None
    if not all(isinstance(w, int | float) and w >= 0 for w in weights.values()):
        return None
    if sum(weights.values()) <= 0:
        return None
    return data
