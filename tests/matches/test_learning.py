"""Learning the weights of the score parts from outcomes; used only when better."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from placement.extensions import db
from placement.matches import learning
from placement.matching import Matcher
from placement.participants.models import Participant
from placement.proposals.models import Proposal


def _outcomes(n, rng, driver="skills"):
    """Synthetic proposals: the outcome depends on one part only (the defaults weigh it 0.15)."""
    out = []
    for _ in range(n):
        parts = {p: round(float(rng.uniform()), 3) for p in learning.PARTS}
        hired = parts[driver] + rng.normal(0, 0.15) > 0.5
        status, reason = ("hired", None) if hired else ("declined", "qualification")
        out.append((parts, status, reason))
    return out


def _fake(parts, status, reason=None):
    return SimpleNamespace(status=status, decline_reason=reason, match_snapshot={"parts": parts})


def test_labels():
    assert [learning.label(s, None) for s in ("invited", "internship", "hired")] == [1, 1, 1]
    assert learning.label("declined", "language") == 0
    assert learning.label("declined", "position_filled") is None  # says nothing about the fit
    assert learning.label("proposed", None) is None
    assert learning.label("withdrawn", None) is None


def test_training_set_uses_only_score_parts():
    parts = dict.fromkeys(learning.PARTS, 0.5)
    proposals = [
        _fake({**parts, "nationality": 1.0}, "hired"),
        _fake(parts, "declined", "language"),
        _fake(parts, "proposed"),
        SimpleNamespace(status="hired", decline_reason=None, match_snapshot=None),
    ]
    X, y = learning.training_set(proposals)
    assert X.shape == (2, len(learning.PARTS))
    assert y.tolist() == [1, 0]


def test_learned_weights_beat_defaults_when_one_part_drives_outcomes():
    rng = np.random.default_rng(1)
    report = learning.train([_fake(*o) for o in _outcomes(120, rng)])
    assert report.better
    assert report.auc_trained > report.auc_default + learning.MIN_GAIN
    assert abs(sum(report.weights.values()) - 1) < 1e-3
    assert all(w >= 0 for w in report.weights.values())
    assert max(report.weights, key=report.weights.get) == "skills"


def test_too_few_outcomes_are_not_used():
    rng = np.random.default_rng(2)
    report = learning.train([_fake(*o) for o in _outcomes(19, rng)])
    assert not report.better
    assert report.weights is None
    assert "at least 20" in report.message


def test_not_better_when_defaults_already_rank_well(tmp_path):
    rng = np.random.default_rng(3)
    defaults = np.asarray([Matcher.DEFAULT_WEIGHTS[p] for p in learning.PARTS])
    proposals = []
    for _ in range(80):
        x = rng.uniform(size=len(learning.PARTS))
        hired = float(x @ defaults) > 0.5
        proposals.append(_fake(dict(zip(learning.PARTS, x.tolist(), strict=True)),
                               "hired" if hired else "declined", "other"))  # fmt: skip
    report = learning.train(proposals)
    assert report.auc_default == pytest.approx(1.0)
    assert not report.better
    with pytest.raises(learning.LearningError):
        learning.save_weights(tmp_path / "w.json", report)
    assert not (tmp_path / "w.json").exists()


def test_load_weights_rejects_broken_files(tmp_path):
    path = tmp_path / "w.json"
    assert learning.load_weights(path) is None
    path.write_text("{not json")
    assert learning.load_weights(path) is None
    path.write_text(json.dumps({"weights": {"semantic": 1, "age": 1}}))
    assert learning.load_weights(path) is None
    path.write_text(json.dumps({"weights": {p: -1 for p in learning.PARTS}}))
    assert learning.load_weights(path) is None


def _store_outcomes(app, outcomes, vacancy_id):
    with app.app_context():
        for i, (parts, status, reason) in enumerate(outcomes):
            person = Participant(first_name=f"P{i}", last_name="Test", consent_matching=True)
            db.session.add(person)
            db.session.flush()
            db.session.add(Proposal(vacancy_id=vacancy_id, participant_id=person.id,
                                    status=status, decline_reason=reason,
                                    match_snapshot={"parts": parts}))  # fmt: skip
        db.session.commit()


def test_cli_stores_only_better_weights_and_pages_use_them(
    app, runner, client, login_as, world, engine, weights_file
):
    rng = np.random.default_rng(4)
    _store_outcomes(app, _outcomes(15, rng), world["vacancy"])
    result = runner.invoke(args=["train-weights"])
    assert result.exit_code == 0, result.output
    assert "Outcomes: 15" in result.output
    assert "Nothing stored" in result.output
    assert not weights_file.exists()

    _store_outcomes(app, _outcomes(100, rng), world["vacancy"])
    result = runner.invoke(args=["train-weights", "--dry-run"])
    assert "Dry run" in result.output
    assert not weights_file.exists()
    result = runner.invoke(args=["train-weights"])
    assert result.exit_code == 0, result.output
    assert "Stored in" in result.output
    stored = json.loads(weights_file.read_text())
    assert stored["better"]
    assert stored["n_outcomes"] == 115
    assert stored["auc_trained"] > stored["auc_default"]

    login_as("counsellor")
    html = client.get(f"/counsellor/vacancies/{world['vacancy']}/matches").get_data(True)
    assert "Learned from 115 outcomes" in html
    assert "Default weights" not in html
    assert engine.weights[-1] == stored["weights"]


def test_cli_keeps_defaults_when_not_better(app, runner, client, login_as, world, engine,
                                            weights_file):  # fmt: skip
    rng = np.random.default_rng(5)
    noise = [
        (
            dict(zip(learning.PARTS, rng.uniform(size=len(learning.PARTS)).tolist(), strict=True)),
            "hired" if rng.uniform() > 0.5 else "declined",
            "other",
        )
        for _ in range(40)
    ]
    _store_outcomes(app, noise, world["vacancy"])
    result = runner.invoke(args=["train-weights", "--min-gain", "0.5"])
    assert result.exit_code == 0
    assert "not better" in result.output
    assert not weights_file.exists()
    login_as("counsellor")
    html = client.get(f"/counsellor/vacancies/{world['vacancy']}/matches").get_data(True)
    assert "Default weights" in html
    assert engine.weights[-1] is None
