"""Column declarations the models share: how a row refers to its owner and to a user, and how it
stamps times. One place for the conventions, so that every table keeps them alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import MappedColumn, mapped_column

from placement.extensions import utcnow


def parent_ref(table: str, **options: Any) -> MappedColumn[Any]:
    """The row's owner in ``table``: the row goes when its owner goes; indexed for the lookup
    of an owner's rows."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True, **options)


def user_ref(**options: Any) -> MappedColumn[Any]:
    """A user who did something here: the row stays (NULL) when the account is erased."""
    return mapped_column(ForeignKey("user.id", ondelete="SET NULL"), **options)


def now_stamp(**options: Any) -> MappedColumn[Any]:
    """A time set to now (UTC) when the row is inserted."""
    return mapped_column(default=utcnow, **options)


def update_stamp() -> MappedColumn[Any]:
    """A time set to now (UTC) when the row is inserted and again on every update."""
    return mapped_column(default=utcnow, onupdate=utcnow)
