"""A participant who said no to "still interested?" is not ranked for vacancies nor proposed
by accident; the counsellor sees why; a yes brings her back."""

from __future__ import annotations

import pytest

from placement.accounts.models import User
from placement.extensions import db
from placement.participants.models import Participant


def _answer(app, pid: int, wants: str, actor_id: int) -> None:
    from placement.participants.activity import answer

    with app.app_context():
        answer(db.session.get(Participant, pid), wants, db.session.get(User, actor_id))
        db.session.commit()


def test_a_no_leaves_the_match_list_and_blocks_proposals_until_a_yes(app, client, login_as,
                                                                   world):  # fmt: skip
    from placement.employers.models import Vacancy
    from placement.proposals.services import ProposalError, propose

    counsellor = login_as("counsellor")
    url = f"/counsellor/vacancies/{world['vacancy']}/matches"
    assert "Amina" in client.get(url).get_data(as_text=True)
    _answer(app, world["eligible"], "no", counsellor)
    assert "Amina" not in client.get(url).get_data(as_text=True)
    page = client.get(f"/counsellor/participants/{world['eligible']}").get_data(as_text=True)
    assert "not in match lists and not proposed until they say yes again" in page
    with app.app_context(), pytest.raises(ProposalError, match="Still interested"):
        propose(db.session.get(Vacancy, world["vacancy"]),
                db.session.get(Participant, world["eligible"]),
                db.session.get(User, counsellor))  # fmt: skip
    _answer(app, world["eligible"], "yes", counsellor)
    assert "Amina" in client.get(url).get_data(as_text=True)
    page = client.get(f"/counsellor/participants/{world['eligible']}").get_data(as_text=True)
    assert "not in match lists" not in page
