"""The placement pages: the placement tests' client and factory (tests/placements)."""

from tests.placements.conftest import client, create_placement  # noqa: F401
