"""The example service files start the app the way the README says, with commands that exist.

CI runs the Procfile's processes for real (.ci/run); here the systemd units must say the same,
and every command line must parse with the real CLI."""

from __future__ import annotations

import re
import shlex
from contextlib import ExitStack
from pathlib import Path

import pytest

from placement.cli import _make_group
from placement.serve import encoder_threads, gunicorn_options

ROOT = Path(__file__).resolve().parents[1]
UNITS = {"web": "placement-web", "worker": "placement-worker", "reminders": "placement-reminders"}


def procfile() -> dict[str, list[str]]:
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(": ")
        # ${PORT:-8000} -> 8000: the value a process manager uses when it sets none
        entries[name] = shlex.split(re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", command))
    return entries


def exec_start(unit: str) -> list[str]:
    text = (ROOT / "deploy" / "systemd" / f"{unit}.service").read_text()
    command = re.search(r"^ExecStart=(.+)$", text, re.MULTILINE).group(1)
    argv = shlex.split(command)
    return [Path(argv[0]).name, *argv[1:]]


@pytest.mark.parametrize("process", sorted(UNITS))
def test_systemd_units_run_what_the_procfile_runs(process):
    assert exec_start(UNITS[process]) == procfile()[process]


@pytest.mark.parametrize("process", ["release", "web", "worker", "reminders"])
def test_procfile_commands_parse(process):
    argv = procfile()[process]
    assert argv[0] == "placement"
    command = _make_group()
    args = list(argv[1:])
    with ExitStack() as contexts:  # closing them pops any app context a lookup pushed
        ctx = contexts.enter_context(command.make_context("placement", list(args),
                                                          resilient_parsing=True))  # fmt: skip
        while hasattr(command, "commands"):  # walk down groups (`db upgrade`)
            name, command, args = command.resolve_command(ctx, args)
            assert command is not None, f"no command {name!r}"
            ctx = contexts.enter_context(
                command.make_context(name, list(args), parent=ctx, resilient_parsing=True)
            )
        # the options given exist and take valid values (click raises otherwise)
        parsed = contexts.enter_context(command.make_context(argv[-1], list(args), parent=ctx))
        if command.name == "serve":
            assert parsed.params["workers"] == 2
            assert parsed.params["host"] == "127.0.0.1"


def test_encoder_threads_share_the_cores():
    assert encoder_threads(2, cores=2) == 1
    assert encoder_threads(1, cores=8) == 8
    assert encoder_threads(4, cores=8) == 2
    assert encoder_threads(16, cores=2) == 1  # never zero


def test_gunicorn_runs_several_workers_without_preloading():
    options = gunicorn_options("127.0.0.1", 8000, 3, 4, 60)
    assert options["bind"] == "127.0.0.1:8000"
    assert options["workers"] == 3
    assert options["preload_app"] is False  # each worker builds its own app and encoder


def test_a_worker_limits_its_thread_pools(monkeypatch):
    from threadpoolctl import threadpool_info, threadpool_limits

    from placement.serve import limit_threads

    monkeypatch.setenv("PLACEMENT_ENCODER_THREADS", "1")
    with threadpool_limits(None):  # restores the pools after the test
        limit_threads()
        assert all(pool["num_threads"] == 1 for pool in threadpool_info())
