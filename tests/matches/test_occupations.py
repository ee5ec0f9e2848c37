"""Counsellors see and correct the occupations the engine detects; the ranking follows."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from placement.accounts.models import User
from placement.audit.models import AuditEvent
from placement.employers.models import Vacancy
from placement.extensions import db
from placement.matches import occupations
from placement.matches.services import candidate_record, rank_vacancies, vacancy_record
from placement.participants.models import Participant
from tests.conftest import PASSWORD
from tests.fakes import FakeEncoder

# Written for these tests: a nurse from Ukraine describing her work in Ukrainian.
NURSE_UK = (
    "Я медична сестра, шість років працювала в хірургічному відділенні лікарні в Харкові: "
    "перев'язки, крапельниці, уколи, догляд за пацієнтами після операцій."
)


@pytest.fixture
def nurse(create_org, create_vacancy, create_participant, engine):
    """A Ukrainian nurse's profile and a published nursing vacancy."""
    org = create_org(name="Klinikum Süd gGmbH")
    vacancy = create_vacancy(
        org,
        title="Pflegefachkraft (m/w/d) Chirurgie",
        description="Grundpflege und Behandlungspflege auf einer chirurgischen Station.",
        skills=["Wundversorgung"],
    )
    person = create_participant(
        first_name="Oksana",
        profile_text=NURSE_UK,
        profile_language="uk",
        consent_matching=True,
        hours_per_week=38,
        phase=4,
    )
    return {"participant": person, "vacancy": vacancy}


def _events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_nurse_profile_detected_and_shown(app, client, login_as, nurse):
    with app.app_context():
        person = db.session.get(Participant, nurse["participant"])
        detected = occupations.detected_concepts(person)
    assert detected[0].id == "pflegefachkraft"
    assert detected[0].title_en == "Registered nurse (general nursing)"
    assert detected[0].level == 2
    assert 0 < detected[0].weight <= 1

    login_as("counsellor")
    html = client.get(f"/counsellor/participants/{nurse['participant']}").get_data(as_text=True)
    assert "Occupations (detected / corrected)" in html
    assert "Registered nurse (general nursing)" in html
    assert "Pflegefachfrau/Pflegefachmann" in html
    assert "2 – Skilled worker" in html
    assert "No correction: the matching uses the occupations detected" in html
    assert f"/counsellor/participants/{nurse['participant']}/occupations" in html

    page = client.get(f"/counsellor/participants/{nurse['participant']}/occupations")
    assert page.status_code == 200
    form = page.get_data(as_text=True)
    assert re.search(r'value="pflegefachkraft" id="concept-pflegefachkraft" checked', form)
    assert "Automatic detection" in form


def test_search_finds_titles_in_both_languages(app, client, login_as, nurse):
    login_as("admin")
    url = f"/counsellor/participants/{nurse['participant']}/occupations"
    german = client.get(url, query_string={"q": "lagerlogistik"}).get_data(as_text=True)
    assert 'value="fachkraft_lagerlogistik"' in german
    assert 'value="fachkraft_lagerlogistik" id="concept-fachkraft_lagerlogistik" checked' not in (
        german
    )
    english = client.get(url, query_string={"q": "Warehouse"}).get_data(as_text=True)
    assert 'value="fachkraft_lagerlogistik"' in english
    none = client.get(url, query_string={"q": "Astronaut"}).get_data(as_text=True)
    assert "No occupation in the lexicon matches" in none
    with app.app_context():
        assert occupations.search_concepts("") == []
        assert "koch" in {c.id for c in occupations.search_concepts("cook")}


def test_correction_changes_what_the_engine_uses(app, client, login_as, nurse):
    counsellor = login_as("counsellor")
    with app.app_context():
        actor = db.session.get(User, counsellor)
        person = db.session.get(Participant, nurse["participant"])
        assert candidate_record(person).concepts is None
        (before,) = rank_vacancies(person, actor)
        assert before.result.concepts == ["pflegefachkraft"]
        assert before.result.parts["concept"] > 0.5

    url = f"/counsellor/participants/{nurse['participant']}/occupations"
    response = client.post(url, data={"concepts": ["fachkraft_lagerlogistik"]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/counsellor/participants/{nurse['participant']}#occupations"
    )

    with app.app_context():
        actor = db.session.get(User, counsellor)
        person = db.session.get(Participant, nurse["participant"])
        assert person.concepts == ["fachkraft_lagerlogistik"]
        assert candidate_record(person).concepts == ["fachkraft_lagerlogistik"]
        (after,) = rank_vacancies(person, actor)
        assert after.result.concepts == []
        assert after.result.parts["concept"] == 0.0
        assert after.result.score < before.result.score
        (event,) = _events("participant.concepts")
        assert (event.actor_id, event.actor_role) == (counsellor, "counsellor")
        assert (event.subject_type, event.subject_id) == ("participant", person.id)
        assert event.details == {"concepts": ["fachkraft_lagerlogistik"], "previous": None}

    html = client.get(f"/counsellor/participants/{nurse['participant']}").get_data(as_text=True)
    assert "Correction active" in html
    assert "Warehouse logistics specialist" in html
    # the detected occupations stay visible next to the correction
    assert "Registered nurse (general nursing)" in html


def test_vacancy_correction_follows_into_the_ranking(app, client, login_as, nurse):
    counsellor = login_as("admin")
    both = ["fachkraft_lagerlogistik"]
    with app.app_context():
        actor = db.session.get(User, counsellor)
        occupations.set_concepts(db.session.get(Participant, nurse["participant"]), both, actor)
        db.session.commit()

    url = f"/counsellor/vacancies/{nurse['vacancy']}/occupations"
    assert client.post(url, data={"concepts": both}).status_code == 302
    with app.app_context():
        actor = db.session.get(User, counsellor)
        vacancy = db.session.get(Vacancy, nurse["vacancy"])
        assert vacancy_record(vacancy).concepts == both
        assert occupations.detected_concepts(vacancy)[0].id == "pflegefachkraft"
        (ranked,) = rank_vacancies(db.session.get(Participant, nurse["participant"]), actor)
        assert ranked.result.concepts == both
        assert ranked.result.parts["concept"] == 1.0
        (event,) = _events("vacancy.concepts")
        assert (event.subject_type, event.subject_id) == ("vacancy", vacancy.id)
    html = client.get(f"/counsellor/vacancies/{nurse['vacancy']}").get_data(as_text=True)
    assert "Occupations (detected / corrected)" in html
    assert "Correction active" in html


def test_unknown_or_empty_correction_refused(app, client, login_as, nurse):
    login_as("counsellor")
    url = f"/counsellor/participants/{nurse['participant']}/occupations"
    response = client.post(url, data={"concepts": ["pflegefachkraft", "astronaut"]})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="concepts-error"' in html
    assert "Unknown occupation: astronaut" in html
    empty = client.post(url, data={})
    assert empty.status_code == 422
    assert "Choose at least one occupation" in empty.get_data(as_text=True)
    with app.app_context():
        person = db.session.get(Participant, nurse["participant"])
        assert person.concepts is None
        assert _events("participant.concepts") == []
        with pytest.raises(occupations.ConceptError) as err:
            occupations.set_concepts(person, ["koch", "no_such_job"], None)
        assert err.value.unknown == ["no_such_job"]
        assert person.concepts is None


def test_reset_returns_to_detection(app, client, login_as, nurse):
    counsellor = login_as("counsellor")
    base = f"/counsellor/participants/{nurse['participant']}/occupations"
    client.post(base, data={"concepts": ["koch", "koch"]})
    with app.app_context():
        assert db.session.get(Participant, nurse["participant"]).concepts == ["koch"]
    assert "Reset to automatic detection" in client.get(base).get_data(as_text=True)

    response = client.post(f"{base}/reset")
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(Participant, nurse["participant"])
        assert person.concepts is None
        assert candidate_record(person).concepts is None
        events = _events("participant.concepts")
        assert [e.details["concepts"] for e in events] == [["koch"], None]
        assert events[-1].details["previous"] == ["koch"]
        assert events[-1].actor_id == counsellor
    # nothing to reset: no further audit row
    assert client.post(f"{base}/reset").status_code == 302
    with app.app_context():
        assert len(_events("participant.concepts")) == 2


def _routes(nurse):
    p, v = nurse["participant"], nurse["vacancy"]
    return [
        ("get", f"/counsellor/participants/{p}/occupations"),
        ("post", f"/counsellor/participants/{p}/occupations"),
        ("post", f"/counsellor/participants/{p}/occupations/reset"),
        ("get", f"/counsellor/vacancies/{v}/occupations"),
        ("post", f"/counsellor/vacancies/{v}/occupations"),
        ("post", f"/counsellor/vacancies/{v}/occupations/reset"),
    ]


def test_anonymous_redirected_to_login(client, nurse):
    for method, url in _routes(nurse):
        response = getattr(client, method)(url, data={"concepts": ["koch"]})
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["participant", "employer"])
def test_other_roles_forbidden(app, client, login_as, nurse, role):
    # the employer owns the vacancy: still not theirs to correct
    org = None
    if role == "employer":
        with app.app_context():
            org = db.session.get(Vacancy, nurse["vacancy"]).organisation_id
    login_as(role, organisation_id=org)
    for method, url in _routes(nurse):
        response = getattr(client, method)(url, data={"concepts": ["koch"]})
        assert response.status_code == 403, url
    with app.app_context():
        assert db.session.get(Participant, nurse["participant"]).concepts is None
        assert db.session.get(Vacancy, nurse["vacancy"]).concepts is None


def test_unknown_records_not_found(client, login_as, nurse):
    login_as("counsellor")
    assert client.get("/counsellor/participants/9999/occupations").status_code == 404
    assert client.post("/counsellor/vacancies/9999/occupations/reset").status_code == 404


def test_correction_needs_csrf_token(csrf_app, create_user, create_participant):
    client = csrf_app.test_client()
    _, email = create_user("counsellor")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    login = {"email": email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 302
    person = create_participant(profile_text=NURSE_UK, profile_language="uk")
    url = f"/counsellor/participants/{person}/occupations"
    assert client.post(url, data={"concepts": ["koch"]}).status_code == 400
    assert client.post(f"{url}/reset").status_code == 400
    form = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    ok = client.post(url, data={"concepts": ["koch"], "csrf_token": token})
    assert ok.status_code == 302


@pytest.fixture
def esco_engine(monkeypatch, nurse):
    """The matcher with a small ESCO catalogue (lexical signal only) beneath the lexicon."""
    from placement.matching import Matcher, MemoryCache, load_lexicon
    from placement.matching.esco import Esco, EscoOccupation, LexicalSignal, OccupationIndex

    def occ(oid, isco, level, de, en):
        return EscoOccupation(oid, f"{isco}.1", isco, level, False, {"de": de, "en": en})

    catalogue = Esco(
        [
            occ("nurse", "2221", 4, ("Pflegefachmann/Pflegefachfrau",), ("nurse responsible",)),
            occ("surgery", "3221", 3, ("OP-Pflegekraft", "Pflegekraft Chirurgie"), ("scrub",)),
            occ("diver", "7541", 2, ("Berufstaucher/Berufstaucherin",), ("commercial diver",)),
        ]
    )
    index = OccupationIndex(catalogue, [LexicalSignal()], min_confidence=0.2)
    lexicon = load_lexicon()

    def get_matcher(model=None, weights=None):
        return Matcher(encoder=FakeEncoder(), lexicon=lexicon, cache=MemoryCache(),
                       weights=weights, occupations=index)  # fmt: skip

    monkeypatch.setattr("placement.matches.services.get_matcher", get_matcher)
    return catalogue


def test_esco_occupations_shown_and_correctable(app, client, login_as, nurse, esco_engine):
    with app.app_context():
        vacancy = db.session.get(Vacancy, nurse["vacancy"])
        vacancy.title, vacancy.description = "Berufstaucher (m/w/d) im Hafen", ""
        db.session.commit()
        detected = occupations.detected_concepts(vacancy)
    esco = [c for c in detected if c.source == "esco"]
    assert esco[0].id == "esco:diver"  # an occupation the lexicon does not know
    assert all(0 < c.weight <= 1 for c in esco)

    counsellor = login_as("counsellor")
    url = f"/counsellor/vacancies/{nurse['vacancy']}/occupations"
    found = client.get(url, query_string={"q": "op-pflegekraft"}).get_data(as_text=True)
    assert 'value="esco:surgery"' in found
    assert "ESCO" in found
    assert client.post(url, data={"concepts": ["esco:surgery"]}).status_code == 302
    with app.app_context():
        vacancy = db.session.get(Vacancy, nurse["vacancy"])
        assert vacancy.concepts == ["esco:surgery"]
        (corrected,) = occupations.corrected_concepts(vacancy)
        assert (corrected.title_de, corrected.level, corrected.source) == (
            "OP-Pflegekraft",
            3,
            "esco",
        )
        record = vacancy_record(vacancy)
        (side,) = services_matcher().detect_occupations([record])
        assert side.esco == {"surgery": 1.0}
        (event,) = _events("vacancy.concepts")
        assert event.actor_id == counsellor
    html = client.get(f"/counsellor/vacancies/{nurse['vacancy']}").get_data(as_text=True)
    assert "OP-Pflegekraft" in html

    refused = client.post(url, data={"concepts": ["esco:no-such-occupation"]})
    assert refused.status_code == 422
    assert "esco:no-such-occupation" in refused.get_data(as_text=True)


def services_matcher():
    from placement.matches import services

    return services.get_matcher()
