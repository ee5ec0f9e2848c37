"""Commands: create-user, demo data loading."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from placement.extensions import db

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


def test_create_user(app, runner):
    from placement.accounts.services import find_user

    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Ana@Example.org",
            "--name",
            "Ana Berater",
            "--role",
            "counsellor",
            "--password",
            "a good long password",
        ],
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert find_user("ana@example.org").role == "counsellor"


def test_create_user_refuses_short_password_and_employer_without_org(runner):
    short = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@b.example",
            "--name",
            "A",
            "--role",
            "admin",
            "--password",
            "short",
        ],
    )
    assert short.exit_code != 0
    assert "12 characters" in short.output
    orphan = runner.invoke(
        args=[
            "create-user",
            "--email",
            "e@b.example",
            "--name",
            "E",
            "--role",
            "employer",
            "--password",
            "a good long password",
        ],
    )
    assert orphan.exit_code != 0
    assert "organisation" in orphan.output


@pytest.mark.skipif(not (DEMO / "participants.jsonl").exists(), reason="demo data not written")
def test_demo_data_load_once(app, runner):
    from placement.employers.models import Organisation, Vacancy
    from placement.participants.models import Participant

    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    assert "admin@demo.example" in result.output
    with app.app_context():
        orgs = db.session.scalar(select(func.count(Organisation.id)))
        vacancies = db.session.scalars(select(Vacancy)).all()
        people = db.session.scalar(select(func.count(Participant.id)))
    assert orgs >= 10
    assert len(vacancies) >= 35
    assert sum(v.kind == "internship" for v in vacancies) >= 10
    assert people >= 50
    with app.app_context():
        from placement.placements.models import FollowUp, Placement

        placements = db.session.scalars(select(Placement)).all()
        assert placements  # phase 5 people with a demo employer are followed up
        assert all(p.participant.phase == 5 for p in placements)
        assert db.session.scalar(select(func.count(FollowUp.id))) >= 4 * len(placements)
    again = runner.invoke(args=["load-demo"])
    assert "already" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == orgs


@pytest.mark.skipif(not (DEMO / "vacancies.jsonl").exists(), reason="demo data not written")
def test_demo_vacancies_are_wording_checked(app, runner):
    """No demo vacancy is live with a serious wording finding nobody reviewed: those are drafts
    (their pages show the findings), as an import keeps them."""
    from placement.audit.models import AuditEvent
    from placement.employers.models import Vacancy
    from placement.employers.wording import check_saved_vacancy

    assert runner.invoke(args=["load-demo"]).exit_code == 0
    with app.app_context():
        vacancies = db.session.scalars(select(Vacancy)).all()
        serious = {v.external_ref: v.status for v in vacancies
                   if any(f.severe for f in check_saved_vacancy(v))}  # fmt: skip
        held = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "vacancy.held_for_review")
        )
    assert serious  # the demo shows the check at work
    assert set(serious.values()) == {"draft"}
    assert held >= 1
    assert sum(v.status == "published" for v in vacancies) >= 30


def test_demo_data_not_loaded_by_accident(app):
    from placement.accounts.models import User

    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0
