"""Issue 11, finding 4: erasure leaves nothing that identifies her, on SQLite and PostgreSQL.

A participant with a full history (match lists both ways, embeddings, consent, shortlist,
proposal hired by the employer, placement with follow-ups, a note and a reminder naming her,
audit events about her records and, with an account, by her) is erased: by a counsellor behind
a fresh password (with or without an account), or by herself. Then every cell of every table is
searched (tests/security/traces.py): her values in any text or JSON, her erased ids in any
foreign key, audit or match-log subject, or JSON document. Audit rows stay only as anonymous
counts.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from placement.extensions import db
from tests.conftest import PASSWORD
from tests.security.traces import traces

ACCOUNT_EMAIL = "solomiia.k@account.example"
NEEDLES = (
    "Solomiia", "Kovalenko", "solomiia.kovalenko@mail.example", ACCOUNT_EMAIL, "0170 5559999",
    "99084", "Kyjiwer Klinik Nr. 7", "Kyjiwer Pflegeschule", "kov-ref-77",
    "Staplerschein seit 2019",
)  # fmt: skip


@pytest.fixture
def db_matcher(monkeypatch):
    """Rank with TF-IDF but keep embeddings in the database, as the app does."""
    from placement.matches import services
    from placement.matching import Matcher, TfidfEncoder

    def get_matcher(model=None, weights=None):
        return Matcher(encoder=TfidfEncoder(), lexicon=services.shipped_lexicon(),
                       cache=services.DbEmbeddingCache())  # fmt: skip

    monkeypatch.setattr(services, "get_matcher", get_matcher)


def _her_embedding_keys(person) -> set[str]:
    from placement.matches.services import candidate_record, shipped_lexicon
    from placement.matching.cache import text_key
    from placement.matching.scoring import bridge_text, candidate_side

    record = candidate_record(person)
    bridge = bridge_text(shipped_lexicon(), candidate_side(shipped_lexicon(), record))
    return {text_key(record.text()), text_key(record.text() + (f"\n{bridge}" if bridge else ""))}


def _erased_ids(pid: int, user_id: int | None) -> dict[str, set[int]]:
    """Ids of every row of hers, by table: what the search must not find afterwards."""
    from placement.participants.models import Interest, Qualification
    from placement.placements.models import FollowUp, Placement, Reminder
    from placement.proposals.models import Consent, Note, Proposal, ProposalEvent, ShortlistEntry

    def ids(model, where) -> set[int]:
        return set(db.session.scalars(select(model.id).where(where)))

    proposals = ids(Proposal, Proposal.participant_id == pid)
    placements = ids(Placement, Placement.participant_id == pid)
    follow_ups = ids(FollowUp, FollowUp.placement_id.in_(placements))
    erased = {
        "participant": {pid},
        "proposal": proposals,
        "proposal_event": ids(ProposalEvent, ProposalEvent.proposal_id.in_(proposals)),
        "placement": placements,
        "follow_up": follow_ups,
        "follow_up_reminder": ids(Reminder, Reminder.follow_up_id.in_(follow_ups)),
        "consent": ids(Consent, Consent.participant_id == pid),
        "shortlist_entry": ids(ShortlistEntry, ShortlistEntry.participant_id == pid),
        "note": ids(Note, Note.participant_id == pid),
        "qualification": ids(Qualification, Qualification.participant_id == pid),
        "interest": ids(Interest, Interest.participant_id == pid),
        "user": {user_id} if user_id else set(),
    }
    for table in ("proposal", "placement", "follow_up", "follow_up_reminder", "consent",
                  "shortlist_entry", "note", "qualification"):  # fmt: skip
        assert erased[table], table  # the history has one of each
    return erased


@pytest.fixture
def history(app, db_matcher, create_org, create_vacancy, create_user, create_participant):
    """Her full history; ``history(account=True)`` gives her an account that was used."""
    from placement.accounts.models import User
    from placement.accounts.services import authenticate
    from placement.accounts.services import create_user as new_user
    from placement.audit.services import record
    from placement.employers.models import Vacancy
    from placement.matches import services as matches
    from placement.participants.interests import mark_interest
    from placement.participants.models import Participant
    from placement.placements.models import FollowUp, Placement, Reminder
    from placement.placements.services import record_follow_up
    from placement.proposals import services

    def factory(account: bool) -> dict:
        org = create_org()
        vacancy_id = create_vacancy(org)
        counsellor_id, counsellor_email = create_user("counsellor")
        employer_id, _ = create_user("employer", organisation_id=org)
        other = create_participant(first_name="Amira", consent_matching=True)
        pid = create_participant(
            first_name="Solomiia", last_name="Kovalenko", postcode="99084",
            email="solomiia.kovalenko@mail.example", phone="0170 5559999",
            consent_matching=True, profile_text="Pflegekraft aus der Kyjiwer Klinik Nr. 7",
            skills=["Grundpflege"], desired_occupations=["Pflegehelferin"],
            qualifications=[{"title": "Kyjiwer Pflegeschule", "recognition": "partial"}],
        )  # fmt: skip
        with app.app_context():
            counsellor = db.session.get(User, counsellor_id)
            employer = db.session.get(User, employer_id)
            person, vacancy = db.session.get(Participant, pid), db.session.get(Vacancy, vacancy_id)
            person.external_ref = "kov-ref-77"
            user_id = None
            if account:
                user = new_user(ACCOUNT_EMAIL, "Solomiia Kovalenko", "participant", PASSWORD)
                person.user_id = user_id = user.id
                db.session.flush()
                record(user, "user.login", "user", user.id)
                mark_interest(person, vacancy, user)
            authenticate(person.email, "a wrong password!", 5, 15, "10.9.9.9")
            matches.rank_participants(vacancy, counsellor)
            matches.rank_vacancies(person, counsellor)
            embedding_keys = _her_embedding_keys(person)
            services.give_consent(person, vacancy.organisation, counsellor)
            services.add_to_shortlist(vacancy, person, counsellor)
            proposal = services.propose(vacancy, person, counsellor)
            services.change_status(proposal, "hired", employer)
            record(employer, "proposal.answer", "proposal", proposal.id, status="hired")
            record(employer, "participant.view", "participant", pid)
            db.session.flush()
            placement = db.session.scalars(
                select(Placement).where(Placement.participant_id == pid)
            ).one()
            follow_up = db.session.scalars(
                select(FollowUp).where(FollowUp.placement_id == placement.id)
            ).first()
            record_follow_up(follow_up, {"contact_made": True, "still_employed": True,
                                         "note": "Frau Kovalenko ist zufrieden."},
                             counsellor)  # fmt: skip
            db.session.add(Reminder(follow_up_id=follow_up.id, due_date=follow_up.due_date,
                                    recipient=counsellor_email))  # fmt: skip
            services.add_note(person, counsellor, "Staplerschein seit 2019, Gespräch geführt")
            record(counsellor, "participant.view", "participant", pid)
            db.session.commit()
            return {
                "pid": pid, "user_id": user_id, "other": other, "placement": placement.id,
                "counsellor_email": counsellor_email, "embeddings": embedding_keys,
            }  # fmt: skip

    return factory


def _erase(client, auth, url: str, email: str) -> None:
    client.post("/language", data={"locale": "en"})
    auth.login(email)
    assert "confirm-password" in client.get(url).headers["Location"]  # fresh password first
    client.post("/confirm-password", data={"password": PASSWORD, "next": url})
    assert client.post(url, data={}).status_code == 400  # not confirmed: nothing happens
    assert client.post(url, data={"confirm": "y"}).status_code == 302


@pytest.mark.parametrize(
    ("account", "by"), [(False, "counsellor"), (True, "counsellor"), (True, "herself")]
)
def test_erasure_leaves_nothing_that_identifies_her(app, client, auth, history, account, by):
    from placement.accounts.models import LoginFailure, User
    from placement.audit.models import AuditEvent
    from placement.matches.models import Embedding, MatchLog
    from placement.participants.models import Participant
    from placement.participants.rights import outcome_counts

    her = history(account)
    with app.app_context():
        erased = _erased_ids(her["pid"], her["user_id"])
        found = {(table, what.split(" ")[0]) for table, _column, what in traces(NEEDLES, erased)}
        # The search finds her before: in texts, foreign keys, the audit log, match lists.
        for expected in [("participant", "text"), ("follow_up", "text"), ("note", "text"),
                         ("placement", "participant"), ("audit_event", "participant"),
                         ("audit_event", "placement"), ("audit_event", "proposal"),
                         ("match_log", "participant")]:  # fmt: skip
            assert expected in found, expected
        assert db.session.scalar(
            select(func.count(Embedding.id)).where(Embedding.text_hash.in_(her["embeddings"]))
        )
        assert db.session.scalar(select(func.count(LoginFailure.id))) == 1
        counts = outcome_counts()
        events = db.session.scalar(select(func.count(AuditEvent.id)))

    if by == "herself":
        _erase(client, auth, "/me/data/delete", ACCOUNT_EMAIL)
    else:
        _erase(client, auth, f"/counsellor/participants/{her['pid']}/erase",
               her["counsellor_email"])  # fmt: skip

    with app.app_context():
        assert traces(NEEDLES, erased) == []
        assert db.session.get(Participant, her["pid"]) is None
        if her["user_id"]:
            assert db.session.get(User, her["user_id"]) is None
        assert (
            db.session.scalar(
                select(func.count(Embedding.id)).where(Embedding.text_hash.in_(her["embeddings"]))
            )
            == 0
        )
        assert db.session.scalar(select(func.count(LoginFailure.id))) == 0
        assert db.session.scalars(select(MatchLog)).all()  # the vacancy's list stays, without her
        assert outcome_counts() == counts  # anonymous counts stay
        # Audit rows stay as counts (+1: the erasure, +1: the sign-in with a fresh password,
        # +1 for the counsellor: the reauthentication): none keyed to anyone of hers.
        assert db.session.scalar(select(func.count(AuditEvent.id))) > events
        erasure = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "participant.erase")
        ).one()
        assert erasure.subject_id is None
        if by == "herself":
            assert (erasure.actor_id, erasure.actor_role) == (None, "participant")
        else:
            counsellor = db.session.scalar(
                select(User).where(User.email == her["counsellor_email"])
            )
            assert (erasure.actor_id, erasure.actor_role) == (counsellor.id, "counsellor")
        assert db.session.get(Participant, her["other"]) is not None
    if by == "counsellor":
        assert client.get(f"/counsellor/placements/{her['placement']}").status_code == 404
    else:
        assert client.get("/me/").status_code == 302  # signed out
        assert auth.login(ACCOUNT_EMAIL).status_code == 401


def test_other_roles_cannot_erase(client, login_as, create_participant):
    pid = create_participant()
    login_as("employer")
    url = f"/counsellor/participants/{pid}/erase"
    assert client.post(url, data={"confirm": "y"}).status_code in (403, 404)
