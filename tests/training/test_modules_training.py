"""Taking modules: reading page by page, resuming, quiz scoring, pass marks and retakes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from placement.accounts.models import User
from placement.audit.models import AuditEvent
from placement.extensions import db
from placement.training import services as training
from placement.training.models import Certificate, ModuleProgress, QuizAttempt
from placement.training.modules import Module, Option, Question
from tests.training.module_factory import CORRECT, WRONG, form

OPTIONS = (Option("a", True, {}), Option("b", False, {}))


def make_module(points: list[int], pass_mark: float) -> Module:
    questions = tuple(
        Question(
            f"q{i}", "single", p, {"de": "?"}, (Option("a", True, {}), Option("b", False, {})), {}
        )
        for i, p in enumerate(points)
    )
    return Module("m", True, 10, pass_mark, {"de": "M"}, {"de": ""}, (), questions)


# Scoring ----------------------------------------------------------------------------------


def test_scoring_needs_exactly_the_correct_set(app):
    module = app.extensions["modules"]["core_a"]
    assert training.score_quiz(module, CORRECT).score == 7
    assert training.score_quiz(module, CORRECT).passed
    subset = training.score_quiz(module, {**CORRECT, "q1": ["a"]})
    superset = training.score_quiz(module, {**CORRECT, "q1": ["a", "b", "c"]})
    assert (subset.score, subset.passed, subset.correct["q1"]) == (5, False, False)
    assert (superset.score, superset.passed) == (5, False)
    assert training.score_quiz(module, {}).score == 0


@pytest.mark.parametrize(
    ("points", "pass_mark", "right", "passed"),
    [
        ([1] * 10, 0.8, 8, True),  # 0.8 * 10 is 8.000000000000002 in floating point
        ([1] * 10, 0.8, 7, False),
        ([1] * 10, 0.7, 7, True),
        ([1] * 3, 1.0, 2, False),
        ([1] * 3, 1.0, 3, True),
        ([2, 1, 1], 0.5, 1, True),  # the 2-point question alone is half of 4
        ([1, 1, 2], 0.5, 1, False),
    ],
)
def test_pass_marks(points, pass_mark, right, passed):
    module = make_module(points, pass_mark)
    answers = {f"q{i}": ["a"] if i < right else ["b"] for i in range(len(points))}
    assert training.score_quiz(module, answers).passed is passed


# Reading and resuming ---------------------------------------------------------------------


def test_read_page_by_page_and_resume(app, client, auth, login_as):
    user_id = login_as("employer")
    page = client.get("/training/").get_data(as_text=True)
    assert "Not started" in page
    response = client.post("/training/core_a/start")
    assert response.headers["Location"] == "/training/core_a/pages/1"
    assert "01-start.md en" in client.get("/training/core_a/pages/1").get_data(as_text=True)
    client.post("/language", data={"locale": "de"})  # content follows the UI language
    assert "01-start.md de" in client.get("/training/core_a/pages/1").get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    # Not all pages read: no quiz yet.
    assert client.get("/training/core_a/quiz").headers["Location"] == "/training/core_a/"
    response = client.post("/training/core_a/pages/1/read")
    assert response.headers["Location"] == "/training/core_a/pages/2"
    assert "page 2 of 2" in client.get("/training/").get_data(as_text=True)
    # Signing out and in again resumes at page 2.
    auth.logout()
    with app.app_context():
        email = db.session.get(User, user_id).email
    auth.login(email)
    assert client.post("/training/core_a/start").headers["Location"] == "/training/core_a/pages/2"
    assert (
        client.post("/training/core_a/pages/2/read").headers["Location"] == "/training/core_a/quiz"
    )
    with app.app_context():
        progress = db.session.scalar(
            select(ModuleProgress).where(ModuleProgress.user_id == user_id)
        )
        assert progress.completed_at is not None
        assert progress.pages_read == ["01-start.md", "02-mehr.md"]
    assert "All pages read" in client.get("/training/").get_data(as_text=True)
    assert client.get("/training/core_a/quiz").status_code == 200


def test_unknown_module_and_page(login_as, client):
    login_as("employer")
    assert client.get("/training/nope/").status_code == 404
    assert client.post("/training/nope/start").status_code == 404
    assert client.get("/training/core_a/pages/9").status_code == 302
    assert client.post("/training/core_a/pages/0/read").status_code == 302


# Quiz, result, retake ----------------------------------------------------------------------


def test_quiz_fail_then_retake_and_pass(app, client, login_as):
    user_id = login_as("employer")
    for number in (1, 2):
        client.post(f"/training/core_a/pages/{number}/read")
    quiz = client.get("/training/core_a/quiz").get_data(as_text=True)
    assert 'type="radio"' in quiz
    assert 'type="checkbox"' in quiz

    response = client.post("/training/core_a/quiz", data=form(WRONG))
    assert response.status_code == 302
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not passed yet: 5 of 7 points" in result
    assert "2 questions were not answered correctly" in result
    # Which questions were wrong (q2, q3), but neither the right answers nor the explanations
    # that give them away: a retake must test again.
    items = re.findall(r'<li class="(right|wrong)">\s*<p><strong>Question (q\d)', result)
    assert [q for verdict, q in items if verdict == "wrong"] == ["q2", "q3"]
    assert "correct answer" not in result
    assert "Because." not in result
    assert "Your answer: Option b" in result
    assert "Download your certificate" not in result
    assert "1 failed attempt" in client.get("/training/").get_data(as_text=True)

    response = client.post("/training/core_a/quiz", data=form(CORRECT))
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Passed: 7 of 7 points." in result
    assert "Download your certificate" in result
    assert "Because." in result  # after a pass, the explanations, in the UI language
    assert "Passed on" in client.get("/training/").get_data(as_text=True)

    client.post("/training/core_a/quiz", data=form(CORRECT))  # a retake issues no second one
    with app.app_context():
        attempts = select(QuizAttempt).where(QuizAttempt.user_id == user_id)
        passes = db.session.scalars(attempts.order_by(QuizAttempt.id)).all()
        assert [a.passed for a in passes] == [False, True, True]
        [issued] = db.session.scalars(select(Certificate)).all()
        issues = select(AuditEvent).where(AuditEvent.action == "certificate.issue")
        assert [e.subject_id for e in db.session.scalars(issues)] == [issued.id]


def test_unanswered_questions_are_shown_next_to_them(client, login_as):
    login_as("employer")
    for number in (1, 2):
        client.post(f"/training/core_a/pages/{number}/read")
    response = client.post("/training/core_a/quiz", data=form({"q1": ["a", "b"]}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert page.count("Please answer this question.") == 5
    assert 'aria-describedby="q1-error"' in page


def test_quiz_result_is_private(app, client, login_as, passed, create_user, create_org):
    other_id, _ = create_user("employer", organisation_id=create_org())
    passed(other_id, "core_a", WRONG)
    with app.app_context():
        attempt_id = db.session.scalar(select(QuizAttempt.id))
    login_as("employer")
    assert client.get(f"/training/core_a/attempts/{attempt_id}").status_code == 404
