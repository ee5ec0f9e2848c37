"""Fixtures for placements: a counsellor's client (English pages) and a placement factory."""

from __future__ import annotations

from datetime import date

import pytest

from placement.extensions import db


@pytest.fixture
def client(app):
    """A client that reads the pages in English (the msgids the assertions name)."""
    client = app.test_client()
    client.post("/language", data={"locale": "en"})
    return client


@pytest.fixture
def create_placement(app, create_org, create_participant):
    """Enter a placement through the service; returns its id."""
    from placement.accounts.models import User
    from placement.employers.models import Organisation
    from placement.participants.models import Participant
    from placement.placements.services import create_placement as _create

    def factory(participant_id=None, organisation_id=None, actor_id=None, on=None, **data):
        participant_id = participant_id or create_participant()
        organisation_id = organisation_id or create_org()
        values = {"title": "Fachkraft für Lagerlogistik", "occupation": None,
                  "start_date": date(2026, 1, 15), "contract_type": "permanent",
                  "contract_end": None, "hours_per_week": 38, "wage_band": None}  # fmt: skip
        values.update(data)
        with app.app_context():
            actor = db.session.get(User, actor_id) if actor_id else None
            item = _create(db.session.get(Participant, participant_id),
                           db.session.get(Organisation, organisation_id), values, actor,
                           on=on or values["start_date"])  # fmt: skip
            db.session.commit()
            return item.id

    return factory
