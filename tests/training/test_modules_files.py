"""Module files: the shipped modules validate; each broken rule names the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from placement import create_app
from placement.training.modules import DEFAULT_DIR, ModuleError, load_modules, render_page
from tests.training.module_factory import MODULE_YAML, question, quiz_yaml, write_module


def problems(root: Path) -> list:
    with pytest.raises(ModuleError) as info:
        load_modules(root)
    return info.value.problems


def test_shipped_modules_validate():
    modules = load_modules(DEFAULT_DIR)
    assert len(modules) >= 5
    core = {slug for slug, module in modules.items() if module.core}
    assert {"anerkennung", "aufenthaltsrecht", "agg_recruiting"} <= core
    for module in modules.values():
        assert module.pages
        assert module.questions
        assert all(render_page(page, "en") for page in module.pages)


def test_valid_module_loads(tmp_path):
    write_module(tmp_path)
    module = load_modules(tmp_path)["demo"]
    assert module.max_points == 7
    assert [p.title["en"] for p in module.pages] == ["01-start.md en", "02-mehr.md en"]
    assert module.questions[0].correct_ids == {"a", "b"}


def test_broken_yaml_names_file_and_line(tmp_path):
    broken = MODULE_YAML.replace('  en: "Short"\n', '  en: "Short\n  oops: [\n')
    folder = write_module(tmp_path, module=broken)
    [problem] = problems(tmp_path)
    assert problem.path == folder / "module.yaml"
    assert problem.line is not None
    assert problem.line >= 10
    assert f"module.yaml, line {problem.line}" in str(problem)


def test_missing_language_points_at_the_key(tmp_path):
    folder = write_module(tmp_path, module=MODULE_YAML.replace('  en: "Demo module"\n', ""))
    [problem] = problems(tmp_path)
    assert problem.path == folder / "module.yaml"
    assert problem.line == 5  # the `title:` key
    assert "'en'" in problem.message


def test_missing_language_in_a_quiz_option(tmp_path):
    quiz = quiz_yaml().replace('text: {de: "Option b", en: "Option b"}', 'text: {de: "Nur b"}', 1)
    write_module(tmp_path, quiz=quiz)
    [problem] = problems(tmp_path)
    assert problem.path.name == "quiz.yaml"
    assert problem.line == 12  # the `text:` key of option b in the first question
    assert "option 'b'" in problem.message
    assert "'en'" in problem.message


def test_missing_page_file(tmp_path):
    folder = write_module(tmp_path)
    (folder / "en" / "02-mehr.md").unlink()
    [problem] = problems(tmp_path)
    assert problem.path == folder / "module.yaml"
    assert problem.line == 13  # the page's entry in `pages`
    assert "en/02-mehr.md does not exist" in problem.message


def test_unlisted_page_file(tmp_path):
    folder = write_module(tmp_path)
    (folder / "de" / "03-extra.md").write_text("# Extra\n")
    [problem] = problems(tmp_path)
    assert problem.path == folder / "de" / "03-extra.md"


def test_two_correct_options_in_a_single_question(tmp_path):
    quiz = quiz_yaml(
        question("q1", "multiple", ("a", "b")),
        question("q2", "single", ("a", "c")),
        *(question(f"q{i}") for i in range(3, 7)),
    )
    write_module(tmp_path, quiz=quiz)
    [problem] = problems(tmp_path)
    assert problem.path.name == "quiz.yaml"
    assert problem.line == quiz.splitlines().index("  - id: q2") + 5  # its `options:` key
    assert "'q2' is single-choice and has 2 correct options" in problem.message


@pytest.mark.parametrize(
    ("quiz", "message"),
    [
        (
            quiz_yaml(question("q1", "multiple", ()), *(question(f"q{i}") for i in range(2, 7))),
            "'q1' has no correct option",
        ),
        (
            quiz_yaml(question("q1", "multiple", ("a",)), *(question("q2") for _ in range(5))),
            "question id 'q2' is used twice",
        ),
        (quiz_yaml(*(question(f"q{i}") for i in range(1, 7))), "kind 'multiple'"),
        (quiz_yaml(question("q1", "multiple", ("a",)), question("q2")), "6 to 10 questions"),
        (quiz_yaml().replace("kind: single", "kind: several", 1), "kind must be"),
        (quiz_yaml().replace("points: 1", "points: 0", 1), "points must be"),
        (quiz_yaml().replace("      - id: b", "      - id: a", 1), "option id 'a' is used twice"),
    ],
)
def test_quiz_rules(tmp_path, quiz, message):
    write_module(tmp_path, quiz=quiz)
    found = problems(tmp_path)
    assert any(message in p.message and p.line for p in found), found


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("pass_mark: 0.8", "pass_mark: 1.5", "pass_mark must be"),
        ("pass_mark: 0.8", "pass_mark: 0", "pass_mark must be"),
        ("minutes: 12\n", "", "'minutes' is missing"),
        ("slug: demo", "slug: other", "must equal the folder name"),
        ("core: true", "core: yes please", "core must be true or false"),
        ("  - {file: 02-mehr.md}\n", "  - {file: 01-start.md}\n", "listed twice"),
        ("minutes: 12", "minutes: 12\nminutes: 13", "duplicate key 'minutes'"),
    ],
)
def test_module_rules(tmp_path, old, new, message):
    write_module(tmp_path, module=MODULE_YAML.replace(old, new))
    found = problems(tmp_path)
    assert any(message in p.message for p in found), found


def test_page_needs_one_title(tmp_path):
    folder = write_module(tmp_path)
    (folder / "en" / "01-start.md").write_text("# One\n\ntext\n\n# Two\n")
    [problem] = problems(tmp_path)
    assert (problem.path.name, problem.line) == ("01-start.md", 5)


def test_raw_html_in_pages_is_escaped(tmp_path):
    folder = write_module(tmp_path)
    (folder / "de" / "01-start.md").write_text(
        "# Titel\n\n<script>alert(1)</script>\n\nText mit <b onclick=x>HTML</b> & **fett**\n"
    )
    page = load_modules(tmp_path)["demo"].pages[0]
    html = str(render_page(page, "de"))
    assert "<script>" not in html
    assert "<b " not in html
    assert "&lt;script&gt;" in html
    assert "<strong>fett</strong>" in html
    assert "Titel" in str(render_page(page, "fr"))  # unknown language: German


def test_broken_module_stops_create_app(tmp_path):
    write_module(tmp_path / "modules", quiz="questions: [")
    with pytest.raises(ModuleError, match=r"quiz.yaml, line \d"):
        create_app(
            {"SQLALCHEMY_DATABASE_URI": "sqlite://", "PLACEMENT_MODULES_DIR": tmp_path / "modules"}
        )


def test_app_keeps_the_loaded_modules(make_app):
    assert "agg_recruiting" in make_app().extensions["modules"]  # the shipped modules
