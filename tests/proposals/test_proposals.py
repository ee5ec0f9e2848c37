"""Shortlist, proposing (consent gates), the proposal state machine, notes and consents."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from placement.accounts.models import User
from placement.extensions import db
from placement.matching import Matcher
from placement.proposals import services
from placement.proposals.models import Consent, Note, Proposal, ShortlistEntry
from placement.vocab import PROPOSAL_STATUSES


def _propose(client, world, who="eligible", **extra):
    data = {"participant_id": world[who], "confirmed": "y", **extra}
    return client.post(f"/counsellor/vacancies/{world['vacancy']}/propose", data=data)


def test_shortlist_add_and_remove(app, client, login_as, world):
    login_as("counsellor")
    url = f"/counsellor/vacancies/{world['vacancy']}/shortlist"
    assert client.post(url, data={"participant_id": world["near"]}).status_code == 302
    assert client.post(url, data={"participant_id": world["near"]}).status_code == 302  # once
    with app.app_context():
        assert db.session.scalars(select(ShortlistEntry.participant_id)).all() == [world["near"]]
    html = client.get(f"/counsellor/vacancies/{world['vacancy']}").get_data(True)
    assert "Shortlist" in html
    assert "Bohdan" in html
    html = client.get(f"/counsellor/vacancies/{world['vacancy']}/matches").get_data(True)
    assert "on the shortlist" in html  # the badge in its row
    assert f'id="pick-{world["near"]}"' not in html  # no box to tick it again
    assert client.post(url + "/remove", data={"participant_id": world["near"]}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(ShortlistEntry)).all() == []


def test_shortlist_needs_a_participant(client, login_as, world):
    login_as("counsellor")
    url = f"/counsellor/vacancies/{world['vacancy']}/shortlist"
    assert client.post(url, data={}).status_code == 400
    assert client.post(url, data={"participant_id": 999}).status_code == 404


def test_propose_without_consent_is_refused(app, client, login_as, world):
    login_as("counsellor")
    response = _propose(client, world, "hidden", unmet_checked="y")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(True)
    assert "has not consented" in page
    with app.app_context():
        assert db.session.scalars(select(Proposal)).all() == []


def test_propose_with_consent_stores_the_match_as_seen(app, client, login_as, world):
    counsellor = login_as("counsellor")
    response = _propose(client, world)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/counsellor/proposals/")
    with app.app_context():
        (proposal,) = db.session.scalars(select(Proposal)).all()
        assert proposal.status == "proposed"
        assert proposal.proposed_by_id == counsellor
        snap = proposal.match_snapshot
        assert set(snap["parts"]) == set(Matcher.DEFAULT_WEIGHTS)
        assert snap["eligible"] is True
        assert snap["model_name"] == "fake-bow@1"
        assert "Lagerarbeit" not in str(snap)  # no profile text
        (event,) = proposal.events
        assert (event.actor_id, event.to_status, event.from_status) == (
            counsellor,
            "proposed",
            None,
        )
    page = client.get(response.headers["Location"]).get_data(True)
    assert "The match when proposed" in page
    assert "the pseudonym only" in page
    assert "Proposed" in client.get(f"/counsellor/vacancies/{world['vacancy']}/matches").get_data(
        True
    )
    again = _propose(client, world)
    assert "proposed for this vacancy already" in client.get(again.headers["Location"]).get_data(
        True
    )


def test_ineligible_needs_confirmation_and_no_permit_never(app, client, login_as, world):
    login_as("counsellor")
    response = _propose(client, world, "near")
    assert response.status_code == 400  # the confirmation page again, the reason at the box
    assert "Confirm that you checked the unmet requirements" in response.get_data(True)
    page = client.get(
        _propose(client, world, "no_permit", unmet_checked="y").headers["Location"]
    ).get_data(True)
    assert "no permission to work" in page
    with app.app_context():
        assert db.session.scalars(select(Proposal)).all() == []
    response = _propose(client, world, "near", unmet_checked="y")
    assert response.headers["Location"].startswith("/counsellor/proposals/")
    with app.app_context():
        (proposal,) = db.session.scalars(select(Proposal)).all()
        assert proposal.match_snapshot["eligible"] is False


@pytest.fixture
def proposal(app, client, login_as, world):
    user = login_as("counsellor")
    _propose(client, world)
    with app.app_context():
        return db.session.scalar(select(Proposal.id)), user


LEGAL = {
    "proposed": ["invited", "internship", "hired", "declined", "withdrawn"],
    "invited": ["internship", "hired", "declined", "withdrawn"],
    "internship": ["hired", "declined", "withdrawn"],
}
STATUSES = ["proposed", "invited", "internship", "hired", "declined", "withdrawn"]


@pytest.mark.parametrize("start", STATUSES)
def test_every_illegal_transition_is_refused(app, client, proposal, start):
    pid, _user = proposal
    with app.app_context():
        item = db.session.get(Proposal, pid)
        item.status = start
        db.session.commit()
    for target in STATUSES:
        if target in LEGAL.get(start, []):
            continue
        response = client.post(f"/counsellor/proposals/{pid}/status",
                               data={"to_status": target, "reason": "other"})  # fmt: skip
        assert response.status_code == 400, (start, target)
        said = f"cannot go from “{PROPOSAL_STATUSES[start]}” to “{PROPOSAL_STATUSES[target]}”"
        assert said in response.get_data(as_text=True)
        with app.app_context():
            item = db.session.get(Proposal, pid)
            assert item.status == start
            assert len(item.events) == 1


def test_legal_path_is_stored_with_actor_and_time(app, client, proposal):
    pid, user = proposal
    for target in ("invited", "internship", "hired"):
        response = client.post(f"/counsellor/proposals/{pid}/status", data={"to_status": target})
        assert response.status_code == 302
    with app.app_context():
        item = db.session.get(Proposal, pid)
        assert item.status == "hired"
        steps = [(e.from_status, e.to_status, e.actor_id, e.actor_role) for e in item.events]
        assert steps == [
            (None, "proposed", user, "counsellor"),
            ("proposed", "invited", user, "counsellor"),
            ("invited", "internship", user, "counsellor"),
            ("internship", "hired", user, "counsellor"),
        ]
        assert all(e.at is not None for e in item.events)
    html = client.get(f"/counsellor/proposals/{pid}").get_data(True)
    assert "Internship offered" in html
    assert "cannot change any more" in html


def test_decline_needs_a_reason(app, client, proposal):
    pid, _user = proposal
    response = client.post(f"/counsellor/proposals/{pid}/status",
                           data={"to_status": "declined", "confirmed": "y"})  # fmt: skip
    assert response.status_code == 400
    assert "Choose a reason for declining" in response.get_data(as_text=True)
    response = client.post(f"/counsellor/proposals/{pid}/status",
                           data={"to_status": "declined", "reason": "language",
                                 "confirmed": "y"})  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(Proposal, pid)
        assert (item.status, item.decline_reason, item.events[-1].reason) == (
            "declined",
            "language",
            "language",
        )


def test_unknown_status_is_refused(client, proposal):
    pid, _user = proposal
    response = client.post(f"/counsellor/proposals/{pid}/status", data={"to_status": "married"})
    assert response.status_code == 400


def test_open_proposals_list(client, proposal, login_as):
    pid, _user = proposal
    html = client.get("/counsellor/proposals").get_data(True)
    assert f"/counsellor/proposals/{pid}" in html
    client.post(f"/counsellor/proposals/{pid}/status",
                data={"to_status": "withdrawn", "confirmed": "y"})  # fmt: skip
    assert f"/counsellor/proposals/{pid}" not in client.get("/counsellor/proposals").get_data(True)


def test_open_proposals_mine_and_all(client, auth, proposal, login_as):
    pid, _user = proposal
    auth.logout()
    login_as("counsellor")
    assert f"/counsellor/proposals/{pid}" not in client.get("/counsellor/proposals").get_data(True)
    html = client.get("/counsellor/proposals?all=1").get_data(True)
    assert f"/counsellor/proposals/{pid}" in html


def test_notes_on_proposals_and_participants(app, client, proposal, world):
    pid, user = proposal
    response = client.post(
        f"/counsellor/proposals/{pid}/notes", data={"text": "Interview Di 10 Uhr"}
    )
    assert response.status_code == 302
    response = client.post(f"/counsellor/participants/{world['eligible']}/notes",
                           data={"text": "Braucht Kita-Platz ab Mai"})  # fmt: skip
    assert response.status_code == 302
    assert client.post(f"/counsellor/proposals/{pid}/notes", data={"text": " "}).status_code == 400
    response = client.post(f"/counsellor/participants/{world['eligible']}/notes", data={"text": ""})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(True)
    with app.app_context():
        notes = db.session.scalars(select(Note).order_by(Note.id)).all()
        assert [(n.text, n.proposal_id, n.author_id) for n in notes] == [
            ("Interview Di 10 Uhr", pid, user),
            ("Braucht Kita-Platz ab Mai", None, user),
        ]
    assert "Interview Di 10 Uhr" in client.get(f"/counsellor/proposals/{pid}").get_data(True)
    page = client.get(f"/counsellor/participants/{world['eligible']}").get_data(True)
    assert "Braucht Kita-Platz ab Mai" in page
    assert "Interview Di 10 Uhr" in page


def test_consent_to_share_recorded_and_withdrawn(app, client, proposal, world):
    pid, user = proposal
    url = f"/counsellor/participants/{world['eligible']}/consents"
    response = client.post(url, data={"organisation_id": world["org"]})
    assert response.status_code == 400  # the participant's agreement must be confirmed
    response = client.post(url, data={"organisation_id": world["org"], "agreed": "y"})
    assert response.status_code == 302
    with app.app_context():
        (consent,) = db.session.scalars(select(Consent)).all()
        assert consent.active
        assert consent.recorded_by_id == user
        assert services.identity_visible(db.session.get(Proposal, pid))
    assert "name and contact" in client.get(f"/counsellor/proposals/{pid}").get_data(True)
    response = client.post(f"{url}/{world['org']}/withdraw", data={"confirmed": "y"})
    assert response.status_code == 302
    with app.app_context():
        (consent,) = db.session.scalars(select(Consent)).all()
        assert not consent.active
        assert not services.identity_visible(db.session.get(Proposal, pid))


def test_consent_only_for_approved_employers(app, client, login_as, world, create_org):
    login_as("counsellor")
    pending = create_org(approved=False)
    url = f"/counsellor/participants/{world['eligible']}/consents"
    assert client.post(url, data={"organisation_id": pending, "agreed": "y"}).status_code == 400


POSTS = [
    ("post", "/counsellor/vacancies/{vacancy}/shortlist"),
    ("post", "/counsellor/vacancies/{vacancy}/shortlist/remove"),
    ("post", "/counsellor/vacancies/{vacancy}/propose"),
    ("get", "/counsellor/proposals"),
    ("get", "/counsellor/proposals/{pid}"),
    ("post", "/counsellor/proposals/{pid}/status"),
    ("post", "/counsellor/proposals/{pid}/notes"),
    ("post", "/counsellor/participants/{eligible}/notes"),
    ("post", "/counsellor/participants/{eligible}/consents"),
    ("post", "/counsellor/participants/{eligible}/consents/{org}/withdraw"),
    ("get", "/counsellor/participants/{eligible}/consents/{org}/withdraw"),
    ("get", "/counsellor/proposals/{pid}/withdraw"),
    ("get", "/counsellor/proposals/{pid}/decline"),
    ("get", "/counsellor/vacancies/{vacancy}/propose/{eligible}"),
]


@pytest.mark.parametrize(("method", "path"), POSTS)
def test_access_anonymous_employer_participant(app, client, auth, login_as, proposal, world,
                                               method, path):  # fmt: skip
    pid, _user = proposal
    auth.logout()
    url = path.format(pid=pid, **world)
    data = {"participant_id": world["eligible"], "to_status": "withdrawn", "text": "x",
            "organisation_id": world["org"], "agreed": "y"}  # fmt: skip
    send = getattr(client, method)
    response = send(url, data=data) if method == "post" else send(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    for role in ("employer", "participant"):
        login_as(role, organisation_id=world["org"] if role == "employer" else None)
        response = send(url, data=data) if method == "post" else send(url)
        assert response.status_code == 403, (role, url)
        auth.logout()
    with app.app_context():
        item = db.session.get(Proposal, pid)
        assert item.status == "proposed"
        assert db.session.scalars(select(Note)).all() == []
        assert db.session.scalars(select(Consent)).all() == []
        assert db.session.scalars(select(ShortlistEntry)).all() == []
        assert db.session.scalar(select(User).where(User.role == "employer")) is not None


@pytest.mark.parametrize(
    ("to_status", "path"), [("withdrawn", "withdraw"), ("declined", "decline")]
)
def test_ending_a_proposal_asks_first(app, client, proposal, to_status, path):
    pid, _user = proposal
    url = f"/counsellor/proposals/{pid}/status"
    data = {"to_status": to_status, "reason": "language"}
    response = client.post(url, data=data)  # from the status form, not confirmed
    assert response.headers["Location"].startswith(f"/counsellor/proposals/{pid}/{path}")
    with app.app_context():
        assert db.session.get(Proposal, pid).status == "proposed"
    page = client.get(response.headers["Location"]).get_data(True)
    assert "What will happen when you confirm" in page
    assert "its status cannot change any more" in page
    assert f'name="to_status" value="{to_status}"' in page
    assert 'name="confirmed" value="y"' in page
    assert ('name="reason"' in page) == (to_status == "declined")
    assert f'href="/counsellor/proposals/{pid}">Cancel' in page
    assert client.post(url, data={**data, "confirmed": "y"}).status_code == 302
    with app.app_context():
        assert db.session.get(Proposal, pid).status == to_status
    # Ended: nothing left to confirm.
    response = client.get(f"/counsellor/proposals/{pid}/{path}")
    assert response.headers["Location"] == f"/counsellor/proposals/{pid}"


def test_recording_a_consent_withdrawal_asks_first(app, client, proposal, world):
    pid, _user = proposal
    base = f"/counsellor/participants/{world['eligible']}/consents"
    client.post(base, data={"organisation_id": world["org"], "agreed": "y"})
    page = client.get(f"/counsellor/participants/{world['eligible']}").get_data(True)
    url = f"{base}/{world['org']}/withdraw"
    assert f'class="button danger" href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert "proposals to them show the pseudonym only" in response.get_data(True)
    assert client.post(url).headers["Location"] == url  # not confirmed
    with app.app_context():
        assert services.identity_visible(db.session.get(Proposal, pid))
    assert client.post(url, data={"confirmed": "y"}).status_code == 302
    with app.app_context():
        assert not services.identity_visible(db.session.get(Proposal, pid))
    assert client.get(url).headers["Location"].endswith("#consents")  # nothing left to withdraw
