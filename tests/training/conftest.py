"""The training tests' app (three small modules, see module_factory) and a way to pass one."""

from __future__ import annotations

import pytest

from tests.training.module_factory import module_passer, training_app


@pytest.fixture
def app(make_app, tmp_path):
    return training_app(make_app, tmp_path)


@pytest.fixture
def passed(app):
    return module_passer(app)
