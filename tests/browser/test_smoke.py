"""A person's path through the real UI in Debian's chromium (run with `-m browser`)."""

from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, BABEL_DEFAULT_LOCALE="de")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(browser):
    return browser.new_page(locale="de-DE")


def test_employer_signs_in_posts_a_vacancy_and_sees_errors(
    live_server, page, create_user, create_org, tmp_path
):
    app, base = live_server
    org = create_org("Bäckerei Sonnenkorn GmbH")
    _, email = create_user("employer", organisation_id=org)

    page.goto(f"{base}/login")
    assert page.locator("h1").inner_text() == "Anmelden"  # German by default
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/employer/")
    assert "Bäckerei Sonnenkorn GmbH" in page.inner_text("h1")

    page.click("text=Stelle oder Praktikum ausschreiben")
    page.fill("#title", "Bäcker/in (m/w/d)")
    page.fill("#postcode", "301")  # wrong: too short
    page.click("main button[type=submit]")
    assert page.locator("#postcode-error").is_visible()
    assert page.locator("#description-error").is_visible()
    assert page.input_value("#title") == "Bäcker/in (m/w/d)"  # nothing typed is lost

    page.fill("#postcode", "30159")
    page.fill("#description", "Backen von Brot und Brötchen in unserer Backstube in Linden.")
    page.fill("#hours_per_week", "38")
    page.select_option("#status", "published")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf"{base}/employer/vacancies/\d+$"))
    assert "Bäcker/in (m/w/d)" in page.inner_text("h1")
    page.goto(f"{base}/employer/")
    assert "Bäcker/in (m/w/d)" in page.inner_text("table")
    page.screenshot(path=str(tmp_path / "employer.png"), full_page=True)

    page.select_option("#locale", "en")
    page.click("header form button[type=submit] >> nth=0")
    assert "Our vacancies" in page.inner_text("header nav")
