"""Issue 11, finding 4: erasure leaves nothing that identifies her, on SQLite and PostgreSQL;
counsellors erase participants without an account, behind a fresh password, logged."""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, String, Text, func, select

from placement.extensions import db
from tests.conftest import PASSWORD

NEEDLES = ("Kovalenko", "olena.kovalenko@mail.example", "0170 5559999", "Kyjiwer Pflegeschule")


def text_hits(needles) -> list[tuple[str, str]]:
    """(table, column) of every text or JSON cell holding one of the needles."""
    hits = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is not None and any(n in str(value) for n in needles):
                    hits.append((table.name, column.name))
    return hits


@pytest.fixture
def db_matcher(monkeypatch):
    """Rank with TF-IDF but keep embeddings in the database, as the app does."""
    from placement.matches import services
    from placement.matching import Matcher, TfidfEncoder

    def get_matcher(model=None, weights=None):
        return Matcher(encoder=TfidfEncoder(), lexicon=services.shipped_lexicon(),
                       cache=services.DbEmbeddingCache())  # fmt: skip

    monkeypatch.setattr(services, "get_matcher", get_matcher)


@pytest.fixture
def history(app, db_matcher, create_org, create_vacancy, create_user, create_participant):
    """A participant without an account, proposed, hired, followed up and reminded."""
    from placement.accounts.models import User
    from placement.audit.services import record
    from placement.employers.models import Vacancy
    from placement.matches import services as matches
    from placement.participants.models import Participant
    from placement.placements.models import FollowUp, Placement, Reminder
    from placement.proposals import services

    org = create_org()
    vacancy_id = create_vacancy(org)
    counsellor_id, _ = create_user("counsellor")
    other = create_participant(first_name="Amira", consent_matching=True)
    pid = create_participant(
        first_name="Olena", last_name="Kovalenko", email="olena.kovalenko@mail.example",
        phone="0170 5559999", consent_matching=True, profile_text="Pflegekraft, Lager",
        qualifications=[{"title": "Kyjiwer Pflegeschule", "recognition": "partial"}],
    )  # fmt: skip
    with app.app_context():
        counsellor = db.session.get(User, counsellor_id)
        person, vacancy = db.session.get(Participant, pid), db.session.get(Vacancy, vacancy_id)
        matches.rank_participants(vacancy, counsellor)
        matches.rank_vacancies(person, counsellor)
        proposal = services.propose(vacancy, person, counsellor)
        services.change_status(proposal, "hired", counsellor)
        db.session.flush()
        # "hired" made the placement (with its follow-up schedule).
        placement = db.session.scalars(
            select(Placement).where(Placement.participant_id == pid)
        ).one()
        follow_up = db.session.scalars(
            select(FollowUp).where(FollowUp.placement_id == placement.id)
        ).first()
        follow_up.note = "Frau Kovalenko ist zufrieden."
        db.session.add(Reminder(follow_up_id=follow_up.id, due_date=follow_up.due_date,
                                recipient="counsellor@test.example"))  # fmt: skip
        services.add_note(person, counsellor, "Gespräch mit Frau Kovalenko")
        record(counsellor, "participant.view", "participant", pid)
        db.session.commit()
        return {"pid": pid, "other": other, "placement": placement.id, "counsellor": counsellor_id}


def test_counsellor_erases_a_participant_without_account(app, client, auth, create_user, history):
    from placement.audit.models import AuditEvent
    from placement.matches.models import Embedding, MatchLog
    from placement.participants.models import Participant
    from placement.placements.models import FollowUp, Placement, Reminder

    pid = history["pid"]
    with app.app_context():
        assert text_hits(NEEDLES)  # the search finds her before
        embeddings_before = db.session.scalar(select(func.count(Embedding.id)))
    _, email = create_user("counsellor")
    auth.login(email)
    url = f"/counsellor/participants/{pid}/erase"
    assert "confirm-password" in client.get(url).headers["Location"]  # fresh password first
    client.post("/confirm-password", data={"password": PASSWORD, "next": url})
    assert client.post(url, data={}).status_code == 400  # not confirmed: nothing happens
    assert client.post(url, data={"confirm": "y"}).status_code == 302
    with app.app_context():
        assert db.session.get(Participant, pid) is None
        assert text_hits(NEEDLES) == []
        for model in (Placement, FollowUp, Reminder):
            assert db.session.scalar(select(func.count(model.id))) == 0, model
        logs = db.session.scalars(select(MatchLog)).all()
        assert logs  # the vacancy's list stays, without her
        for log in logs:
            assert not (log.subject_type == "participant" and log.subject_id == pid)
            assert str(pid) not in {str(r["id"]) for r in log.results}
        keyed = select(AuditEvent).where(
            AuditEvent.subject_type == "participant", AuditEvent.subject_id == pid
        )
        assert db.session.scalars(keyed).all() == []
        erased = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant.erase")
        ).all()
        assert len(erased) == 1
        assert db.session.scalar(select(func.count(Embedding.id))) < embeddings_before
        assert db.session.get(Participant, history["other"]) is not None
    assert client.get(f"/counsellor/placements/{history['placement']}").status_code == 404


def test_other_roles_cannot_erase(client, login_as, history):
    login_as("employer")
    url = f"/counsellor/participants/{history['pid']}/erase"
    assert client.post(url, data={"confirm": "y"}).status_code in (403, 404)
