"""End to end under load: logged-in counsellors opening match pages against `placement serve`.

usage: python bench/load.py --pg URL [--participants 10000] [--distinct 2000] [--vacancies 200]
                            [--users 50] [--seconds 60] [--workers 4] [--threads 2]
                            [--skip-setup] [--profile N [--top K]]

The database at URL is wiped. It gets --participants consenting participants (their profile
texts drawn from --distinct different texts), --vacancies published vacancies, --users
counsellors and as many participant logins. Then `placement embed` prepares everything (its
time and rate are printed: the cold start), `placement serve --workers W` starts on 127.0.0.1,
and --users client threads, each signed in as its own counsellor, open the match pages of
random vacancies for --seconds; then as many participants open their suggestion pages. Prints
requests/s, p50/p95 latency and errors per page type. Loopback only, bounded in time; the
server is stopped at the end. Targets (issue 13): p95 <= 1 s, >= 50 requests/s, no errors.

--skip-setup reuses a database prepared before (same --vacancies and --users). --profile N
serves no server: N requests of each page type (random subjects, pools built) go through the
app in this process (Flask test client, one signed-in counsellor or participant), then the same
N again; the server CPU time per request is printed for both (process time, the number to
compare between machines): the first visit of a subject in a worker judges and explains, a
repeat visit uses the kept judgement. With --top K the repeat requests are profiled (cProfile)
and the K functions that take most are printed (--sort).
"""

from __future__ import annotations

import argparse
import functools
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from common import ROOT, stop  # noqa: E402  (bench/common.py: offline models, the repository on the path)
from speed import WORDS  # noqa: E402  (bench/speed.py: words of profiles)

PASSWORD = "correct horse battery staple"
TITLES = ["Fachkraft für Lagerlogistik", "Busfahrer/in", "Koch/Köchin", "Pflegehelfer/in",
          "Elektroniker/in", "Maurer/in", "Verkäufer/in", "Reinigungskraft", "Bäcker/in",
          "Berufskraftfahrer/in", "Bürokaufmann/-frau", "Schweißer/in"]  # fmt: skip
POSTCODES = ["30159", "30167", "31134", "30419", "30855", "31515", "30938", "38100"]


def setup(url: str, args) -> tuple[list[int], list[str], list[str]]:
    """Wipe the database, migrate, insert the world; return vacancy ids and the logins."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from placement import create_app
    from placement.accounts.services import create_user
    from placement.employers.models import Vacancy
    from placement.employers.services import create_organisation
    from placement.extensions import db
    from placement.participants.models import Participant

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load", "TESTING": True,
                      "PLACEMENT_PREPARE": "request"})  # fmt: skip
    rng = random.Random(13)
    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
        upgrade()
        org = create_organisation({"name": "Last GmbH", "postcode": "30159"}, approved=True)
        vacancies = [
            Vacancy(organisation=org, title=rng.choice(TITLES), status="published",
                    description=" ".join(rng.sample(WORDS, 6)), skills=rng.sample(WORDS, 2),
                    german_level=rng.choice([None, "A2", "B1", "B2"]),
                    postcode=rng.choice(POSTCODES), radius_km=rng.choice([None, 30, 60]),
                    hours_per_week=rng.choice([None, 20, 30, 38]),
                    kind=rng.choice(["job", "internship"]))
            for _ in range(args.vacancies)
        ]  # fmt: skip
        db.session.add_all(vacancies)
        profiles = [  # (text, skills, desired occupation): what the encoder sees
            (" ".join(rng.sample(WORDS, rng.randint(5, 14))), rng.sample(WORDS, 2),
             [rng.choice(TITLES)])
            for _ in range(args.distinct)
        ]  # fmt: skip
        for i in range(args.participants):
            profile, skills, desired = rng.choice(profiles)
            db.session.add(Participant(
                first_name=f"P{i}", last_name="Last", consent_matching=True,
                profile_text=profile, skills=skills, desired_occupations=desired,
                german_level=rng.choice([None, "A1", "A2", "B1", "B2", "C1"]),
                work_permit=rng.choice(["any_work", "employment", "approval_required",
                                        "not_permitted"]),
                postcode=rng.choice(POSTCODES), max_commute_km=rng.choice([None, 20, 50]),
                hours_per_week=rng.choice([None, 20, 30, 40]), phase=rng.choice([4, 4, 5]),
            ))  # fmt: skip
            if i % 2000 == 0:
                db.session.flush()
        counsellors, people = [], []
        for i in range(args.users):
            user = create_user(f"c{i}@load.example", f"C {i}", "counsellor", PASSWORD)
            counsellors.append(user.email)
            user = create_user(f"p{i}@load.example", f"P {i}", "participant", PASSWORD)
            person = db.session.get(Participant, i + 1)
            person.user = user
            people.append(user.email)
        db.session.commit()
        ids = [v.id for v in vacancies]
        db.session.remove()
        db.engine.dispose()
    return ids, counsellors, people


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One signed-in browser: keep-alive connection, session cookie."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # gunicorn closes idle keep-alive connections after 2 s: a browser reconnects
            self.conn.close()
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, response.read().decode("utf-8", "replace")

    def login(self, email: str) -> None:
        _, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _ = self.request("POST", "/login", {"csrf_token": token, "email": email,
                                                    "password": PASSWORD})  # fmt: skip
        if status != 302:
            raise RuntimeError(f"login of {email} failed: {status}")


def server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by the server's worker processes (Linux /proc)."""
    found = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True)
    total = 0
    for pid in found.stdout.split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def wait_until_serving(port: int, seconds: float = 120) -> None:
    """Wait until the server on `port` answers a page (it boots its workers first)."""
    for _ in range(int(seconds * 2)):
        try:
            Client(port).request("GET", "/login")
            return
        except OSError:
            time.sleep(0.5)


def hammer(port: int, logins: list[str], paths, seconds: float, cpu=None
           ) -> tuple[list[float], list, float]:  # fmt: skip
    """--users clients signed in, then requests for `seconds`: the times, the errors, and the
    CPU seconds `cpu()` counted while the requests ran (0 without `cpu`)."""
    clients = []
    for email in logins:
        client = Client(port)
        client.login(email)
        clients.append(client)
    times: list[float] = []
    errors: list = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(client: Client, rng: random.Random) -> None:
        while time.monotonic() < stop:
            path = paths(rng)
            start = time.perf_counter()
            try:
                status, body = client.request("GET", path)
            except OSError as exc:
                status, body = 0, f"{type(exc).__name__}: {exc}"
            took = time.perf_counter() - start
            with lock:
                times.append(took)
                if status != 200 or "Internal Server Error" in body:
                    errors.append((status, path, body[:60] if status == 0 else ""))

    threads = [threading.Thread(target=run, args=(c, random.Random(i)))
               for i, c in enumerate(clients)]  # fmt: skip
    used = cpu() if cpu else 0.0
    stop = time.monotonic() + seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors, (cpu() - used if cpu else 0.0)


def profile(args, env: dict, ids: list[int], counsellors: list[str], people: list[str]) -> None:
    """Warm requests of each page type in this process: CPU ms per request and where it goes.

    A request is a (signed-in client, path) pair: the match pages are drawn by one counsellor,
    the suggestion pages by up to 10 participants in turn (each sees their own list, of very
    different lengths, as in the load)."""
    import cProfile
    import pstats

    os.environ.update(env)
    from placement import create_app

    app = create_app()
    rng = random.Random(1)

    def sign_in(login: str):
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"csrf_token": token, "email": login,
                                               "password": PASSWORD})  # fmt: skip
        assert response.status_code == 302, response.status_code
        return client

    pages = [
        ("vacancy match page", counsellors[:1],
         lambda: (0, f"/counsellor/vacancies/{rng.choice(ids)}/matches")),
        ("participant match page", counsellors[:1],
         lambda: (0, f"/counsellor/participants/{rng.randint(1, args.participants)}/matches")),
        ("suggestion page", people[:10],
         lambda: (rng.randrange(min(10, len(people))), "/me/suggestions")),
    ]  # fmt: skip
    for label, logins, draw in pages:
        clients = [sign_in(login) for login in logins]

        def get(request, clients=clients):
            return clients[request[0]].get(request[1])

        seen = {draw() for _ in range(3)}
        for request in seen:  # the pools
            assert get(request).status_code == 200
        # first: subjects this worker has not ranked yet; then the same again (kept judgements)
        requests = [draw() for _ in range(args.profile)]
        seen.update(requests)
        for visit in ("first visit", "repeat visit"):
            cpu, wall = time.process_time(), time.perf_counter()
            for request in requests:
                response = get(request)
                assert response.status_code == 200, response.status_code
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"{label}, {visit}: {cpu / len(requests) * 1e3:.1f} ms CPU, "
                  f"{wall / len(requests) * 1e3:.1f} ms wall per request ({len(requests)} "
                  f"requests in this process; load {os.getloadavg()[0]:.1f})")  # fmt: skip
        if args.top:  # the repeat visits, then first visits of subjects not seen yet
            drawn = dict.fromkeys(draw() for _ in range(args.profile * 20))
            fresh = [r for r in drawn if r not in seen]
            for visit, chosen in (("repeat visit", requests),
                                  ("first visit", fresh[: args.profile])):  # fmt: skip
                profiler = cProfile.Profile()
                profiler.enable()
                for request in chosen:
                    get(request)
                    seen.add(request)
                profiler.disable()
                print(f"--- {label}, {visit}: {len(chosen)} requests profiled")
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


def report(label: str, times: list[float], errors: list, seconds: float, cpu: float = 0.0
           ) -> None:  # fmt: skip
    if not times:
        print(f"{label}: no requests")
        return
    q = statistics.quantiles(times, n=20)
    print(f"{label}: {len(times)} requests in {seconds:.0f} s = {len(times) / seconds:.1f} req/s; "
          f"p50 {statistics.median(times) * 1e3:.0f} ms, p95 {q[18] * 1e3:.0f} ms, "
          f"max {max(times) * 1e3:.0f} ms; errors {len(errors)} {errors[:3]}; "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    if cpu:
        print(f"  server workers: {cpu:.1f} s CPU = {cpu / len(times) * 1e3:.1f} ms a request, "
              f"{cpu / seconds / (os.cpu_count() or 1):.0%} of the machine's "
              f"{os.cpu_count()} cores")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", required=True, help="PostgreSQL URL of a database to wipe")
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--distinct", type=int, default=2_000)
    parser.add_argument("--vacancies", type=int, default=200)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2, help="request threads per worker")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="no server: N profiled warm requests per page type in-process",
    )
    parser.add_argument("--top", type=int, default=0, help="with --profile: print K functions")
    parser.add_argument("--sort", default="cumulative", help="with --top: cumulative, tottime")
    parser.add_argument("--skip-setup", action="store_true",
                        help="reuse the database (placement embed still runs)")  # fmt: skip
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PLACEMENT_DATABASE_URL": args.pg,
           "PLACEMENT_SECRET_KEY": "load", "PLACEMENT_RATE_LIMITS": "false",
           "PLACEMENT_DEFAULT_LOCALE": "en", "PLACEMENT_LOG_LEVEL": "WARNING"}  # fmt: skip
    placement = [str(Path(sys.executable).parent / "placement")]  # the console script
    if args.skip_setup or args.profile:
        ids = list(range(1, args.vacancies + 1))
        counsellors = [f"c{i}@load.example" for i in range(args.users)]
        people = [f"p{i}@load.example" for i in range(args.users)]
    else:
        start = time.perf_counter()
        ids, counsellors, people = setup(args.pg, args)
        took = time.perf_counter() - start
        print(
            f"setup: {args.participants} participants ({args.distinct} distinct profile "
            f"texts), {args.vacancies} vacancies in {took:.0f} s"
        )
    if args.profile:
        profile(args, env, ids, counsellors, people)
        return
    start = time.perf_counter()
    subprocess.run([*placement, "embed"], env=env, check=True)
    print(f"cold start: `placement embed` prepared everything in "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    port = free_port()
    server = subprocess.Popen([*placement, "serve", "--port", str(port), "--workers",
                               str(args.workers), "--threads", str(args.threads)],
                              env=env, stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_until_serving(port)
        warm = Client(port)
        warm.login(counsellors[0])
        start = time.perf_counter()
        for _ in range(args.workers * 3):  # every worker builds its pools once
            warm.request("GET", f"/counsellor/vacancies/{ids[0]}/matches")
        print(f"first pages (each worker loads its pools): {time.perf_counter() - start:.1f} s "
              f"for {args.workers * 3} requests; load {os.getloadavg()[0]:.1f}")  # fmt: skip
        cpu = functools.partial(server_cpu, server)
        times, errors, used = hammer(port, counsellors, lambda rng: (
            f"/counsellor/vacancies/{rng.choice(ids)}/matches"), args.seconds, cpu)  # fmt: skip
        report(f"{len(counsellors)} counsellors, vacancy match pages", times, errors, args.seconds,
               used)  # fmt: skip
        times, errors, used = hammer(port, people, lambda rng: "/me/suggestions", args.seconds, cpu)
        report(f"{len(people)} participants, suggestion pages", times, errors, args.seconds, used)
    finally:
        stop(server, 30)


if __name__ == "__main__":
    main()
