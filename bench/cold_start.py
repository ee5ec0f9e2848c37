"""Cold start: importing participants returns at once; the background prepares them.

usage: python bench/cold_start.py [--n 1000] [--pg URL] [--mode thread|request] [--cold-worker]

A counsellor opens the match page of a vacancy (the worker is in use: its ranking pools are
built), then --n participants are imported (JSON Lines, through the import service, as the
import page does) into a fresh database (SQLite in a temporary folder, or --pg: a database
this wipes); the import is timed up to its commit. With --mode thread (the default of the app
without Redis) the encoding runs in the app's background thread: its throughput is printed.
As soon as the preparation has finished, the counsellor opens the same match page three
times: the first page after the import against the next ones (the ratio is the figure). Only
then the throughput of the other installed encoders is measured on a sample of the same texts.
--cold-worker skips the page before the import (the first page is the worker's first ever);
--mode request shows the code before issue 13 (records encoded on the request).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from speed import WORDS  # noqa: E402  (bench/speed.py: words of profiles)

PASSWORD = "correct horse battery staple"


def rows(n: int) -> str:
    rng = random.Random(7)
    out = []
    for i in range(n):
        out.append(json.dumps({
            "id": f"cold{i}", "first_name": f"P{i}", "last_name": "Cold",
            "profile": " ".join(rng.sample(WORDS, rng.randint(5, 14))) + f" ({i})",
            "work_permit": "any_work", "german_level": rng.choice(["A2", "B1", "B2"]),
            "postcode": "30159", "max_commute_km": 50, "hours_per_week": 40,
            "consent_matching": True,
        }, ensure_ascii=False))  # fmt: skip
    return "\n".join(out)


def _page(client, vacancy_id: int) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.get(f"/counsellor/vacancies/{vacancy_id}/matches")
    return time.perf_counter() - start, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--pg", default=None)
    parser.add_argument("--mode", default="thread", choices=["thread", "request"])
    parser.add_argument("--cold-worker", action="store_true")
    args = parser.parse_args()
    from sqlalchemy import func, select, text

    from placement import create_app
    from placement.accounts.services import create_user
    from placement.employers.services import create_organisation, create_vacancy
    from placement.exchange import formats
    from placement.exchange import services as exchange
    from placement.extensions import db
    from placement.matches import preparation
    from placement.matches.models import Embedding

    try:  # the pools' keeper (not in the code before it)
        from placement.matches import keeper
    except ImportError:
        keeper = None
    tmp = Path(tempfile.mkdtemp(prefix="cold-"))
    url = args.pg or f"sqlite:///{tmp / 'cold.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "cold", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "BABEL_DEFAULT_LOCALE": "en", "PLACEMENT_PREPARE": args.mode})  # fmt: skip
    with app.app_context():
        if args.pg:
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        user = create_user("c@cold.example", "C", "counsellor", PASSWORD)
        org = create_organisation({"name": "Kalt GmbH", "postcode": "30159"}, approved=True)
        offer = {"title": "Fachkraft für Lagerlogistik", "kind": "job", "status": "published",
                 "postcode": "30159", "description": "Kommissionieren, Versand"}  # fmt: skip
        vacancy = create_vacancy(org, offer, user)
        db.session.commit()
        vacancy_id = vacancy.id
        preparation.wait(600)
        db.session.remove()
    client = app.test_client()
    client.post("/login", data={"email": "c@cold.example", "password": PASSWORD})
    if not args.cold_worker:
        secs, status = _page(client, vacancy_id)
        print(f"match page before the import (the worker in use): {secs:.2f} s (status {status})")
    with app.app_context():
        data = rows(args.n)
        start = time.perf_counter()
        preview = exchange.validate("participants", formats.read_jsonl(data))
        written = exchange.write(preview, db.session.merge(user), all_or_nothing=True)
        db.session.commit()
        took = time.perf_counter() - start
        print(f"import of {written} participants ({args.mode}): returned after {took:.2f} s")
        start = time.perf_counter()
        preparation.wait(3600)
        secs = time.perf_counter() - start
        prepared = time.monotonic()
        stored = db.session.scalar(select(func.count()).select_from(Embedding))
        db.session.remove()
    # at once, as a counsellor who was waiting for the import would
    times = []
    for label in ("first match page after the preparation", "second match page",
                  "third match page"):  # fmt: skip
        took, status = _page(client, vacancy_id)
        times.append(took)
        print(f"{label}: {took:.2f} s (status {status})")
    # the next pages find the judgement of this vacancy kept; a page of another vacancy would
    # not: the same page with the kept judgements forgotten is such a first visit
    from placement.matches.services import judgements

    judgements.clear()
    took, status = _page(client, vacancy_id)
    times.append(took)
    print(f"the same page as a first visit (kept judgements forgotten): {took:.2f} s "
          f"(status {status})")  # fmt: skip
    print(f"first page after the preparation / second: {times[0] / times[1]:.1f}x, / third: "
          f"{times[0] / times[2]:.1f}x, / first visit: {times[0] / times[3]:.1f}x")  # fmt: skip
    found = keeper.keeper(app, start=False) if keeper is not None else None
    if found is not None:
        begun, ended = (t - prepared for t in found.last)
        print(f"pool refreshes off the request: {found.refreshes}; the last ran from "
              f"{begun:+.2f} s to {ended:+.2f} s after the preparation had finished")  # fmt: skip
    with app.app_context():
        from placement.matches.services import get_matcher

        matcher = get_matcher()
        if args.mode == "thread":
            print(f"background preparation: {stored} texts in {secs:.1f} s = "
                  f"{stored / secs:.1f} texts/s with {matcher.encoder_.name}")  # fmt: skip
        texts = [json.loads(line)["profile"] for line in data.splitlines()[:200]]
        from placement.matching import SentenceTransformerEncoder, TfidfEncoder

        for label, encoder in (("all-MiniLM-L6-v2", SentenceTransformerEncoder()),
                               ("TF-IDF (fitted on them)", TfidfEncoder().fit(texts))):  # fmt: skip
            try:
                encoder.encode(texts[:8])
                t = time.perf_counter()
                encoder.encode(texts)
                rate = len(texts) / (time.perf_counter() - t)
                print(f"  other encoder {label}: {rate:.1f} texts/s (200 of the texts)")
            except Exception as exc:  # noqa: BLE001 - not installed here: say so
                print(f"  other encoder {label}: not available ({exc})")


if __name__ == "__main__":
    main()
