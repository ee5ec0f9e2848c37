"""Issue 11: the bad-input table through the follow-up form, which records a follow-up once
(so it is not in the table of new rows): an invalid value is refused next to its field and the
follow-up stays open; legitimate odd text is saved as typed."""

from __future__ import annotations

import datetime as dt

import pytest

from placement.extensions import db
from tests.security.bad_inputs import INVALID_DATE, INVALID_NUMBER, INVALID_TEXT, TEXT

VALID = {"contact_made": "y", "still_employed": "yes", "hours_per_week": "30",
         "note": "Alles in Ordnung."}  # fmt: skip
CASES = [
    *(("note", label, value) for label, value in INVALID_TEXT.items()),
    *(("hours_per_week", label, value) for label, value in INVALID_NUMBER.items()),
    *((name, label, value) for name in ("ended_on", "support_due")
      for label, value in INVALID_DATE.items()),
]  # fmt: skip


@pytest.fixture
def follow_ups(app, create_org, create_participant, login_as):
    """A placement and a function that adds an open follow-up to it; signed in as counsellor."""
    from placement.accounts.models import User
    from placement.employers.models import Organisation
    from placement.participants.models import Participant
    from placement.placements import services

    counsellor_id = login_as("counsellor")
    org, pid = create_org(), create_participant()
    with app.app_context():
        data = {"title": "Lagerhelferin", "contract_type": "permanent",
                "start_date": dt.date(2026, 11, 2)}  # fmt: skip
        placement = services.create_placement(
            db.session.get(Participant, pid), db.session.get(Organisation, org), data, None
        )
        db.session.commit()
        placement_id = placement.id

    def add() -> tuple[str, int]:
        with app.app_context():
            from placement.placements.models import Placement

            follow_up = services.add_follow_up(
                db.session.get(Placement, placement_id), dt.date(2027, 2, 1),
                db.session.get(User, counsellor_id),
            )  # fmt: skip
            db.session.commit()
            return f"/counsellor/placements/{placement_id}/follow-ups/{follow_up.id}", follow_up.id

    return add


def _done(app, follow_up_id: int):
    from placement.placements.models import FollowUp

    with app.app_context():
        return db.session.get(FollowUp, follow_up_id)


def test_valid_follow_up_is_recorded(app, client, follow_ups):
    url, follow_up_id = follow_ups()
    assert client.post(url, data=VALID).status_code == 302
    assert _done(app, follow_up_id).done_at is not None


@pytest.mark.parametrize(("field", "label", "value"), CASES)
def test_invalid_value_is_refused_at_its_field(app, client, follow_ups, field, label, value):
    url, follow_up_id = follow_ups()
    response = client.post(url, data={**VALID, field: value})
    assert response.status_code == 400, label
    assert f'id="{field}-error" role="alert"' in response.get_data(as_text=True), label
    assert _done(app, follow_up_id).done_at is None


@pytest.mark.parametrize(("label", "value"), list(TEXT.items()))
def test_odd_text_is_saved_as_typed(app, client, follow_ups, label, value):
    url, follow_up_id = follow_ups()
    assert client.post(url, data={**VALID, "note": value}).status_code == 302, label
    assert _done(app, follow_up_id).note == value.strip()
