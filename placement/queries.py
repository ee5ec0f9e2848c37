"""Query pieces every domain's list pages share."""

from __future__ import annotations

from sqlalchemy import ARRAY, ColumnElement, Integer, any_, bindparam, func, or_


def contains(search: str, *columns) -> ColumnElement[bool]:
    """Any of ``columns`` contains ``search``, ignoring case: the search box of a list page."""
    like = f"%{search.strip().lower()}%"
    return or_(*(func.lower(column).like(like) for column in columns))


def one_of(column, values: list[int]) -> ColumnElement[bool]:
    """``column IN values`` in one statement text whatever the number of values: on
    PostgreSQL ``= ANY(array)``, parsed once by the driver (an IN list of its own length each
    time costs milliseconds of parsing for a few hundred ids); elsewhere IN."""
    from placement.extensions import db

    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(Integer)))
    return column.in_(list(values))
