"""Where the engine finds its shipped data and locally installed models."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The data directory: PLACEMENT_DATA_DIR, else <repo>/data."""
    env = os.environ.get("PLACEMENT_DATA_DIR")
    return Path(env) if env else REPO_ROOT / "data"


def model_dir() -> Path:
    """Where `placement model install` puts models: PLACEMENT_MODEL_DIR, else instance/models."""
    env = os.environ.get("PLACEMENT_MODEL_DIR")
    return Path(env) if env else REPO_ROOT / "instance" / "models"
