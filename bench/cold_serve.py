"""Cold start as deployed: an import prepared by `placement worker`, pages from `placement serve`.

usage: python bench/cold_serve.py --pg URL [--redis URL] [--participants 100] [--n 200]
                                  [--workers 2] [--pages 12]

The database at URL is wiped and gets --participants prepared participants and 5 vacancies
(bench/load.py's world); `placement serve --workers W` and one `placement worker` start on
PostgreSQL and Redis (--redis: a database number of its own, the queue is emptied). A
counsellor opens the match page of one vacancy W*3 times (every worker builds its pools), then
--n participants are imported (through the import service, as the import page does: the
preparation is queued on Redis). As soon as the queue is empty and no job runs, the counsellor
opens the same page --pages times, each on a new connection (so the workers take turns):
the first W pages after the preparation against the median of the rest is the figure. Loopback
only; the processes are stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from cold_start import rows  # noqa: E402  (bench/cold_start.py: the imported participants)
from common import ROOT, stop  # noqa: E402  (bench/common.py: offline models, the repository on the path)
from load import Client, free_port, setup, wait_until_serving  # noqa: E402  (bench/load.py: the world, a browser)


def _import(url: str, redis: str, n: int) -> float:
    from placement import create_app
    from placement.accounts.models import User
    from placement.exchange import formats
    from placement.exchange import services as exchange
    from placement.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load", "TESTING": True,
                      "PLACEMENT_REDIS_URL": redis, "PLACEMENT_PREPARE": "rq"})  # fmt: skip
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.email == "c0@load.example")).one()
        start = time.perf_counter()
        preview = exchange.validate("participants", formats.read_jsonl(rows(n)))
        exchange.write(preview, user, all_or_nothing=True)
        db.session.commit()
        took = time.perf_counter() - start
        db.session.remove()
        db.engine.dispose()
    return took


def _embeddings(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT count(*) FROM embedding")).scalar_one()
    engine.dispose()
    return found


def _prepared(url: str, redis: str, expected: int, timeout: float = 3600) -> float:
    """Seconds until `expected` embeddings are stored, the queue is empty and no job runs."""
    from rq.registry import StartedJobRegistry

    from placement.placements.queue import queue

    jobs = queue(redis)
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if (_embeddings(url) >= expected and jobs.count == 0
                and StartedJobRegistry(queue=jobs).count == 0):  # fmt: skip
            return time.perf_counter() - start
        time.sleep(0.05)
    raise RuntimeError("the preparation did not finish")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", required=True, help="PostgreSQL URL of a database to wipe")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", type=int, default=12)
    args = parser.parse_args()
    from placement.placements.queue import queue

    queue(args.redis).empty()
    world = SimpleNamespace(participants=args.participants, distinct=args.participants,
                            vacancies=5, users=1)  # fmt: skip
    ids, counsellors, _ = setup(args.pg, world)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PLACEMENT_DATABASE_URL": args.pg,
           "PLACEMENT_SECRET_KEY": "load", "PLACEMENT_RATE_LIMITS": "false",
           "PLACEMENT_DEFAULT_LOCALE": "en", "PLACEMENT_LOG_LEVEL": "WARNING",
           "PLACEMENT_REDIS_URL": args.redis}  # fmt: skip
    placement = [str(Path(sys.executable).parent / "placement")]  # the console script
    subprocess.run([*placement, "embed"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([*placement, "serve", "--port", str(port), "--workers",
                               str(args.workers)], env=env, stdout=subprocess.DEVNULL)  # fmt: skip
    worker = subprocess.Popen([*placement, "worker"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_until_serving(port)
        browser = Client(port)
        browser.login(counsellors[0])

        def page(vacancy: int = ids[0]) -> float:  # a new connection: any worker may answer
            fresh = Client(port)
            fresh.cookies = dict(browser.cookies)
            start = time.perf_counter()
            status, _ = fresh.request("GET", f"/counsellor/vacancies/{vacancy}/matches")
            took = time.perf_counter() - start
            fresh.conn.close()
            if status != 200:
                raise RuntimeError(f"match page: {status}")
            return took

        for _ in range(args.workers * 3):  # every worker builds its pools
            page()
        expected = _embeddings(args.pg) + args.n
        took = _import(args.pg, args.redis, args.n)
        print(f"import of {args.n} participants (rq): returned after {took:.2f} s")
        secs = _prepared(args.pg, args.redis, expected)
        print(f"placement worker prepared them in {secs:.1f} s ({args.n / secs:.1f} texts/s)")
        times = [page() for _ in range(args.pages)]  # at once
        print("the same page after the preparation (s): " + " ".join(f"{t:.2f}" for t in times))
        # first visits of the other vacancies: judged anew (as the page above after the
        # import: its kept judgement was of the pool before), on pools surely current
        others = [page(v) for v in ids[1:] for _ in range(args.workers)]
        print("first visits of other vacancies (s): " + " ".join(f"{t:.2f}" for t in others))
        first = max(times[: args.workers])
        print(f"first {args.workers} pages after the preparation (each worker's first, if "
              f"they took turns): max {first:.2f} s; repeat pages: median "
              f"{statistics.median(times[args.workers :]):.2f} s; first visits of other "
              f"vacancies: median {statistics.median(others):.2f} s; ratio first / first "
              f"visits {first / statistics.median(others):.1f}x; load "
              f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    finally:
        stop(worker, 30)
        stop(server, 30)


if __name__ == "__main__":
    main()
