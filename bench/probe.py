"""Rerun the figures of the issue-11 probe: timings, 500s over the bad-input table, leaks,
rate limits across 4 gunicorn workers. Prints figures; asserts nothing (the tests do).

usage: python bench/probe.py [--only timing,table,leaks,limits] [--pg URL] [--redis URL]

- timing: account enumeration (known / unknown / locked address, median ms and ratio) and the
  long word (10,000-character profile word, a 3,006-character vacancy skill), each as a ratio
  against an ordinary text measured in the same run.
- table:  the bad-input table of tests/security/bad_inputs.py through every form field and
  import column, on SQLite and (with --pg, a database this may wipe) PostgreSQL: counts of
  500s and of invalid values not refused.
- leaks:  erase a participant with a full history, then search every text column of every
  table for her identifying values; and what an employer without consent sees of the origin.
- limits: 4 gunicorn workers on 127.0.0.1 sharing Redis (--redis, default db 11): how many of
  120 sign-ins in a minute pass a limit of 20, and of 120 certificate checks a limit of 60.
  Loopback only, bounded (240 requests), the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from placement import create_app  # noqa: E402
from placement.extensions import db  # noqa: E402

PASSWORD = "correct horse battery staple"


def _app(folder: Path, url: str | None = None, **extra):
    folder.mkdir(parents=True, exist_ok=True)
    config = {
        "TESTING": True, "SECRET_KEY": "probe", "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "BABEL_DEFAULT_LOCALE": "en",
        "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{folder / 'probe.sqlite'}",
        "PLACEMENT_MODEL_DIR": str(folder / "models"),
        "PLACEMENT_IMPORT_DIR": str(folder / "imports"),
        "PLACEMENT_MAIL_BACKEND": "file", "PLACEMENT_MAIL_FILE": str(folder / "mail.log"),
        **extra,
    }  # fmt: skip
    app = create_app(config)
    with app.app_context():
        if url and url.startswith("postgresql"):
            from flask_migrate import upgrade

            db.session.execute(text("DROP SCHEMA public CASCADE"))
            db.session.execute(text("CREATE SCHEMA public"))
            db.session.commit()
            upgrade()
        else:
            db.create_all()
    return app


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# -- timing ---------------------------------------------------------------------------------
def timing(folder: Path) -> None:
    from placement.accounts.services import create_user

    app = _app(folder / "timing")
    with app.app_context():
        create_user("known@probe.example", "Known", "counsellor", PASSWORD)
        db.session.commit()
    client = app.test_client()
    n = {"i": 0}

    def login(email, address):
        n["i"] += 1
        client.post("/login", data={"email": email, "password": "wrong password here"},
                    environ_base={"REMOTE_ADDR": address})  # fmt: skip

    # Interleaved, fresh addresses for the first two: no lock involved, the same machine load.
    known_runs, unknown_runs = [], []
    for i in range(11):
        known_runs.append(_median_ms(lambda i=i: login("known@probe.example", f"10.0.0.{i}"), 1))
        unknown_runs.append(_median_ms(lambda i=i: login("nobody@probe.example", f"10.0.1.{i}"), 1))
    known, unknown = statistics.median(known_runs), statistics.median(unknown_runs)
    for _ in range(6):
        login("known@probe.example", "10.0.9.9")  # locks this address
    locked = _median_ms(lambda: login("known@probe.example", "10.0.9.9"), 11)
    print("enumeration (median ms of 11 sign-ins with a wrong password)")
    print(f"  known account      {known:8.1f}")
    print(f"  unknown account    {unknown:8.1f}   ratio unknown/known {unknown / known:5.2f}")
    print(f"  known, locked addr {locked:8.1f}   ratio locked/known  {locked / known:5.2f}")

    from placement.matching import (
        CandidateRecord,
        Matcher,
        TfidfEncoder,
        VacancyRecord,
        load_lexicon,
    )

    lexicon = load_lexicon()
    base = _median_ms(lambda: lexicon.detect("Pflegehelferin im Altenheim, Grundpflege", "de"), 5)
    long = _median_ms(lambda: lexicon.detect("Pflege" + "x" * 9994, "de"), 3)
    print("long word (median ms of lexicon detection)")
    print(f"  ordinary profile   {base:8.2f}")
    print(f"  10,000-char word   {long:8.2f}   ratio {long / base:8.1f}")

    people = [
        CandidateRecord(id=f"c{i}", profile=f"Lagerarbeit {i}, Kommissionieren",
                        work_permit="employment", postcode="30159")
        for i in range(60)
    ]  # fmt: skip

    def rank(skill: str) -> None:
        matcher = Matcher(encoder=TfidfEncoder(), lexicon=lexicon)
        vacancy = VacancyRecord(id="v", title="Lagerhelfer", description="Lager und Versand",
                                skills=["Kommissionieren", skill], postcode="30159")  # fmt: skip
        matcher.fit([vacancy], people)
        matcher.rank_candidates(vacancy, people)

    ordinary = _median_ms(lambda: rank("Staplerschein"), 3)
    huge = _median_ms(lambda: rank("Stapler" + "y" * 2999), 3)
    print("vacancy match page for 60 candidates (median ms, TF-IDF encoder)")
    print(f"  ordinary skill     {ordinary:8.1f}")
    print(f"  3,006-char skill   {huge:8.1f}   ratio {huge / ordinary:8.2f}")


# -- bad-input table ------------------------------------------------------------------------
def _world(app):
    from placement.accounts.services import create_user
    from placement.employers.services import create_organisation
    from placement.participants.services import create_participant

    with app.app_context():
        org = create_organisation({"name": "Lager Nord GmbH", "postcode": "30159"}, approved=True)
        person = create_participant({"first_name": "Amira", "last_name": "T",
                                     "work_permit": "employment", "postcode": "30159"})  # fmt: skip
        for role in ("counsellor", "employer", "admin"):
            create_user(f"{role}@probe.example", role, role, PASSWORD,
                        organisation=org if role == "employer" else None)  # fmt: skip
        db.session.commit()
        ids = {"org": org.id, "participant": person.id}
    clients = {None: app.test_client()}
    for role in ("counsellor", "employer", "admin"):
        clients[role] = app.test_client()
        clients[role].post("/login", data={"email": f"{role}@probe.example", "password": PASSWORD})
    return ids, clients


def _count(app, table: str) -> int:
    with app.app_context():
        return db.session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()


def table(folder: Path, pg: str | None) -> None:
    import io
    import json

    from tests.security.bad_inputs import IMPORT_ROWS, import_cases, targets

    for name, url in (("SQLite", None), ("PostgreSQL", pg)):
        if name == "PostgreSQL" and not url:
            print("PostgreSQL: skipped (give --pg URL of a database this may wipe)")
            continue
        app = _app(folder / f"table-{name}", url)
        ids, clients = _world(app)
        requests, errors, accepted = 0, 0, 0
        for target in targets(ids):
            for field, _label, value, kind in target.cases():
                before = _count(app, target.table)
                response = clients[target.role].post(target.url, data={**target.data, field: value})
                requests += 1
                errors += response.status_code >= 500
                written = _count(app, target.table) - before
                if kind == "invalid" and (response.status_code < 400 or written):
                    accepted += 1
        for kind in IMPORT_ROWS:
            for n, (_column, _label, row, value_kind) in enumerate(import_cases(kind)):
                row = {**row, "id": f"{row.get('id')}-{n}"} if row.get("id") else row
                if kind == "vacancies":
                    row.setdefault("organisation_id", ids["org"])
                    row.pop("employer", None)
                body = (json.dumps(row, ensure_ascii=False) + "\n").encode()
                client = clients["counsellor"]
                upload = {"kind": kind, "file": (io.BytesIO(body), "r.jsonl")}
                up = client.post("/counsellor/import", content_type="multipart/form-data",
                                 data=upload)  # fmt: skip
                requests += 1
                errors += up.status_code >= 500
                if up.status_code != 302:
                    continue
                table_name = IMPORT_ROWS[kind][2]
                before = _count(app, table_name)
                for response in (client.get(up.location), client.post(up.location + "/confirm")):
                    requests += 1
                    errors += response.status_code >= 500
                if value_kind == "invalid" and _count(app, table_name) > before:
                    accepted += 1
        print(f"bad-input table on {name}: {requests} requests, {errors} x 500, "
              f"{accepted} invalid values written")  # fmt: skip
        if url:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


# -- leaks ----------------------------------------------------------------------------------
def leaks(folder: Path) -> None:
    from sqlalchemy import JSON, String, Text, select

    from placement.accounts.models import User
    from placement.matches import services as matches
    from placement.matching import Matcher, TfidfEncoder

    matches.get_matcher = lambda model=None, weights=None: Matcher(
        encoder=TfidfEncoder(), lexicon=matches.shipped_lexicon(), cache=matches.DbEmbeddingCache()
    )
    app = _app(folder / "leaks")
    ids, clients = _world(app)
    from placement.employers.models import Vacancy
    from placement.employers.services import create_vacancy
    from placement.participants.models import Participant
    from placement.participants.rights import erase_participant
    from placement.participants.services import create_participant
    from placement.proposals import services as proposals

    needles = ("Kovalenko", "olena.k@probe.example", "0170 5550199", "المعهد الصحي بحلب")
    with app.app_context():
        from placement.employers.models import Organisation

        org = db.session.get(Organisation, ids["org"])
        counsellor = db.session.scalar(select(User).where(User.role == "counsellor"))
        job = {"kind": "job", "title": "Pflegehelfer", "status": "published",
               "description": "Grundpflege im Altenheim, Frühdienst.", "postcode": "30159",
               "hours_per_week": 30, "skills": ["Grundpflege"]}  # fmt: skip
        vacancy = create_vacancy(org, job, None)
        person = create_participant({
            "first_name": "Olena", "last_name": "Kovalenko", "email": "olena.k@probe.example",
            "phone": "0170 5550199", "work_permit": "employment", "postcode": "30159",
            "consent_matching": True, "profile_text": "Pflegehelferin, Grundpflege",
            "languages": [{"code": "ar", "level": "native"}, {"code": "de", "level": "B1"}],
            "qualifications": [{"title": "دبلوم التمريض – المعهد الصحي بحلب",
                                "recognition": "partial",
                                "reference_occupation": "Pflegefachfrau"}]})  # fmt: skip
        db.session.commit()
        matches.rank_participants(vacancy, counsellor)
        matches.rank_vacancies(person, counsellor)
        proposal = proposals.propose(vacancy, person, counsellor)
        db.session.commit()
        pid, proposal_id = person.id, proposal.id
    page = clients["employer"].get(f"/employer/proposals/{proposal_id}").get_data(as_text=True)
    origin = [n for n in ("المعهد", "بحلب", "first language") if n in page]
    print(f"employer without consent: {len(origin)} origin leaks {origin}")
    with app.app_context():
        proposals.change_status(db.session.get(proposals.Proposal, proposal_id), "hired",
                                counsellor := db.session.scalar(
                                    select(User).where(User.role == "counsellor")))  # fmt: skip
        db.session.commit()
        erase_participant(db.session.get(Participant, pid), counsellor)
        db.session.commit()
        hits = []
        for tbl in db.metadata.sorted_tables:
            columns = [c for c in tbl.columns if isinstance(c.type, String | Text | JSON)]
            if columns:
                for row in db.session.execute(select(*columns)):
                    hits += [(tbl.name, c.name) for c, v in zip(columns, row, strict=True)
                             if v is not None and any(n in str(v) for n in needles)]  # fmt: skip
        print(f"erased participant: {len(hits)} cells still holding her values {hits}")
        print(f"  (the vacancy stays: {db.session.scalar(select(Vacancy.title))!r})")


# -- rate limits across 4 workers -----------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def limits(folder: Path, redis_url: str | None) -> None:
    """Baseline first (no Redis: memory storage per worker), then with Redis."""
    from redis import Redis

    if redis_url:
        Redis.from_url(redis_url).flushdb()
    work = folder / f"limits-{'redis' if redis_url else 'memory'}"
    work.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{work / 'app.sqlite'}"
    app = _app(work, url)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PLACEMENT_DATABASE_URL": url,
           "PLACEMENT_SECRET_KEY": "probe-limits",
           "PLACEMENT_RATE_LIMITS": "true", "PLACEMENT_DEFAULT_LOCALE": "en"}  # fmt: skip
    env.pop("PLACEMENT_REDIS_URL", None)
    if redis_url:
        env["PLACEMENT_REDIS_URL"] = redis_url
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout",
         "60", "placement.web.app:create_app()"],
        env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(120):  # up to 60 s for 4 workers to start
            try:
                page = opener.open(base + "/login", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.5)
        else:
            print("limits: gunicorn did not start")
            return
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        if time.time() % 60 > 45:  # one fixed window for the burst
            time.sleep(61 - time.time() % 60)

        def status(request) -> int:
            try:
                return opener.open(request, timeout=10).status
            except urllib.error.HTTPError as error:
                return error.code

        logins = [
            status(urllib.request.Request(base + "/login", data=urllib.parse.urlencode(
                {"csrf_token": token, "email": f"nobody{i}@probe.example",
                 "password": "wrong password here"}).encode()))
            for i in range(120)
        ]  # fmt: skip
        checks = [status(base + f"/verify/{'A' * 24}") for _ in range(120)]
        workers = len({p for p in _children(server.pid)})
        storage = f"Redis ({redis_url})" if redis_url else "memory storage (baseline)"
        print(f"rate limits with {workers} gunicorn workers and {storage}")
        print(f"  sign-in   {sum(s != 429 for s in logins):3d} of 120 passed (limit 20/min); "
              f"statuses {sorted(set(logins))}")  # fmt: skip
        print(f"  /verify   {sum(s != 429 for s in checks):3d} of 120 passed (limit 60/min); "
              f"statuses {sorted(set(checks))}")  # fmt: skip
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="timing,table,leaks,limits")
    parser.add_argument("--pg", default=os.environ.get("PLACEMENT_TEST_DATABASE_URL"))
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="probe-") as tmp:
        folder = Path(tmp)
        if "timing" in parts:
            timing(folder)
        if "table" in parts:
            table(folder, args.pg)
        if "leaks" in parts:
            leaks(folder)
        if "limits" in parts:
            limits(folder, None)
            limits(folder, args.redis)


if __name__ == "__main__":
    main()
