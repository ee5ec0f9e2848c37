"""Data rights of a participant: who viewed the profile, a copy of all their data (GDPR Art. 15
and 20), and erasure (Art. 17) that keeps anonymous counts for reporting.

Erasure design: the participant row is deleted, and with it, by the database's ON DELETE
CASCADE (enforced on SQLite too), everything hanging on it: qualifications, consents,
interests, shortlist entries, proposals with their history, notes, placements with their
follow-ups and reminders. Files of the instance folder that name her go too (erasure_files.py:
pending import uploads, e-mails in the file mail log). Her account goes too, with the failed
sign-ins kept for her addresses, and the stored embeddings of her profile texts. Before that,
one ``AnonymousOutcome`` row for the person and one per proposal keep what reporting needs
(month, phase, last status, kind of vacancy) without anything that leads back to them. Audit
events and match logs keep their shape (AI Act Art. 12: what was shown, when, by which engine)
but identify nobody any more: events about her, her records or by her account lose actor,
subject and details; her own match lists are deleted, and in other match lists her entry keeps
its score without an id. Services take explicit arguments and only flush.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import and_, delete, func, inspect, or_, select, text, update

from placement.accounts.models import User
from placement.accounts.services import delete_account, forget_login_failures, hash_password
from placement.audit.models import AuditEvent
from placement.audit.services import record
from placement.employers.models import Organisation
from placement.extensions import db, utcnow
from placement.matches.models import MatchLog
from placement.participants.erasure_files import Needles, Places, erase_files
from placement.participants.models import AnonymousOutcome, Participant
from placement.participants.services import PROFILE_FIELDS, QUALIFICATION_FIELDS
from placement.proposals.models import (
    Consent,
    Note,
    Proposal,
)

ERASED_NAME = "erased account"


@dataclass
class ProfileView:
    """One view of a profile, as the participant is shown it."""

    at: datetime
    role: str | None
    name: str | None  # counsellor's name, or the employer's organisation name


def profile_views(participant: Participant, limit: int | None = None) -> list[ProfileView]:
    """Views of the profile by counsellors, admins and employers, newest first.

    Only events since the profile was created count: on SQLite an id may be reused after an
    erasure, and the views of an erased person must never show up on someone else's page.
    """
    query = (
        select(AuditEvent, User, Organisation)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(
            AuditEvent.action == "participant.view",
            AuditEvent.subject_type == "participant",
            AuditEvent.subject_id == participant.id,
            AuditEvent.at >= participant.created_at,
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if limit:
        query = query.limit(limit)
    views = []
    for event, user, organisation in db.session.execute(query):
        if event.actor_role == "employer":
            name = organisation.name if organisation else None
        else:
            name = user.name if user and user.active else None
        views.append(ProfileView(event.at, event.actor_role, name))
    return views


def _iso(value):
    return value.isoformat() if value is not None else None


def _proposal_data(proposal: Proposal) -> dict:
    vacancy = proposal.vacancy
    return {
        "vacancy": {
            "id": vacancy.id,
            "title": vacancy.title,
            "kind": vacancy.kind,
            "employer": vacancy.organisation.name,
        },
        "status": proposal.status,
        "decline_reason": proposal.decline_reason,
        "created_at": _iso(proposal.created_at),
        "match_snapshot": proposal.match_snapshot,
        "history": [
            {
                "at": _iso(e.at),
                "by_role": e.actor_role,
                "from": e.from_status,
                "to": e.to_status,
                "reason": e.reason,
            }
            for e in proposal.events
        ],
    }


def _match_lists(participant: Participant) -> list[dict]:
    """Each logged match list the person appeared in (their own suggestions, and rankings for
    vacancies), with their score: the information about automated ranking of Art. 15(1)(h)."""
    own_id = str(participant.id)
    out = []
    logs = db.session.scalars(
        select(MatchLog).where(MatchLog.at >= participant.created_at).order_by(MatchLog.at)
    )
    for log in logs:
        if log.subject_type == "participant" and log.subject_id == participant.id:
            out.append(
                {
                    "at": _iso(log.at),
                    "list": "suggestions for you",
                    "engine": log.engine_version,
                    "model": log.model_name,
                    "vacancies": log.results,
                }
            )
        elif log.subject_type == "vacancy":
            mine = [r for r in log.results or [] if str(r.get("id")) == own_id]
            if mine:
                out.append(
                    {
                        "at": _iso(log.at),
                        "list": "ranking for a vacancy",
                        "vacancy_id": log.subject_id,
                        "engine": log.engine_version,
                        "model": log.model_name,
                        "your_result": mine[0],
                    }
                )
    return out


def personal_data(participant: Participant) -> dict:
    """Everything stored about the participant, as JSON-safe data, and nothing about others."""
    profile = {key: getattr(participant, key) for key in PROFILE_FIELDS}
    for key in ("permit_expires", "earliest_start"):
        profile[key] = _iso(profile[key])
    profile["qualifications"] = [
        {k: getattr(q, k) for k in QUALIFICATION_FIELDS} for q in participant.qualifications
    ]
    profile["created_at"] = _iso(participant.created_at)
    profile["updated_at"] = _iso(participant.updated_at)
    user = participant.user
    consents = db.session.scalars(
        select(Consent).where(Consent.participant_id == participant.id).order_by(Consent.id)
    )
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.participant_id == participant.id).order_by(Proposal.id)
    )
    notes = db.session.execute(
        select(Note, User.name)
        .outerjoin(User, User.id == Note.author_id)
        .where(Note.participant_id == participant.id)
        .order_by(Note.id)
    )
    return {
        "format": "placement personal data export 1",
        "exported_at": _iso(utcnow()),
        "account": None
        if user is None
        else {
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "locale": user.locale,
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "profile": profile,
        "counsellor": participant.counsellor.name if participant.counsellor else None,
        "consents": [
            {
                "employer": c.organisation.name,
                "given_at": _iso(c.given_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in consents
        ],
        "interests": [
            {
                "vacancy_id": i.vacancy_id,
                "title": i.vacancy.title,
                "employer": i.vacancy.organisation.name,
                "at": _iso(i.created_at),
            }
            for i in participant.interests
        ],
        "proposals": [_proposal_data(p) for p in proposals],
        "notes": [
            {
                "at": _iso(note.created_at),
                "author": author,
                "text": note.text,
                "proposal_id": note.proposal_id,
            }
            for note, author in notes
        ],
        "profile_views": [
            {"at": _iso(v.at), "role": v.role, "by": v.name} for v in profile_views(participant)
        ],
        "match_lists": _match_lists(participant),
    }


def _month(value: datetime | None) -> str:
    return (value or utcnow()).strftime("%Y-%m")


def _ids(query) -> list[int]:
    return list(db.session.scalars(query))


def erase_participant(participant: Participant, actor: User | None,
                      places: Places | None = None) -> None:  # fmt: skip
    """Erase a participant's personal data (Art. 17); anonymous counts stay. Only flushes.

    ``actor`` is the counsellor who erases on her request, or her own account (which goes too:
    the erasure event then names no actor, only the role). ``places``: the instance folder's
    files that may name her (pending import uploads, the file mail log), cleaned as well.
    """
    from placement.placements.models import FollowUp, Placement

    pid = participant.id
    user = participant.user
    needles = Needles.of(participant)
    proposals = db.session.scalars(select(Proposal).where(Proposal.participant_id == pid)).all()
    db.session.add(
        AnonymousOutcome(
            kind="participant", month=_month(participant.created_at), phase=participant.phase
        )
    )
    for proposal in proposals:
        db.session.add(
            AnonymousOutcome(
                kind="proposal",
                month=_month(proposal.created_at),
                phase=participant.phase,
                status=proposal.status,
                vacancy_kind=proposal.vacancy.kind,
            )
        )
    placements = select(Placement.id).where(Placement.participant_id == pid)
    # Her records by the subject_type the audit log names them with.
    keys = {
        "participant": [pid],
        "proposal": [p.id for p in proposals],
        "placement": _ids(placements),
        "follow_up": _ids(select(FollowUp.id).where(FollowUp.placement_id.in_(placements))),
        "consent": _ids(select(Consent.id).where(Consent.participant_id == pid)),
        "note": _ids(select(Note.id).where(Note.participant_id == pid)),
        "user": [user.id] if user is not None else [],
    }
    _erase_embeddings(participant)
    _erase_from_logs(keys)
    # One delete: the database's ON DELETE CASCADE (enforced on SQLite too, see extensions.py)
    # takes qualifications, interests, consents, shortlist entries, proposals with their
    # history and notes, notes, placements with their follow-ups and reminders.
    db.session.delete(participant)
    db.session.flush()
    forget_login_failures([participant.email])
    self_erasure = actor is not None and user is not None and actor.id == user.id
    if user is not None:
        delete_account(user)
    # Her own request names no account (it is gone), only the role.
    record(SimpleNamespace(role=user.role) if self_erasure else actor,
           "participant.erase", "participant", None)  # fmt: skip
    db.session.flush()
    if places is not None:
        erase_files(needles, places)


def _erase_embeddings(participant: Participant) -> None:
    """Embeddings of her profile texts, the current one and every earlier version.

    The cache is keyed by a hash of the text only, so earlier versions of her profile cannot be
    told apart from other stale texts: every embedding stored since her record was created that
    belongs to no current record (participant or vacancy) is deleted. The others are recomputed
    on demand, so this costs at most some encoding later.
    """
    from placement.employers.models import Vacancy
    from placement.matches.models import Embedding
    from placement.matches.services import candidate_record, shipped_lexicon, vacancy_record
    from placement.matching.cache import text_key
    from placement.matching.scoring import bridge_text, candidate_side, vacancy_side

    lexicon = shipped_lexicon()
    keep: set[str] = set()
    others = select(Participant).where(Participant.id != participant.id)
    for record_, side in [
        *(
            (r, candidate_side(lexicon, r))
            for r in map(candidate_record, db.session.scalars(others))
        ),
        *(
            (r, vacancy_side(lexicon, r))
            for r in map(vacancy_record, db.session.scalars(select(Vacancy)))
        ),
    ]:
        bridge = bridge_text(lexicon, side)
        keep.add(text_key(record_.text()))
        keep.add(text_key(record_.text() + (f"\n{bridge}" if bridge else "")))
    stale = [
        key
        for key in db.session.scalars(
            select(Embedding.text_hash).where(Embedding.created_at >= participant.created_at)
        )
        if key not in keep
    ]
    for start in range(0, len(stale), 500):
        keys = stale[start : start + 500]
        if db.engine.dialect.name == "postgresql" and inspect(db.engine).has_table(
            "embedding_vector"
        ):
            db.session.execute(
                text("DELETE FROM embedding_vector WHERE text_hash = ANY(:keys)"), {"keys": keys}
            )
        db.session.execute(delete(Embedding).where(Embedding.text_hash.in_(keys)))


def _erase_from_logs(keys: dict[str, list[int]]) -> None:
    """Match lists and audit events keep their shape but no longer lead to her.

    Her own match lists go; in a vacancy's list her entry keeps its score without an id. Audit
    events about her or her records (``keys``: ids by subject type), and those by her account,
    stay as anonymous counts (when, which action, which role) without actor, subject or
    details: they identify nobody.
    """
    pid = keys["participant"][0]
    db.session.execute(
        delete(MatchLog).where(MatchLog.subject_type == "participant", MatchLog.subject_id == pid)
    )
    key = str(pid)
    for log in db.session.scalars(select(MatchLog).where(MatchLog.subject_type == "vacancy")):
        results = log.results or []
        if any(str(r.get("id")) == key for r in results):
            log.results = [{**r, "id": None} if str(r.get("id")) == key else r for r in results]
    about_her = [
        and_(AuditEvent.subject_type == kind, AuditEvent.subject_id.in_(ids))
        for kind, ids in keys.items()
        if ids
    ]
    if keys["user"]:
        about_her.append(AuditEvent.actor_id.in_(keys["user"]))
    db.session.execute(
        update(AuditEvent)
        .where(or_(*about_her))
        .values(actor_id=None, subject_id=None, details=None)
    )


def deactivate_account(user: User) -> None:
    """Sign out everywhere and make the account unusable and nameless."""
    token = secrets.token_hex(16)
    user.active = False
    user.email = f"erased-{token}@erased.invalid"
    user.name = ERASED_NAME
    user.locale = None
    user.last_login_at = None
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.session_token = secrets.token_hex(16)


def outcome_counts() -> dict:
    """Counts for reporting: live records plus what erased participants left behind."""
    anonymous = select(AnonymousOutcome.kind, AnonymousOutcome.status, func.count()).group_by(
        AnonymousOutcome.kind, AnonymousOutcome.status
    )
    participants = db.session.scalar(select(func.count(Participant.id))) or 0
    by_status: dict[str, int] = {}
    for status, n in db.session.execute(
        select(Proposal.status, func.count()).group_by(Proposal.status)
    ):
        by_status[status] = by_status.get(status, 0) + n
    for kind, status, n in db.session.execute(anonymous):
        if kind == "participant":
            participants += n
        elif status:
            by_status[status] = by_status.get(status, 0) + n
    return {
        "participants": participants,
        "proposals": sum(by_status.values()),
        "proposals_by_status": by_status,
        "placements": by_status.get("hired", 0),
    }
