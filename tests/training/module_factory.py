"""Writes small, valid training modules into a folder, for tests to break or to use."""

from __future__ import annotations

from pathlib import Path

from placement.accounts.models import User
from placement.extensions import db
from placement.training import services as training
from placement.training.models import Certificate

MODULE_YAML = """\
slug: demo
core: true
minutes: 12
pass_mark: 0.8
title:
  de: "Demo-Modul"
  en: "Demo module"
summary:
  de: "Kurz"
  en: "Short"
pages:
  - {file: 01-start.md}
  - {file: 02-mehr.md}
"""


def question(qid: str, kind: str = "single", correct=("a",), points: int = 1) -> str:
    options = "".join(
        f"""      - id: {oid}
        correct: {"true" if oid in correct else "false"}
        text: {{de: "Option {oid}", en: "Option {oid}"}}
"""
        for oid in ("a", "b", "c")
    )
    return f"""  - id: {qid}
    kind: {kind}
    points: {points}
    text: {{de: "Frage {qid}", en: "Question {qid}"}}
    options:
{options}    explanation: {{de: "Weil.", en: "Because."}}
"""


def quiz_yaml(*questions: str) -> str:
    if not questions:
        questions = (
            question("q1", "multiple", ("a", "b"), points=2),
            *(question(f"q{i}") for i in range(2, 7)),
        )
    return "questions:\n" + "".join(questions)


def write_module(
    root: Path, slug: str = "demo", module: str = MODULE_YAML, quiz: str = "", core: bool = True
) -> Path:
    """A module with two pages and six questions: q1 multiple (a and b, 2 points), q2-q6 single
    (a, 1 point each); 7 points, pass mark 0.8."""
    folder = root / slug
    for language in ("de", "en"):
        (folder / language).mkdir(parents=True)
        for name in ("01-start.md", "02-mehr.md"):
            (folder / language / name).write_text(f"# {name} {language}\n\nText.\n")
    module = module.replace("slug: demo", f"slug: {slug}")
    if not core:
        module = module.replace("core: true", "core: false")
    (folder / "module.yaml").write_text(module)
    (folder / "quiz.yaml").write_text(quiz or quiz_yaml())
    return folder


# Answers by question id that pass the factory's quiz, and answers that fail it.
CORRECT = {"q1": ["a", "b"], **{f"q{i}": ["a"] for i in range(2, 7)}}
WRONG = {**CORRECT, "q2": ["b"], "q3": ["b"]}  # 5 of 7 points: below the pass mark of 0.8


def training_app(make_app, tmp_path):
    """An app with three small modules: two core ones and an optional one."""
    root = tmp_path / "modules"
    write_module(root, "core_a")
    write_module(root, "core_b")
    write_module(root, "extra", core=False)
    return make_app(PLACEMENT_MODULES_DIR=root)


def form(answers: dict[str, list[str]]) -> dict[str, list[str]]:
    """Quiz answers by question id as the quiz form posts them (fields q0, q1 ...)."""
    return {f"q{int(qid[1:]) - 1}": options for qid, options in answers.items()}


def module_passer(app):
    """A function that lets a user read and take a module's quiz through the services;
    it returns the id of the certificate issued (None if none was)."""

    def pass_module(user_id: int, slug: str, answers=CORRECT) -> int | None:
        with app.app_context():
            user = db.session.get(User, user_id)
            module = app.extensions["modules"][slug]
            for number in range(1, len(module.pages) + 1):
                training.mark_page_read(user, module, number)
            _, certificate = training.submit_quiz(user, module, answers)
            db.session.commit()
            return certificate.id if certificate else None

    return pass_module


def certificate(app, certificate_id: int) -> Certificate:
    with app.app_context():
        item = db.session.get(Certificate, certificate_id)
        db.session.expunge(item)
        return item
