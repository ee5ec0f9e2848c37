"""Match pages: ranked, explained, filtered, logged; only for counsellors and admins."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from placement.extensions import db
from placement.matches.models import MatchLog
from placement.matches.services import ENGINE_VERSION
from tests.conftest import page_ok


def _logs():
    return db.session.scalars(select(MatchLog).order_by(MatchLog.id)).all()


def test_vacancy_matches_explained_and_logged(app, client, login_as, world):
    counsellor = login_as("counsellor")
    html = page_ok(client, f"/counsellor/vacancies/{world['vacancy']}/matches")
    # names (counsellors may see them), eligibility, parts with labels, skills, constraints
    assert "Amina" in html
    assert "Bohdan" in html
    assert "Chen" in html
    assert "Dara" not in html  # no consent to matching: never ranked
    for label in ("Meaning of the texts", "Occupation", "Skills", "Fit to the phase"):
        assert label in html
    assert "<meter" in html
    assert "Matched skills" in html
    assert "Missing skills" in html
    assert "near miss" in html
    assert "Berufssprachkurs A2 → B1" in html
    assert "No permission to work" in html
    # human oversight and engine transparency
    assert "This ranking is a suggestion. You decide." in html
    assert ENGINE_VERSION in html
    assert "fake-bow@1" in html
    assert "Default weights" in html
    assert "TF-IDF" not in html
    # eligible first, ineligible below
    assert html.index("Amina") < html.index("Near misses: one step away") < html.index("Bohdan")
    with app.app_context():
        (log,) = _logs()
        assert (log.actor_id, log.actor_role) == (counsellor, "counsellor")
        assert (log.subject_type, log.subject_id) == ("vacancy", world["vacancy"])
        assert log.engine_version == ENGINE_VERSION
        assert log.model_name == "fake-bow@1"
        assert {r["id"] for r in log.results} == {
            str(world[k]) for k in ("eligible", "near", "no_permit", "phase5")
        }


def test_the_weights_shown_are_shares_of_the_score(app, client, login_as, world):
    login_as("counsellor")
    html = page_ok(client, f"/counsellor/vacancies/{world['vacancy']}/matches")
    listed = re.search(r"Default weights:\s*([^<]+)</dd>", html).group(1)
    shown = {k.strip(): v for k, v in re.findall(r"([A-Za-z ()]+?) (\d+)%", listed)}
    # the tests run without the ESCO layer: its part is no share of any score
    assert "Occupation (ESCO)" not in shown
    assert set(shown) == {"Meaning of the texts", "Occupation", "Skills", "Fit to the phase"}
    assert 99 <= sum(map(int, shown.values())) <= 101
    first_row = re.search(r'<dl class="parts">.*?</dl>', html, re.S).group(0)
    row = re.findall(r"\(weight (\d+)%\)", first_row)
    assert 99 <= sum(map(int, row)) <= 101
    assert "Occupation: same words" not in html  # no ESCO signal found anything: no 0 % rows


def test_every_view_is_logged(app, client, login_as, world):
    login_as("admin")
    for _ in range(3):
        assert client.get(f"/counsellor/vacancies/{world['vacancy']}/matches").status_code == 200
    assert client.get(f"/counsellor/participants/{world['eligible']}/matches").status_code == 200
    with app.app_context():
        logs = _logs()
        assert [(x.subject_type, x.actor_role) for x in logs] == [("vacancy", "admin")] * 3 + [
            ("participant", "admin")
        ]
        assert logs[-1].subject_id == world["eligible"]
        assert logs[-1].results[0]["id"] == str(world["vacancy"])


def test_participant_matches_page(client, login_as, world, create_vacancy):
    create_vacancy(world["org"], title="Helfer/in Lager", kind="internship", duration_weeks=6,
                   german_level="C1")  # fmt: skip
    login_as("counsellor")
    html = client.get(f"/counsellor/participants/{world['eligible']}/matches").get_data(True)
    assert "Fachkraft für Lagerlogistik" in html
    assert "Helfer/in Lager" in html
    assert "Berufssprachkurs B2 → C1" in html
    assert "This ranking is a suggestion. You decide." in html
    filtered = client.get(
        f"/counsellor/participants/{world['eligible']}/matches?kind=internship"
    ).get_data(True)
    assert "Helfer/in Lager" in filtered
    assert "Fachkraft für Lagerlogistik" not in filtered


def _names(client, vacancy, query):
    html = client.get(f"/counsellor/vacancies/{vacancy}/matches?{query}").get_data(True)
    return {n for n in ("Amina", "Bohdan", "Chen", "Emre") if n in html}


def test_filters(client, login_as, world):
    login_as("counsellor")
    v = world["vacancy"]
    assert _names(client, v, "") == {"Amina", "Bohdan", "Chen", "Emre"}
    assert _names(client, v, "group=eligible") == {"Amina", "Emre"}
    assert _names(client, v, "phase=5") == {"Emre"}
    assert _names(client, v, "min_german=B2") == {"Amina", "Chen", "Emre"}
    assert _names(client, v, "min_german=C1") == {"Emre"}
    assert _names(client, v, "max_km=5") == {"Amina", "Bohdan", "Chen", "Emre"}


def test_distance_filter_drops_far_and_unknown(client, login_as, world, create_participant):
    munich = {"postcode": "80331", "hours_per_week": 40, "consent_matching": True}
    create_participant(first_name="Farid", german_level="B2", **munich)
    login_as("counsellor")
    html = client.get(f"/counsellor/vacancies/{world['vacancy']}/matches").get_data(True)
    assert "Farid" in html
    html = client.get(f"/counsellor/vacancies/{world['vacancy']}/matches?max_km=50").get_data(True)
    assert "Farid" not in html
    assert "Amina" in html


def test_invalid_filter_is_reported_and_nothing_ranked(app, client, login_as, world):
    login_as("counsellor")
    response = client.get(f"/counsellor/vacancies/{world['vacancy']}/matches?max_km=-3")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    with app.app_context():
        assert _logs() == []


def test_fallback_encoder_is_announced(client, login_as, world, engine):
    engine.use_fallback()
    login_as("counsellor")
    html = client.get(f"/counsellor/vacancies/{world['vacancy']}/matches").get_data(True)
    assert "word-based fallback (TF-IDF)" in html


@pytest.mark.parametrize("path", ["vacancies/{vacancy}/matches", "participants/{eligible}/matches"])
def test_access(app, client, auth, login_as, world, path):
    url = "/counsellor/" + path.format(**world)
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    for role in ("employer", "participant"):
        login_as(role, organisation_id=world["org"] if role == "employer" else None)
        assert client.get(url).status_code == 403
        auth.logout()
    with app.app_context():
        assert _logs() == []


def test_unknown_records_are_404(client, login_as, world):
    login_as("counsellor")
    assert client.get("/counsellor/vacancies/9999/matches").status_code == 404
    assert client.get("/counsellor/participants/9999/matches").status_code == 404


def test_the_filter_form_shows_the_filters_chosen(client, login_as, world):
    """The form keeps what was chosen, for each query and language on its own."""
    login_as("counsellor")
    url = f"/counsellor/vacancies/{world['vacancy']}/matches"
    chosen = re.compile(r'<option selected value="B2">|<option value="B2" selected>')
    assert not chosen.search(client.get(url).get_data(True))
    assert chosen.search(client.get(url + "?min_german=B2").get_data(True))
    assert 'value="7"' in client.get(url + "?min_german=B2&max_km=7").get_data(True)
    assert not chosen.search(client.get(url + "?min_german=C1").get_data(True))
    client.post("/language", data={"locale": "de", "next": "/"})
    assert "Filter anwenden" in client.get(url + "?min_german=B2").get_data(True)
