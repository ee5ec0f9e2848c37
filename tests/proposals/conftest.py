"""The proposal tests use the match pages' small world and fake engine (tests/matches)."""

from tests.matches.conftest import _engine_data, app, engine, weights_file, world  # noqa: F401
