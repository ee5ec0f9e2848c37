"""Issue 11, finding 7: concurrent moves of one proposal; only one wins, history stays linear."""

from __future__ import annotations

import threading
from functools import partial

import pytest
from sqlalchemy import select

from placement.accounts.models import User
from placement.extensions import db
from placement.proposals.models import Proposal
from placement.proposals.services import ProposalError, change_status
from tests.conftest import run_in_threads
from tests.proposals.test_proposals import proposal  # noqa: F401  (fixture)


def test_stale_read_cannot_move_a_proposal_twice(app, proposal):  # noqa: F811
    pid, user_id = proposal
    with app.app_context():
        stale = db.session.get(Proposal, pid)  # read as "proposed" ...
        actor = db.session.get(User, user_id)
        with app.app_context():  # ... another request withdraws it meanwhile
            db.session.execute(
                Proposal.__table__.update().where(Proposal.id == pid).values(status="withdrawn")
            )
            db.session.commit()
        with pytest.raises(ProposalError, match="changed meanwhile"):
            change_status(stale, "hired", actor)
        db.session.rollback()
    with app.app_context():
        item = db.session.get(Proposal, pid)
        assert item.status == "withdrawn"
        assert [e.to_status for e in item.events] == ["proposed"]


def test_three_concurrent_moves_one_wins(app, proposal):  # noqa: F811
    pid, user_id = proposal
    barrier = threading.Barrier(3, timeout=30)
    outcomes: list[str] = []

    def move(target: str) -> None:
        with app.app_context():
            item = db.session.get(Proposal, pid)
            actor = db.session.get(User, user_id)
            assert item.status == "proposed"
            barrier.wait()
            try:
                change_status(item, target, actor)
                db.session.commit()
                outcomes.append(target)
            except ProposalError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    run_in_threads(*(partial(move, target) for target in ("withdrawn", "hired", "hired")))
    assert sorted(outcomes).count("refused") == 2, outcomes
    with app.app_context():
        item = db.session.scalar(select(Proposal).where(Proposal.id == pid))
        steps = [(e.from_status, e.to_status) for e in item.events]
        assert len(steps) == 2
        assert steps[1] == ("proposed", item.status)
