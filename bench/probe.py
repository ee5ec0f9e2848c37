"""Rerun the figures of the issue-11 probe: timings, 500s over the bad-input table, leaks,
rate limits across 4 gunicorn workers. Prints figures; asserts nothing (the tests do).

usage: python bench/probe.py [--only timing,table,idor,leaks,limits] [--pg URL] [--redis URL]

- timing: account enumeration (known / unknown / locked address, median ms and ratio) and the
  long word (10,000-character profile word, a 3,006-character vacancy skill), each as a ratio
  against an ordinary text measured in the same run.
- table:  the bad-input table of tests/security/bad_inputs.py through every form field and
  import column, on SQLite and (with --pg, a database this may wipe) PostgreSQL: counts of
  500s and of invalid values not refused.
- idor:   every GET route x actor (anonymous, another participant, another organisation's
  employer) with the ids of organisation B's records, on SQLite and (--pg) PostgreSQL: pages
  holding one of B's secrets.
- leaks:  erase a participant with a full history, then search every cell of every table for
  her values and ids (tests/security/traces.py), on both databases; and what an employer
  without consent sees of the origin.
- limits: `placement serve` with 4 workers on 127.0.0.1 sharing Redis (--redis, default db 9):
  how many of 120 sign-ins in a minute pass a limit of 20, of 120 certificate checks 60.
  Loopback only, bounded (240 requests), the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
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

from common import ROOT, stop  # noqa: E402  (bench/common.py: offline models, the repository on the path)
from sqlalchemy import select, text  # noqa: E402

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
    from tests.security.bad_inputs import ROLES, seed_world

    with app.app_context():
        ids = seed_world("probe.example", PASSWORD)
    clients = {None: app.test_client()}
    for role in ROLES:
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
        requests, errors, accepted, not_at_field = 0, 0, 0, 0
        for target in targets(ids):
            for field, _label, value, kind in target.cases():
                before = _count(app, target.table)
                response = clients[target.role].post(target.url, data={**target.data, field: value})
                requests += 1
                errors += response.status_code >= 500
                written = _count(app, target.table) - before
                if kind == "invalid" and (response.status_code < 400 or written):
                    accepted += 1
                marker = f'id="{field}-error" role="alert"'
                if kind == "invalid" and marker not in response.get_data(as_text=True):
                    not_at_field += 1
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
              f"{accepted} invalid values written, {not_at_field} form refusals without the "
              f"message at the field")  # fmt: skip
        if url:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


# -- leaks ----------------------------------------------------------------------------------
SECRETS = ("Zweitperson", "zweit@probe.example", "NotizGeheim", "EntwurfGeheim",
           "employer.b@probe.example")  # fmt: skip


def _idor_world(app) -> dict:
    """Organisation A with its employer; organisation B with a draft vacancy, a published one,
    a participant proposed and hired there, a note: what A's employer, another participant and
    anonymous visitors must never see."""
    from placement.accounts.services import create_user
    from placement.employers.services import create_organisation, create_vacancy
    from placement.participants.services import create_participant, create_participant_for_user
    from placement.placements.models import FollowUp, Placement
    from placement.proposals import services as proposals

    job = {"kind": "job", "status": "published", "description": "Lager und Versand, Frühdienst.",
           "postcode": "30159", "hours_per_week": 38, "skills": ["Kommissionieren"]}  # fmt: skip
    with app.app_context():
        org_a = create_organisation({"name": "Firma A GmbH", "postcode": "30159"}, approved=True)
        org_b = create_organisation({"name": "Firma B GmbH", "postcode": "30159"}, approved=True)
        counsellor = create_user("counsellor@probe.example", "Beraterin", "counsellor", PASSWORD)
        create_user("admin@probe.example", "Admin", "admin", PASSWORD)
        create_user("employer.a@probe.example", "Arbeitgeber A", "employer", PASSWORD,
                    organisation=org_a)  # fmt: skip
        create_user("employer.b@probe.example", "Arbeitgeber B", "employer", PASSWORD,
                    organisation=org_b)  # fmt: skip
        one = create_user("eins@probe.example", "Erika Erstperson", "participant", PASSWORD)
        create_participant_for_user(one)
        two = create_participant({"first_name": "Zoya", "last_name": "Zweitperson",
                                  "email": "zweit@probe.example", "work_permit": "employment",
                                  "postcode": "30159", "consent_matching": True})  # fmt: skip
        draft = create_vacancy(org_b, {**job, "title": "EntwurfGeheim Lager", "status": "draft"},
                               None)  # fmt: skip
        published = create_vacancy(org_b, {**job, "title": "Lagerhelfer B"}, None)
        create_vacancy(org_a, {**job, "title": "Lagerhelfer A"}, None)
        proposal = proposals.propose(published, two, counsellor)
        proposals.change_status(proposal, "hired", counsellor)
        proposals.add_note(two, counsellor, "NotizGeheim: Gespräch geführt")
        db.session.flush()
        placement = db.session.scalar(select(Placement).where(Placement.participant_id == two.id))
        follow_up = db.session.scalar(select(FollowUp).where(FollowUp.placement_id == placement.id))
        db.session.commit()
        return {"participant_id": two.id, "vacancy_id": draft.id, "proposal_id": proposal.id,
                "organisation_id": org_b.id, "placement_id": placement.id,
                "follow_up_id": follow_up.id, "user_id": two.id}  # fmt: skip


def _urls(app, ids: dict) -> list[str]:
    """Every GET route, its ids those of B's records (the other owner's), others filled in."""
    from werkzeug.routing import BuildError

    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule in ("/static/<path:filename>", "/readyz"):
            continue  # /readyz answers 503 until a sentence model is installed: by design
        values = {}
        for name, converter in rule._converters.items():
            items = getattr(converter, "items", None)  # any(...)
            if items:
                values[name] = sorted(items)[0]
            elif type(converter).__name__ == "IntegerConverter":
                values[name] = ids.get(name, 1)
            else:
                values[name] = "A" * 24 if name in ("token", "code") else "agg"
        try:
            with app.test_request_context():
                from flask import url_for

                urls.append(url_for(rule.endpoint, **values))
        except BuildError:
            continue
    return sorted(set(urls))


def idor(folder: Path, pg: str | None) -> None:
    """Every GET route x actor (anonymous, another participant, the other organisation's
    employer), with the ids of organisation B's records: a leak is a 200 page holding one of
    B's secrets (a name, an e-mail, a note, a draft's title)."""
    for name, url in (("SQLite", None), ("PostgreSQL", pg)):
        if name == "PostgreSQL" and not url:
            print("idor on PostgreSQL: skipped (give --pg URL of a database this may wipe)")
            continue
        app = _app(folder / f"idor-{name}", url)
        ids = _idor_world(app)
        urls = _urls(app, ids)
        actors = {None: None, "participant": "eins@probe.example",
                  "employer A": "employer.a@probe.example"}  # fmt: skip
        requests, leaks, errors = 0, [], 0
        for actor, email in actors.items():
            client = app.test_client()
            if email:
                client.post("/login", data={"email": email, "password": PASSWORD})
            for target in urls:
                response = client.get(target)
                requests += 1
                errors += response.status_code >= 500
                body = response.get_data(as_text=True) if response.status_code == 200 else ""
                leaks += [(actor, target, s) for s in SECRETS if s in body]
        staff = app.test_client()  # the detector works: a counsellor sees B's secrets
        staff.post("/login", data={"email": "counsellor@probe.example", "password": PASSWORD})
        seen = sum(any(s in staff.get(u).get_data(as_text=True) for s in SECRETS) for u in urls)
        print(f"idor on {name}: {len(urls)} GET routes x {len(actors)} actors = {requests} "
              f"requests, {len(leaks)} leaks {leaks[:5]}, {errors} x 500 "
              f"(a counsellor sees B's secrets on {seen} of these pages)")  # fmt: skip
        _dispose(app, url)


def _dispose(app, url: str | None) -> None:
    if url:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def leaks(folder: Path, pg: str | None) -> None:
    """Erase a participant with a full history (with an account, by a counsellor), then search
    every cell of every table (tests/security/traces.py); and what an employer without consent
    sees of her origin."""
    from placement.matches import services as matches
    from placement.matching import Matcher, TfidfEncoder

    matches.get_matcher = lambda model=None, weights=None: Matcher(
        encoder=TfidfEncoder(), lexicon=matches.shipped_lexicon(), cache=matches.DbEmbeddingCache()
    )
    for db_name, url in (("SQLite", None), ("PostgreSQL", pg)):
        if db_name == "PostgreSQL" and not url:
            print("erasure on PostgreSQL: skipped (give --pg URL of a database this may wipe)")
            continue
        app = _app(folder / f"leaks-{db_name}", url)
        ids, clients = _world(app)
        _erase_and_search(app, ids, clients, db_name)
        _dispose(app, url)


def _erase_and_search(app, ids: dict, clients: dict, db_name: str) -> None:
    from placement.accounts.models import User
    from placement.accounts.services import create_user
    from placement.employers.models import Organisation
    from placement.employers.services import create_vacancy
    from placement.matches import services as matches
    from placement.participants.models import Participant
    from placement.participants.services import create_participant
    from placement.placements.models import FollowUp, Placement
    from placement.proposals import services as proposals
    from tests.security.traces import traces

    needles = ("Kovalenko", "olena.k@probe.example", "olena.account@probe.example",
               "0170 5550199", "المعهد الصحي بحلب", "99084", "Frau Kovalenko")  # fmt: skip
    with app.app_context():
        org = db.session.get(Organisation, ids["org"])
        counsellor = db.session.scalar(select(User).where(User.role == "counsellor"))
        job = {"kind": "job", "title": "Pflegehelfer", "status": "published",
               "description": "Grundpflege im Altenheim, Frühdienst.", "postcode": "30159",
               "hours_per_week": 30, "skills": ["Grundpflege"]}  # fmt: skip
        vacancy = create_vacancy(org, job, None)
        account = create_user("olena.account@probe.example", "Olena Kovalenko", "participant",
                              PASSWORD)  # fmt: skip
        person = create_participant({
            "first_name": "Olena", "last_name": "Kovalenko", "email": "olena.k@probe.example",
            "phone": "0170 5550199", "work_permit": "employment", "postcode": "99084",
            "consent_matching": True, "profile_text": "Pflegehelferin, Grundpflege",
            "languages": [{"code": "ar", "level": "native"}, {"code": "de", "level": "B1"}],
            "qualifications": [{"title": "دبلوم التمريض – المعهد الصحي بحلب",
                                "recognition": "partial",
                                "reference_occupation": "Pflegefachfrau"}]},
            user=account)  # fmt: skip
        db.session.commit()
        matches.rank_participants(vacancy, counsellor)
        matches.rank_vacancies(person, counsellor)
        proposal = proposals.propose(vacancy, person, counsellor)
        db.session.commit()
        pid, proposal_id, user_id = person.id, proposal.id, account.id
    page = clients["employer"].get(f"/employer/proposals/{proposal_id}").get_data(as_text=True)
    origin = [n for n in ("المعهد", "بحلب", "first language") if n in page]
    print(f"employer without consent on {db_name}: {len(origin)} origin leaks {origin}")
    with app.app_context():
        counsellor = db.session.scalar(select(User).where(User.role == "counsellor"))
        proposals.change_status(db.session.get(proposals.Proposal, proposal_id), "hired",
                                counsellor)  # fmt: skip
        db.session.flush()
        placement = db.session.scalar(select(Placement).where(Placement.participant_id == pid))
        follow_up = db.session.scalar(select(FollowUp).where(FollowUp.placement_id == placement.id))
        follow_up.note = "Frau Kovalenko ist zufrieden."
        proposals.add_note(db.session.get(Participant, pid), counsellor, "Frau Kovalenko: Termin")
        db.session.commit()
        erased = {"participant": {pid}, "user": {user_id}, "proposal": {proposal_id},
                  "placement": {placement.id}, "follow_up": {follow_up.id}}  # fmt: skip
        before = len(traces(needles, erased))
    client = clients["counsellor"]
    erase_url = f"/counsellor/participants/{pid}/erase"
    client.post("/confirm-password", data={"password": PASSWORD, "next": erase_url})
    status = client.post(erase_url, data={"confirm": "y"}).status_code
    with app.app_context():
        hits = traces(needles, erased)
    print(f"erased participant on {db_name} (by a counsellor, HTTP {status}): {before} cells "
          f"held her values or ids before, {len(hits)} after {hits[:5]}")  # fmt: skip


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
    server = subprocess.Popen(  # `placement serve`: gunicorn, as in production
        [sys.executable, "-c", "from placement.cli import main; main()", "serve", "--host",
         "127.0.0.1", "--port", str(port), "--workers", "4", "--threads", "2"],
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
        stop(server, 20)


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
    parser.add_argument("--only", default="timing,table,idor,leaks,limits")
    parser.add_argument("--pg", default=os.environ.get("PLACEMENT_TEST_DATABASE_URL"))
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="probe-") as tmp:
        folder = Path(tmp)
        if "timing" in parts:
            timing(folder)
        if "table" in parts:
            table(folder, args.pg)
        if "idor" in parts:
            idor(folder, args.pg)
        if "leaks" in parts:
            leaks(folder, args.pg)
        if "limits" in parts:
            limits(folder, None)
            limits(folder, args.redis)


if __name__ == "__main__":
    main()
