"""Consent to share with a named employer (identity gate), and the view log."""

from __future__ import annotations

from sqlalchemy import select

from placement.extensions import db
from tests.conftest import page_ok


def _visible(app, proposal_id):
    from placement.proposals.models import Proposal
    from placement.proposals.services import identity_visible

    with app.app_context():
        return identity_visible(db.session.get(Proposal, proposal_id))


def test_give_and_withdraw_consent_gates_identity(
    participant_login, client, app, create_org, create_vacancy, create_user, create_proposal
):
    org = create_org("Pflege Linden GmbH")
    other = create_org("Andere AG")
    vacancy_id = create_vacancy(org)
    counsellor_id, _ = create_user("counsellor")
    _, participant_id, _ = participant_login()
    proposal_id = create_proposal(vacancy_id, participant_id, counsellor_id)
    assert not _visible(app, proposal_id)

    client.post("/me/consents", data={"organisation_id": other})
    assert not _visible(app, proposal_id)  # consent is per named employer
    response = client.post("/me/consents", data={"organisation_id": org})
    assert response.status_code == 302
    assert _visible(app, proposal_id)
    page = client.get("/me/consents").get_data(as_text=True)
    assert "Pflege Linden GmbH" in page
    assert "Andere AG" in page

    assert client.post(f"/me/consents/{org}/withdraw", data={"confirmed": "y"}).status_code == 302
    assert not _visible(app, proposal_id)
    page = client.get("/me/consents").get_data(as_text=True)
    history = page.split("<h2>History</h2>")[1]
    assert "Pflege Linden GmbH" in history
    assert "still allowed" in history


def test_consent_needs_an_existing_employer(participant_login, client, app):
    from placement.proposals.models import Consent

    participant_login()
    assert client.post("/me/consents", data={"organisation_id": ""}).status_code == 400
    assert client.post("/me/consents", data={"organisation_id": 999}).status_code == 400
    assert client.post("/me/consents/999/withdraw").status_code == 404
    with app.app_context():
        assert db.session.scalars(select(Consent)).all() == []


def test_consent_of_one_participant_does_not_touch_another(
    participant_login, client, app, create_org, create_participant
):
    from placement.proposals.models import Consent

    org = create_org()
    other_id = create_participant()
    _, participant_id, _ = participant_login()
    client.post("/me/consents", data={"organisation_id": org})
    with app.app_context():
        consents = db.session.scalars(select(Consent)).all()
        assert [c.participant_id for c in consents] == [participant_id]
        assert other_id != participant_id


def test_view_log_shows_counsellor_and_employer(
    participant_login, client, app, auth, create_org, create_user
):
    from placement.accounts.models import User
    from placement.audit.services import record

    org = create_org("Bäckerei Sonne KG")
    employer_id, _ = create_user("employer", organisation_id=org)
    counsellor_id, counsellor_email = create_user("counsellor")
    _, participant_id, email = participant_login()
    auth.logout()
    auth.login(counsellor_email)
    client.get(f"/counsellor/participants/{participant_id}")  # recorded by the counsellor page
    auth.logout()
    with app.app_context():  # an employer's view, as an employer page records it
        record(db.session.get(User, employer_id), "participant.view", "participant", participant_id)
        record(
            db.session.get(User, employer_id), "participant.view", "participant", participant_id + 1
        )  # someone else's profile
        db.session.commit()
    auth.login(email)
    page = client.get("/me/views").get_data(as_text=True)
    rows = page.split("<tbody>")[1]
    assert rows.count("<tr>") == 2
    assert "Bäckerei Sonne KG" in rows
    assert "Test Counsellor" in rows
    assert "Employer" in rows
    assert "Placement counsellor" in rows
    assert "UTC" not in rows  # times are shown in German time (Europe/Berlin)


def test_taking_back_consent_asks_first(
    participant_login, client, app, create_org, create_vacancy, create_user, create_proposal
):
    org = create_org("Pflege Linden GmbH")
    vacancy_id = create_vacancy(org)
    counsellor_id, _ = create_user("counsellor")
    _, participant_id, _ = participant_login()
    proposal_id = create_proposal(vacancy_id, participant_id, counsellor_id)
    client.post("/me/consents", data={"organisation_id": org, "agreed": "y"})
    assert _visible(app, proposal_id)
    page = client.get("/me/consents").get_data(as_text=True)
    assert f'class="button danger" href="/me/consents/{org}/withdraw"' in page
    page = page_ok(client, f"/me/consents/{org}/withdraw")
    assert "can no longer see your name and contact details" in page
    assert 'name="confirmed" value="y"' in page
    assert 'href="/me/consents">Cancel' in page
    response = client.post(f"/me/consents/{org}/withdraw")  # not confirmed
    assert response.headers["Location"] == f"/me/consents/{org}/withdraw"
    assert _visible(app, proposal_id)
    client.post(f"/me/consents/{org}/withdraw", data={"confirmed": "y"})
    assert not _visible(app, proposal_id)
    # Nothing left to take back: back to the list, no page asking.
    assert client.get(f"/me/consents/{org}/withdraw").headers["Location"] == "/me/consents"
    assert client.get("/me/consents/99999/withdraw").status_code == 404
