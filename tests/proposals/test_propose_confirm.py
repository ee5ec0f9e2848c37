"""Proposing asks first: a preview of exactly what the employer will see, a covering note,
then Confirm (CSRF-protected POST) or Cancel. Nothing is sent before the confirmation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from placement.extensions import db
from placement.proposals.models import Proposal


def _confirm_url(world, who="eligible"):
    return f"/counsellor/vacancies/{world['vacancy']}/propose/{world[who]}"


def _post(client, world, who="eligible", **extra):
    data = {"participant_id": world[who], **extra}
    return client.post(f"/counsellor/vacancies/{world['vacancy']}/propose", data=data)


def _proposals(app):
    with app.app_context():
        return db.session.scalars(select(Proposal)).all()


def test_confirmation_page_previews_the_employer_view_and_stores_nothing(
    app, client, login_as, world
):
    login_as("counsellor")
    matches = client.get(f"/counsellor/vacancies/{world['vacancy']}/matches").get_data(True)
    assert f"/propose/{world['eligible']}" in matches  # the button leads to the confirmation
    response = client.get(_confirm_url(world))
    assert response.status_code == 200
    page = response.get_data(True)
    assert "What the employer will see" in page
    assert "K-·····" in page  # pseudonymised: no consent to share with this employer
    preview = page[page.index("What the employer will see"):page.index("</section>", page.index(
        "What the employer will see"))]  # fmt: skip
    assert "Amina" not in preview
    assert "Kommissionieren" in preview or "B2" in preview  # the job-relevant facts
    assert 'name="confirmed" value="y"' in page
    assert 'name="csrf_token"' in page
    assert "Cancel" in page
    assert _proposals(app) == []


def test_preview_shows_the_name_once_the_participant_agreed_to_share(app, client, login_as, world):
    login_as("counsellor")
    url = f"/counsellor/participants/{world['eligible']}/consents"
    response = client.post(url, data={"organisation_id": world["org"], "agreed": "y"})
    assert response.status_code == 302
    page = client.get(_confirm_url(world)).get_data(True)
    preview = page[page.index("What the employer will see") :]
    assert "Amina" in preview


def test_post_without_confirmation_does_not_propose(app, client, login_as, world):
    login_as("counsellor")
    response = _post(client, world, note="Hello")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(_confirm_url(world))
    assert _proposals(app) == []


def test_confirmed_proposal_carries_the_note_to_the_employer(app, client, login_as, auth, world):
    login_as("counsellor")
    note = "Frau A. kann ab März anfangen.\nBitte rufen Sie mich an."
    response = _post(client, world, confirmed="y", note=note)
    assert response.status_code == 302
    (proposal,) = _proposals(app)
    assert proposal.note == note
    counsellor_page = client.get(response.headers["Location"]).get_data(True)
    assert "Frau A. kann ab März anfangen." in counsellor_page
    auth.logout()
    login_as("employer", organisation_id=world["org"])
    page = client.get(f"/employer/proposals/{proposal.id}").get_data(True)
    assert "Covering note from the counsellor" in page
    assert "Frau A. kann ab März anfangen." in page


def test_without_note_the_employer_sees_no_note_heading(app, client, login_as, auth, world):
    login_as("counsellor")
    assert _post(client, world, confirmed="y").status_code == 302
    (proposal,) = _proposals(app)
    assert proposal.note is None
    auth.logout()
    login_as("employer", organisation_id=world["org"])
    page = client.get(f"/employer/proposals/{proposal.id}").get_data(True)
    assert "Covering note from the counsellor" not in page


def test_too_long_note_is_refused_next_to_the_field(app, client, login_as, world):
    login_as("counsellor")
    response = _post(client, world, confirmed="y", note="x" * 2001)
    assert response.status_code == 400
    page = response.get_data(True)
    assert "2000" in page or "2,000" in page
    assert 'aria-invalid="true"' in page
    assert _proposals(app) == []


def test_unmet_requirements_are_acknowledged_on_the_confirmation_page(app, client, login_as, world):
    login_as("counsellor")
    page = client.get(_confirm_url(world, "near")).get_data(True)
    assert 'name="unmet_checked"' in page
    assert 'name="unmet_checked"' not in client.get(_confirm_url(world)).get_data(True)
    response = _post(client, world, "near", confirmed="y")
    assert response.status_code == 400
    assert _proposals(app) == []
    response = _post(client, world, "near", confirmed="y", unmet_checked="y")
    assert response.status_code == 302
    assert len(_proposals(app)) == 1


@pytest.mark.parametrize("who", ["no_permit", "hidden"])
def test_who_cannot_be_proposed_gets_no_confirmation_page(app, client, login_as, world, who):
    login_as("counsellor")
    response = client.get(_confirm_url(world, who))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(True)
    assert "no permission to work" in page or "has not consented" in page
    assert _proposals(app) == []


def test_access_is_that_of_proposing(app, client, auth, login_as, world):
    url = _confirm_url(world)
    assert client.get(url).headers["Location"].startswith("/login")
    for role in ("employer", "participant"):
        login_as(role, organisation_id=world["org"] if role == "employer" else None)
        assert client.get(url).status_code == 403
        assert _post(client, world, confirmed="y").status_code == 403
        auth.logout()
    login_as("counsellor")
    assert client.get(f"/counsellor/vacancies/{world['vacancy']}/propose/99999").status_code == 404
    assert client.get(f"/counsellor/vacancies/99999/propose/{world['eligible']}").status_code == 404
    assert _proposals(app) == []
