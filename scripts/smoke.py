"""Use a running placement server as a person would, and say what fails.

    python scripts/smoke.py demo  BASE_URL LOGFILE   # the README's demo: pages, login, matches
    python scripts/smoke.py ready BASE_URL           # a production server: /readyz, /login

`demo` reads the demo logins from the server's own output (LOGFILE), signs in as a counsellor,
opens a vacancy's ranked matches and expects at least one ranked participant. Standard library
only, loopback only, every request with a time limit. Exit status 1 on the first failure.
"""

from __future__ import annotations

import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT = 240  # the first match page of a cold demo may encode its records


class Browser:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, method="POST"))

    def _open(self, req) -> tuple[int, str]:
        try:
            with self.opener.open(req, timeout=TIMEOUT) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"SMOKE FAILED: {what}")
    print(f"ok: {what}")


def wait_until_up(browser: Browser, seconds: int = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _ = browser.get("/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"SMOKE FAILED: no answer from {browser.base} within {seconds} s")


def demo_logins(logfile: str) -> tuple[str, str]:
    """The first counsellor login and the shared demo password, as `placement demo` prints them."""
    with open(logfile, encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    password = re.search(r"password for all: ([^)\s]+)\)", text)
    counsellor = re.search(r"^\s*counsellor\s+(\S+@\S+)", text, re.MULTILINE)
    expect(password is not None and counsellor is not None, "the demo printed its logins")
    return counsellor.group(1), password.group(1)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    expect(match is not None, "the sign-in form carries a CSRF token")
    return match.group(1)


def check_demo(base: str, logfile: str) -> None:
    browser = Browser(base)
    wait_until_up(browser)
    status, _ = browser.get("/")
    expect(status == 200, f"home page answers 200 (got {status})")
    status, html = browser.get("/login")
    expect(status == 200, f"/login answers 200 (got {status})")
    email, password = demo_logins(logfile)
    status, html = browser.post("/login", {"email": email, "password": password,
                                           "csrf_token": csrf_token(html)})  # fmt: skip
    expect(status == 200 and "/logout" in html, f"demo counsellor {email} signs in")
    status, html = browser.get("/counsellor/vacancies")
    ids = re.findall(r'href="/counsellor/vacancies/(\d+)"', html)
    expect(status == 200 and bool(ids), "the counsellor sees the vacancies")
    started = time.monotonic()
    status, html = browser.get(f"/counsellor/vacancies/{ids[0]}/matches")
    seconds = time.monotonic() - started
    ranked = set(re.findall(r'href="/counsellor/participants/(\d+)"', html))
    expect(status == 200 and len(ranked) >= 1,
           f"vacancy {ids[0]}'s ranked matches show {len(ranked)} participants "
           f"(status {status}, {seconds:.1f} s)")  # fmt: skip
    status, _ = browser.get("/verify/NOT-A-CODE")
    expect(status == 404, f"/verify/NOT-A-CODE answers 404 (got {status})")


def check_ready(base: str) -> None:
    browser = Browser(base)
    wait_until_up(browser, seconds=180)
    status, body = browser.get("/readyz")
    expect(status == 200, f"/readyz answers 200 (got {status}: {body.strip()[:200]})")
    status, _ = browser.get("/login")
    expect(status == 200, f"/login answers 200 (got {status})")


def main(argv: list[str]) -> None:
    if len(argv) >= 3 and argv[1] == "demo":
        check_demo(argv[2], argv[3])
    elif len(argv) >= 3 and argv[1] == "ready":
        check_ready(argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
