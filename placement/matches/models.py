"""Stored embeddings: one row per (model, text hash), reused across requests and restarts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from placement.accounts.models import utcnow
from placement.extensions import db


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
