"""Access rules of the participant pages: anonymous, wrong role, and one's own data only."""

from __future__ import annotations

import pytest

GET_PAGES = [
    "/me/suggestions",
    "/me/proposals",
    "/me/consents",
    "/me/views",
    "/me/data",
    "/me/data/export.json",
    "/me/data/delete",
]
POSTS = [
    "/me/matching-consent",
    "/me/vacancies/1/interest",
    "/me/vacancies/1/interest/delete",
    "/me/consents",
    "/me/consents/1/withdraw",
    "/me/data/delete",
]


@pytest.mark.parametrize("url", GET_PAGES)
def test_anonymous_get_goes_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("url", POSTS)
def test_anonymous_post_goes_to_login(client, url):
    response = client.post(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_anonymous_cannot_confirm_password(client):
    assert client.get("/confirm-password").status_code == 302


@pytest.mark.parametrize("role", ["counsellor", "employer", "admin"])
def test_other_roles_are_forbidden(login_as, client, role):
    login_as(role)
    for url in GET_PAGES:
        assert client.get(url).status_code == 403, url
    for url in POSTS:
        assert client.post(url).status_code == 403, url


def test_withdrawing_touches_only_own_consent(
    participant_login, client, app, create_org, create_participant, create_user
):
    from placement.accounts.models import User
    from placement.employers.models import Organisation
    from placement.extensions import db
    from placement.participants.models import Participant
    from placement.proposals.services import active_consent, give_consent

    org = create_org()
    other_id = create_participant()
    counsellor_id, _ = create_user("counsellor")
    with app.app_context():
        give_consent(
            db.session.get(Participant, other_id),
            db.session.get(Organisation, org),
            db.session.get(User, counsellor_id),
        )
        db.session.commit()
    participant_login()
    assert client.post(f"/me/consents/{org}/withdraw").status_code == 302
    with app.app_context():
        other = db.session.get(Participant, other_id)
        assert active_consent(other, db.session.get(Organisation, org)) is not None


def test_removing_interest_touches_only_own(
    participant_login, client, app, create_org, create_vacancy, create_participant
):
    from placement.employers.models import Vacancy
    from placement.extensions import db
    from placement.participants.interests import mark_interest
    from placement.participants.models import Interest, Participant

    vacancy_id = create_vacancy(create_org())
    other_id = create_participant()
    with app.app_context():
        mark_interest(
            db.session.get(Participant, other_id), db.session.get(Vacancy, vacancy_id), None
        )
        db.session.commit()
    participant_login()
    client.post(f"/me/vacancies/{vacancy_id}/interest/delete")
    with app.app_context():
        assert len(db.session.scalars(db.select(Interest)).all()) == 1
