"""The matching app's records: stored embeddings (one row per model and text hash, reused across
requests and restarts) and the log of every match list shown (``MatchLog``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from placement.extensions import db, utcnow


class Embedding(db.Model):
    __tablename__ = "embedding"
    __table_args__ = (UniqueConstraint("model", "text_hash", name="uq_embedding_model_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(String(200), index=True)
    text_hash: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int]
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PreparedRecord(db.Model):
    """What the engine derived of one record's content (occupations, skills, constraint fields),
    kept so that no worker derives it again; keyed by a hash of the content and of the lexicon
    and occupation index it was derived with (placement/matching/engine.py, `feature_key`)."""

    __tablename__ = "prepared_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    features: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MatchLog(db.Model):
    """Each match list shown to a person: who, when, for which record, engine and model.

    Holds ids and scores only, so that a decision can be explained later (AI Act Art. 12).
    """

    __tablename__ = "match_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    subject_type: Mapped[str] = mapped_column(String(20))  # "vacancy" | "participant"
    subject_id: Mapped[int] = mapped_column(index=True)
    engine_version: Mapped[str] = mapped_column(String(40))
    model_name: Mapped[str] = mapped_column(String(200))
    weights: Mapped[dict | None] = mapped_column(JSON)
    results: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{id, score, eligible}]
