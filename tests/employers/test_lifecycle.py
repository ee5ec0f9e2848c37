"""The vacancy lifecycle service: allowed steps, refused steps, publishing needs approval."""

from __future__ import annotations

import pytest

from placement.employers import services
from placement.employers.models import Vacancy
from placement.extensions import db

ALLOWED = [
    ("draft", "published"),
    ("draft", "closed"),
    ("published", "paused"),
    ("published", "filled"),
    ("published", "closed"),
    ("paused", "published"),
    ("paused", "closed"),
    ("filled", "closed"),
    ("closed", "published"),
]
REFUSED = [
    ("draft", "paused"),
    ("draft", "filled"),
    ("published", "draft"),
    ("paused", "filled"),
    ("filled", "published"),
    ("filled", "paused"),
    ("closed", "paused"),
    ("closed", "filled"),
    ("published", "published"),
    ("published", "archived"),
]


@pytest.mark.parametrize(("start", "target"), ALLOWED)
def test_allowed_steps(app, create_org, create_vacancy, start, target):
    vacancy_id = create_vacancy(create_org(), status=start)
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        assert target in services.next_statuses(vacancy)
        services.change_vacancy_status(vacancy, target, None)
        db.session.commit()
        assert db.session.get(Vacancy, vacancy_id).status == target


@pytest.mark.parametrize(("start", "target"), REFUSED)
def test_refused_steps(app, create_org, create_vacancy, start, target):
    vacancy_id = create_vacancy(create_org(), status=start)
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        assert target not in services.next_statuses(vacancy)
        with pytest.raises(services.VacancyError):
            services.change_vacancy_status(vacancy, target, None)


def test_publishing_needs_an_approved_organisation(app, create_org, create_vacancy):
    vacancy_id = create_vacancy(create_org(approved=False), status="draft")
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        assert services.next_statuses(vacancy) == ("closed",)
        with pytest.raises(services.VacancyError, match="not been approved"):
            services.change_vacancy_status(vacancy, "published", None)


def test_an_edit_cannot_skip_the_lifecycle(app, create_org, create_vacancy):
    vacancy_id = create_vacancy(create_org(), status="filled")
    with app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        with pytest.raises(services.VacancyError, match="cannot go from filled to published"):
            services.update_vacancy(vacancy, {"status": "published", "title": "Neu"})
        db.session.rollback()
        services.update_vacancy(vacancy, {"status": "filled", "title": "Neu"})  # unchanged: fine
        assert vacancy.title == "Neu"


def test_a_step_is_audited(app, create_org, create_vacancy):
    from sqlalchemy import select

    from placement.audit.models import AuditEvent

    vacancy_id = create_vacancy(create_org(), status="published")
    with app.app_context():
        services.change_vacancy_status(db.session.get(Vacancy, vacancy_id), "paused", None)
        db.session.commit()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "vacancy.status"))
        assert event.subject_id == vacancy_id
        assert event.details == {"from": "published", "to": "paused"}
