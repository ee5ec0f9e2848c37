"""Development suggestions: the engine's phase-5 results that are a step up or a qualification."""

from __future__ import annotations

from types import SimpleNamespace

from placement.matches.services import Ranked
from placement.matching import MatchResult


def _ranked(vacancy, phase, eligible=True, reasons=("related occupation (a step up)",)):
    result = MatchResult(id=str(vacancy.id), score=0.7, eligible=eligible, reasons=list(reasons),
                         constraints=[], parts={"phase": phase})  # fmt: skip
    return Ranked(result, vacancy)


def test_step_up_and_qualification_shown_with_reasons(app, client, login_as, create_placement,
                                                      create_participant, monkeypatch):  # fmt: skip
    login_as("counsellor")
    person = create_participant(consent_matching=True)
    pid = create_placement(participant_id=person)
    org = SimpleNamespace(name="Akademie Hannover")
    up = SimpleNamespace(id=901, kind="job", title="Lagerleitung", organisation=org)
    same = SimpleNamespace(id=902, kind="job", title="Lagerhelfer", organisation=org)
    course = SimpleNamespace(id=903, kind="qualification", title="Meisterkurs Logistik",
                             organisation=org)  # fmt: skip
    blocked = SimpleNamespace(id=904, kind="job", title="Schichtleitung", organisation=org)
    seen = []

    def fake_rank(participant, actor, matcher=None, top_k=None):
        seen.append(participant.id)
        return [_ranked(up, 1.0), _ranked(same, 0.4), _ranked(course, 1.0),
                _ranked(blocked, 1.0, eligible=False)]  # fmt: skip

    monkeypatch.setattr("placement.matches.services.rank_vacancies", fake_rank)
    page = client.get(f"/counsellor/placements/{pid}").get_data(as_text=True)
    assert seen == [person]
    dev = page[page.index("Development") :]
    assert "Lagerleitung" in dev
    assert "a step up" in dev
    assert "Meisterkurs Logistik" in dev
    assert "Lagerhelfer" not in dev
    assert "Schichtleitung" not in dev


def test_no_suggestions_without_consent(client, login_as, create_placement,
                                        create_participant, monkeypatch):  # fmt: skip
    login_as("counsellor")
    pid = create_placement(participant_id=create_participant(consent_matching=False))

    def fail(*args, **kwargs):
        raise AssertionError("the engine must not rank without consent")

    monkeypatch.setattr("placement.matches.services.rank_vacancies", fail)
    page = client.get(f"/counsellor/placements/{pid}").get_data(as_text=True)
    assert "has not consented to job suggestions" in page
