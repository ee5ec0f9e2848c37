"""Query pieces every domain's list pages share."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_


def contains(search: str, *columns) -> ColumnElement[bool]:
    """Any of ``columns`` contains ``search``, ignoring case: the search box of a list page."""
    like = f"%{search.strip().lower()}%"
    return or_(*(func.lower(column).like(like) for column in columns))
