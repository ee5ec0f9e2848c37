"""Per-person records of the diversity-awareness modules: reading progress, quiz attempts and
certificates.

Completion (all pages read) and success (quiz passed) are tracked separately, as SCORM 2004 and
xAPI do. Modules themselves are files (``placement.training.modules``), referred to by slug.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from placement.columns import now_stamp, parent_ref, update_stamp, user_ref
from placement.extensions import db
from placement.training import codes

if TYPE_CHECKING:
    from placement.accounts.models import User


class ModuleProgress(db.Model):
    """How far one person has read one module."""

    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_slug", name="uq_module_progress_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = parent_ref("user")
    module_slug: Mapped[str] = mapped_column(String(60))
    last_page: Mapped[int] = mapped_column(default=1)  # 1-based: where to resume
    # File names of the pages marked as read (names survive pages being added or reordered).
    pages_read: Mapped[list[str]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = now_stamp()
    completed_at: Mapped[datetime | None]  # all pages read
    updated_at: Mapped[datetime] = update_stamp()

    user: Mapped[User] = relationship()


class QuizAttempt(db.Model):
    """One submitted quiz: the answers given, the score and whether it reached the pass mark."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (Index("ix_quiz_attempt_user_module", "user_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(60))
    answers: Mapped[dict[str, list[str]]] = mapped_column(JSON)  # question id -> option ids
    score: Mapped[int]
    max_score: Mapped[int]
    pass_mark: Mapped[float]  # the module's pass mark at the time
    passed: Mapped[bool]
    at: Mapped[datetime] = now_stamp()

    user: Mapped[User] = relationship()


class Certificate(db.Model):
    """Proof that a person passed a module, verifiable by its code at ``/verify/<code>``.

    Name and organisation are kept as they were at issue time: the certificate states a fact
    of that day. Revoking keeps the row, so that the verify page can say it was revoked.
    """

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = parent_ref("user")
    holder_name: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    module_slug: Mapped[str] = mapped_column(String(60))
    attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_attempt.id", ondelete="SET NULL")
    )
    issued_at: Mapped[datetime] = now_stamp()
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = user_ref()

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def valid(self) -> bool:
        return self.revoked_at is None

    @property
    def display_code(self) -> str:
        """The code as printed and shown: groups of four (see training/codes.py)."""
        return codes.display(self.code)
