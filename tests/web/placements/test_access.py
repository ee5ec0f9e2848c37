"""Access: placement pages and statistics are for counsellors and admins only; proposals that
end in "hired" create exactly one placement."""

from __future__ import annotations

import pytest

from placement.extensions import db
from placement.placements.models import Placement


def _routes(pid, fid):
    base = f"/counsellor/placements/{pid}"
    return [
        ("get", "/counsellor/placements/"),
        ("get", "/counsellor/placements/new"),
        ("post", "/counsellor/placements/new"),
        ("get", base),
        ("get", f"{base}/edit"),
        ("post", f"{base}/edit"),
        ("post", f"{base}/follow-ups"),
        ("post", f"{base}/follow-ups/{fid}/move"),
        ("post", f"{base}/follow-ups/{fid}/remove"),
        ("get", f"{base}/follow-ups/{fid}"),
        ("post", f"{base}/follow-ups/{fid}"),
        ("get", "/counsellor/statistics/"),
        ("get", "/counsellor/statistics/network.svg"),
        ("get", "/counsellor/statistics/retention.csv"),
    ]


@pytest.fixture
def placement_ids(app, create_placement):
    pid = create_placement()
    with app.app_context():
        return pid, db.session.get(Placement, pid).follow_ups[0].id


def test_anonymous_is_sent_to_login(client, placement_ids):
    for method, url in _routes(*placement_ids):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/login" in response.location, url


@pytest.mark.parametrize("role", ["employer", "participant"])
def test_other_roles_are_refused(client, login_as, placement_ids, app, role):
    login_as(role)
    for method, url in _routes(*placement_ids):
        assert getattr(client, method)(url).status_code == 403, url
    with app.app_context():
        assert len(db.session.get(Placement, placement_ids[0]).follow_ups) == 4  # nothing changed


def test_counsellor_enters_a_placement(client, login_as, app, create_org, create_participant):
    login_as("counsellor")
    org, person = create_org(name="Pflegeheim Linden"), create_participant(phase=4)
    assert client.get(f"/counsellor/placements/new?participant_id={person}").status_code == 200
    response = client.post("/counsellor/placements/new", data={
        "participant_id": person, "organisation_id": org, "vacancy_id": "",
        "title": "Pflegehilfskraft", "start_date": "2026-02-01", "contract_type": "fixed_term",
        "contract_end": "", "hours_per_week": "30", "wage_band": ""})  # fmt: skip
    assert response.status_code == 400
    assert b"A fixed-term contract needs its end date." in response.data
    data = {"participant_id": person, "organisation_id": org, "vacancy_id": "",
            "title": "Pflegehilfskraft", "start_date": "2026-02-01",
            "contract_type": "fixed_term", "contract_end": "2027-01-31",
            "hours_per_week": "30", "wage_band": "2500_3500"}  # fmt: skip
    response = client.post("/counsellor/placements/new", data=data)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Pflegehilfskraft" in page
    assert "Pflegeheim Linden" in page
    with app.app_context():
        item = db.session.scalar(db.select(Placement))
        assert (item.contract_type, item.wage_band, item.participant.phase) == (
            "fixed_term",
            "2500_3500",
            5,
        )
        assert len(item.follow_ups) == 4


def test_vacancy_of_another_employer_is_refused(client, login_as, create_org, create_vacancy,
                                                create_participant):  # fmt: skip
    login_as("counsellor")
    org, other = create_org(), create_org()
    vacancy = create_vacancy(other)
    response = client.post("/counsellor/placements/new", data={
        "participant_id": create_participant(), "organisation_id": org, "vacancy_id": vacancy,
        "title": "Lager", "start_date": "2026-02-01", "contract_type": "permanent"})  # fmt: skip
    assert response.status_code == 400
    assert b"This vacancy belongs to another employer." in response.data


@pytest.mark.parametrize(("steps", "placements"), [
    (["hired"], 1), (["internship", "hired"], 1), (["invited", "declined"], 0),
])  # fmt: skip
def test_proposal_outcome_creates_one_placement(app, create_org, create_vacancy,
                                                create_participant, create_user, create_proposal,
                                                steps, placements):  # fmt: skip
    from placement.accounts.models import User
    from placement.placements.services import placement_from_proposal
    from placement.proposals.models import Proposal
    from placement.proposals.services import change_status

    counsellor, _email = create_user("counsellor")
    vacancy = create_vacancy(create_org())
    person = create_participant(consent_matching=True)
    proposal_id = create_proposal(vacancy, person, counsellor)
    with app.app_context():
        proposal, actor = db.session.get(Proposal, proposal_id), db.session.get(User, counsellor)
        for step in steps:
            change_status(proposal, step, actor, reason="other" if step == "declined" else None)
        placement_from_proposal(proposal, actor)  # a second call changes nothing
        db.session.commit()
        rows = db.session.scalars(db.select(Placement)).all()
        assert len(rows) == placements
        if placements:
            assert rows[0].proposal_id == proposal_id
            assert rows[0].source == "proposal"
            assert rows[0].participant.phase == 5
            assert rows[0].counsellor_id == counsellor
