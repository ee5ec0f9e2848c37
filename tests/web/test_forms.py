"""Bad input: errors next to the field, nothing half-written."""

from __future__ import annotations

from sqlalchemy import func, select

from placement.extensions import db


def test_vacancy_form_errors_next_to_fields(app, login_as, client):
    from placement.employers.models import Vacancy

    login_as("employer")
    response = client.post(
        "/employer/vacancies/new",
        data={
            "title": "",
            "kind": "internship",
            "status": "draft",
            "description": "kurz",
            "postcode": "3015",
            "hours_per_week": 90,
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for field in ("title", "description", "postcode", "hours_per_week", "duration_weeks"):
        assert f'id="{field}-error"' in page, field
        assert f'aria-describedby="{field}-error"' in page or f'{field}-error"' in page
    assert 'aria-invalid="true"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Vacancy.id))) == 0


def test_profile_form_rejects_bad_values(app, login_as, client):
    from placement.participants.models import Participant

    login_as("counsellor")
    response = client.post(
        "/counsellor/participants/new",
        data={
            "first_name": "",
            "last_name": "X",
            "profile_language": "uk",
            "german_level": "Z9",
            "work_permit": "maybe",
            "phase": "4",
            "postcode": "abcde",
            "email": "not-an-email",
            "languages-0-code": "uk",
            "languages-0-level": "",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for field in (
        "first_name",
        "german_level",
        "work_permit",
        "postcode",
        "email",
        "languages-0-level",
    ):
        assert f'id="{field}-error"' in page, field
    with app.app_context():
        assert db.session.scalar(select(func.count(Participant.id))) == 0


def test_failed_request_leaves_no_partial_rows(app, login_as, client, monkeypatch):
    """An error in the middle of a request rolls back everything it wrote."""
    from placement.audit.models import AuditEvent
    from placement.participants import services

    def explode(participant, data):
        raise RuntimeError("disk full")

    login_as("counsellor")
    monkeypatch.setattr(services, "update_profile", explode)
    person = services  # keep the name short below
    with app.app_context():
        p = person.create_participant({"first_name": "A", "last_name": "B"})
        db.session.commit()
        pid = p.id
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post(
        f"/counsellor/participants/{pid}/edit",
        data={
            "first_name": "Neu",
            "last_name": "B",
            "profile_language": "de",
            "work_permit": "any_work",
            "phase": "4",
        },
    )
    assert response.status_code == 500
    with app.app_context():
        assert db.session.get(services.Participant, pid).first_name == "A"
        assert (
            db.session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "participant.update")
            )
            == 0
        )
