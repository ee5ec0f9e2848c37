"""`rank` CLI: output format, direction, malformed input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from placement.matching import cli

VACANCIES = [
    {
        "id": "v-el",
        "title": "Elektroniker/in",
        "description": "Elektroinstallation",
        "skills": ["Elektroinstallation"],
        "german_level": "B1",
        "postcode": "30159",
        "radius_km": 40,
        "hours_per_week": 30,
    },
    {
        "id": "v-care",
        "title": "Pflegehelfer/in",
        "description": "Grundpflege im Altenheim",
        "postcode": "30159",
    },
]
CANDIDATES = [
    {
        "id": "c-el",
        "profile": "Електрик, 7 років електромонтажу.",
        "german_level": "B1",
        "work_permit": True,
        "postcode": "30167",
        "hours_per_week": 40,
        "language": "uk",
        "nationality": "UA",
    },
    {
        "id": "c-a1",
        "profile": "Elektriker",
        "german_level": "A1",
        "work_permit": True,
        "postcode": "30167",
    },
    {
        "id": "c-care",
        "profile": "Hemşire yardımcısı, hasta bakıcı",
        "work_permit": True,
        "postcode": "30167",
        "language": "tr",
    },
]


@pytest.fixture
def files(tmp_path, fake_encoder, test_lexicon, postcodes, monkeypatch):
    monkeypatch.setattr("placement.matching.encoders.load_encoder", lambda name=None: fake_encoder)
    monkeypatch.setattr("placement.matching.engine.load_lexicon", lambda: test_lexicon)

    def write(name, rows, extra=""):
        path = tmp_path / name
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n" + extra)
        return str(path)

    return write


def run(*args):
    return CliRunner().invoke(cli.rank_command, list(args))


def test_rank_by_vacancy(files):
    v, c = files("v.jsonl", VACANCIES), files("c.jsonl", CANDIDATES)
    result = run("--vacancies", v, "--candidates", c, "--direction", "vacancy", "--top", "2")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["v-el", "v-care"]
    first = lines[0]["results"]
    assert len(first) == 2
    assert set(first[0]) == {"id", "score", "eligible", "reasons"}
    assert first[0]["id"] == "c-el"
    assert first[0]["eligible"] is True
    assert isinstance(first[0]["score"], float)
    assert isinstance(first[0]["reasons"], list)


def test_rank_by_candidate_puts_eligible_first(files):
    v, c = files("v.jsonl", VACANCIES), files("c.jsonl", CANDIDATES)
    result = run("--vacancies", v, "--candidates", c, "--direction", "candidate", "--top", "5")
    assert result.exit_code == 0
    lines = {json.loads(x)["query"]: json.loads(x)["results"] for x in result.stdout.splitlines()}
    assert list(lines) == ["c-el", "c-a1", "c-care"]
    a1 = lines["c-a1"]
    assert [r["eligible"] for r in a1] == sorted((r["eligible"] for r in a1), reverse=True)
    blocked = next(r for r in a1 if r["id"] == "v-el")
    assert not blocked["eligible"]
    assert any("German A1" in x for x in blocked["reasons"])


@pytest.mark.parametrize(
    ("extra", "line", "reason"),
    [
        ('{"id": "v9", "title": "Koch"\n', 3, "invalid JSON"),
        ('{"id": "v9", "title": "Koch", "german_level": "Z9"}\n', 3, "german_level"),
        ('{"title": "Koch"}\n', 3, "missing required field 'id'"),
    ],
)
def test_malformed_line_reports_line_and_writes_nothing(files, extra, line, reason):
    v = files("v.jsonl", VACANCIES, extra)
    c = files("c.jsonl", CANDIDATES)
    result = run("--vacancies", v, "--candidates", c, "--direction", "vacancy", "--top", "3")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"v.jsonl:{line}: " in result.stderr
    assert reason in result.stderr


def test_malformed_candidate_line(files):
    v = files("v.jsonl", VACANCIES)
    c = files("c.jsonl", [*CANDIDATES, {"id": "x", "phase": 9}])
    result = run("--vacancies", v, "--candidates", c, "--top", "3")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "c.jsonl:4: 'phase' must be 4 or 5" in result.stderr


def test_non_utf8_file_is_reported_by_line_without_traceback(files, tmp_path):
    v = files("v.jsonl", VACANCIES)
    c = tmp_path / "c.jsonl"
    good = json.dumps(CANDIDATES[0], ensure_ascii=False).encode()
    c.write_bytes(good + b"\n" + '{"id": "x", "profile": "Müller"}'.encode("latin-1") + b"\n")
    result = run("--vacancies", v, "--candidates", str(c), "--top", "3")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "c.jsonl:2: not UTF-8 text" in result.stderr
    assert "Traceback" not in result.output


def test_a_cache_keeps_vectors_and_derived_records_for_the_next_run(files, tmp_path):
    v, c = files("v.jsonl", VACANCIES), files("c.jsonl", CANDIDATES)
    args = ("--vacancies", v, "--candidates", c, "--top", "3", "--cache", str(tmp_path / "x.npz"))
    first = run(*args)
    assert first.exit_code == 0, first.output
    from placement.matching.cache import JsonFeatureStore

    kept = JsonFeatureStore(tmp_path / "x.features.json.gz").items
    assert len(kept) == len(VACANCIES) + len(CANDIDATES)
    again = run(*args)
    assert again.stdout == first.stdout
