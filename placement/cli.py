"""The `placement` console script: Flask's CLI plus the engine's commands.

`placement demo`, `placement db upgrade`, `placement create-user`, `placement load-demo` need the
app; `placement serve` runs it under gunicorn; `placement rank` and `placement model ...` are the
engine's and need no database.
"""

from __future__ import annotations

import os

from flask.cli import FlaskGroup

from placement import create_app


def _make_group() -> FlaskGroup:
    from placement.commands import all_commands

    group = FlaskGroup(create_app=create_app, help=__doc__)
    # Known without building the app: `rank` needs none, `serve` builds one in each worker.
    for command in all_commands():
        group.add_command(command)
    return group


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # models load from disk only, never a hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    _make_group()(prog_name="placement")
