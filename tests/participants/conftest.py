"""Fixtures for the participant side: a signed-in participant with a profile, a fast matcher."""

from __future__ import annotations

import pytest

from placement.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def app(make_app, tmp_path):
    """The app, with uploads waiting for confirmation kept in the test's own folder."""
    return make_app(PLACEMENT_IMPORT_DIR=str(tmp_path / "imports"))


@pytest.fixture(autouse=True)
def tfidf_matcher(monkeypatch):
    """Rank with a fresh TF-IDF matcher: no model download, no state between tests."""
    from placement.matches import services
    from placement.matching import Lexicon, Matcher, TfidfEncoder

    def get_matcher(model=None, weights=None):
        return Matcher(encoder=TfidfEncoder(), lexicon=Lexicon.empty())

    monkeypatch.setattr(services, "get_matcher", get_matcher)


@pytest.fixture
def participant_login(app, client, auth, create_user):
    """Sign in a new participant, fill their profile; returns (user_id, participant_id, email)."""
    from placement.participants.models import Participant
    from placement.participants.services import participant_for_user, update_profile

    def factory(**profile):
        user_id, email = create_user("participant")
        with app.app_context():
            from placement.accounts.models import User

            user = db.session.get(User, user_id)
            user.locale = "en"  # assertions read the English msgids
            person = participant_for_user(user)
            values = {
                "german_level": "B1",
                "work_permit": "employment",
                "postcode": "30159",
                "hours_per_week": 38,
                "consent_matching": True,
            }
            values.update(profile)
            update_profile(person, values)
            db.session.commit()
            participant_id = person.id
            assert db.session.get(Participant, participant_id) is not None
        assert auth.login(email, PASSWORD).status_code == 302
        return user_id, participant_id, email

    return factory


@pytest.fixture
def confirm_password(client):
    """Re-enter the password (the fresh login that exports and erasure need)."""

    def confirm(password=PASSWORD):
        return client.post("/confirm-password", data={"password": password, "next": "/me/data"})

    return confirm
