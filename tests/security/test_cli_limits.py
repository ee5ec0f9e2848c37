"""Issue 11, finding 1: the command line applies the limits of the forms (placement/limits.py):
`placement create-user` and the records of `placement rank`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from placement.extensions import db

GOOD = "a good long password"


@pytest.mark.parametrize(
    ("email", "name", "message"),
    [
        ("ana@example.org", "Ana" + "x" * 9997, "longer than 120"),
        ("ana@example.org", "Pflege" + "x" * 110, "word longer than 100"),
        ("ana@example.org", "Ana\x00Berater", "control character"),
        ("ana@example.org", "Ana\nBerater", "one line"),
        ("ana@example.org", "   ", "name must not be empty"),
        ("a" * 250 + "@example.org", "Ana", "longer than 254"),
        ("not an address", "Ana", "not a valid address"),
        ("ana\x00@example.org", "Ana", "control character"),
    ],
)
def test_create_user_applies_the_form_limits(app, runner, email, name, message):
    from placement.accounts.models import User

    result = runner.invoke(args=["create-user", "--email", email, "--name", name,
                                 "--role", "counsellor", "--password", GOOD])  # fmt: skip
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def _rank_command():
    from placement.commands import all_commands

    return next(c for c in all_commands() if c.name == "rank")


@pytest.fixture
def rank(tmp_path, monkeypatch):
    from placement.matching import TfidfEncoder

    monkeypatch.setattr(
        "placement.matching.encoders.load_encoder", lambda name=None: TfidfEncoder()
    )

    def run(vacancy: dict, candidate: dict):
        paths = []
        for name, row in (("v.jsonl", vacancy), ("c.jsonl", candidate)):
            path = tmp_path / name
            path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
            paths.append(str(path))
        return CliRunner().invoke(
            _rank_command(), ["--vacancies", paths[0], "--candidates", paths[1], "--no-lexicon"]
        )

    return run


VACANCY = {"id": "v1", "title": "Lagerhelfer", "description": "Lager und Versand",
           "skills": ["Kommissionieren"], "postcode": "30159", "hours_per_week": 38}  # fmt: skip
CANDIDATE = {"id": "c1", "profile": "Lagerarbeit, Kommissionieren", "work_permit": "employment",
             "postcode": "30159"}  # fmt: skip


def test_rank_takes_records_within_the_limits(rank):
    result = rank(VACANCY, CANDIDATE)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[-1])["results"][0]["id"] == "c1"


@pytest.mark.parametrize(
    ("side", "key", "value", "message"),
    [
        ("candidate", "profile", "Pflege" + "x" * 9994, "word longer than 100"),
        ("candidate", "profile", "x " * 5001, "longer than 10000"),
        ("candidate", "profile", "Lager\x00arbeit", "control character"),
        ("vacancy", "skills", ["Stapler" + "y" * 2999], "longer than 120"),
        ("vacancy", "skills", [f"Skill {i}" for i in range(31)], "more than 30 entries"),
        ("vacancy", "title", "T" * 201 , "longer than 200"),
        ("vacancy", "hours_per_week", 2**40, "between 1 and 48"),
        ("candidate", "max_commute_km", 10**6, "between 1 and 300"),
    ],
)  # fmt: skip
def test_rank_refuses_records_beyond_the_limits(rank, side, key, value, message):
    vacancy, candidate = dict(VACANCY), dict(CANDIDATE)
    (vacancy if side == "vacancy" else candidate)[key] = value
    result = rank(vacancy, candidate)
    assert result.exit_code == 1
    assert f"{'v' if side == 'vacancy' else 'c'}.jsonl:1: '{key}' " in result.output
    assert message in result.output
    assert '"query"' not in result.stdout  # nothing ranked
