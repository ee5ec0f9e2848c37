"""placement: matching and follow-up of job placements for people with a migration background."""

from __future__ import annotations

from typing import Any


def create_app(test_config: dict[str, Any] | None = None):
    """Create the Flask application (see ``placement.web.app``).

    Imported lazily so that ``placement.matching`` stays usable without Flask.
    """
    from placement.web.app import create_app as _create_app

    return _create_app(test_config)
