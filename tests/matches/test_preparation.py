"""Nothing is encoded on a request: saved records are prepared in the background, match pages
rank the ready ones and say how many are still being prepared; `placement embed` fills gaps."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from placement.extensions import db
from placement.matches import preparation
from placement.matches.models import Embedding
from tests.conftest import redis_up
from tests.fakes import FakeEncoder


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(PLACEMENT_PREPARE="thread", BABEL_DEFAULT_LOCALE="en",
                    PLACEMENT_MATCH_WEIGHTS_FILE=str(tmp_path / "w.json"))  # fmt: skip


PERSON = {
    "consent_matching": True,
    "hours_per_week": 40,
    "postcode": "30159",
    "phase": 4,
    "german_level": "B2",
    "profile_text": "Lagerarbeit, Kommissionieren, Wareneingang, Staplerschein",
}


def _stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Embedding))


def test_saving_records_prepares_them_in_the_background(
    app, client, login_as, encoder, create_org, create_vacancy, create_participant
):
    vacancy = create_vacancy(create_org())
    create_participant(first_name="Amina", **PERSON)
    create_participant(first_name="Bohdan", **{**PERSON, "profile_text": "Busfahrer, Linie"})
    preparation.wait(30)
    assert _stored(app) == 3  # the vacancy and both profiles, encoded once each
    login_as("counsellor")
    encoder.refuse = True  # from here on, any encoding would fail the page
    page = client.get(f"/counsellor/vacancies/{vacancy}/matches").get_data(as_text=True)
    assert "Amina" in page
    assert "Bohdan" in page
    assert "still being prepared" not in page


def test_a_page_ranks_the_ready_and_counts_the_others(
    app, client, login_as, encoder, create_org, create_vacancy, create_participant
):
    vacancy = create_vacancy(create_org())
    create_participant(first_name="Amina", **PERSON)
    preparation.wait(30)
    encoder.refuse = True  # the next profile cannot be encoded yet: it stays "being prepared"
    create_participant(first_name="Bohdan", **{**PERSON, "profile_text": "Busfahrer, Linie"})
    preparation.wait(30)
    login_as("counsellor")
    page = client.get(f"/counsellor/vacancies/{vacancy}/matches").get_data(as_text=True)
    assert "Amina" in page
    assert "Bohdan" not in page
    assert "1 record is still being prepared for matching" in page
    encoder.refuse = False
    with app.app_context():
        preparation.prepare(participant_ids=range(1, 10))
    page = client.get(f"/counsellor/vacancies/{vacancy}/matches").get_data(as_text=True)
    assert "Amina" in page
    assert "Bohdan" in page


def test_a_vacancy_not_yet_prepared_says_so(
    app, client, login_as, encoder, create_org, create_vacancy, create_participant
):
    create_participant(first_name="Amina", **PERSON)
    preparation.wait(30)
    encoder.refuse = True
    vacancy = create_vacancy(create_org())
    preparation.wait(30)
    login_as("counsellor")
    page = client.get(f"/counsellor/vacancies/{vacancy}/matches")
    assert page.status_code == 200
    assert "This record is still being prepared for matching" in page.get_data(as_text=True)


def test_embed_fills_what_is_missing_and_never_encodes_twice(
    app, runner, encoder, create_org, create_vacancy, create_participant, monkeypatch
):
    monkeypatch.setattr(preparation, "queue_ids", lambda kind, ids: None)  # nothing in the back
    create_vacancy(create_org())
    for i in range(5):
        create_participant(first_name=f"P{i}", **{**PERSON, "profile_text": f"Lager {i}"})
    create_participant(first_name="Same", **{**PERSON, "profile_text": "Lager 0"})
    result = runner.invoke(args=["embed"])
    assert result.exit_code == 0, result.output
    assert "Encoded 6 texts (0 were stored already)" in result.output
    assert len(encoder.texts) == len(set(encoder.texts)) == 6  # equal profiles: one text
    create_participant(first_name="New", **{**PERSON, "profile_text": "Küche"})
    result = runner.invoke(args=["embed"])
    assert "Encoded 1 texts (6 were stored already)" in result.output
    assert _stored(app) == 7


def test_an_interrupted_embed_goes_on_where_it_stopped(
    app, runner, encoder, create_org, create_vacancy, create_participant, monkeypatch
):
    monkeypatch.setattr(preparation, "queue_ids", lambda kind, ids: None)
    monkeypatch.setattr(preparation, "BATCH", 2)
    for i in range(5):
        create_participant(first_name=f"P{i}", **{**PERSON, "profile_text": f"Lager {i}"})
    calls = []

    def stop_after_two_batches(texts):
        calls.append(texts)
        if len(calls) > 2:
            raise KeyboardInterrupt
        return FakeEncoder.encode(encoder, texts)

    monkeypatch.setattr(encoder, "encode", stop_after_two_batches)
    result = runner.invoke(args=["embed"])
    assert result.exit_code == 130
    assert "run again to go on" in result.output
    assert _stored(app) == 4  # two batches of two kept
    monkeypatch.setattr(encoder, "encode", lambda texts: FakeEncoder.encode(encoder, texts))
    result = runner.invoke(args=["embed"])
    assert "Encoded 1 texts (4 were stored already)" in result.output


REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.mark.skipif(not redis_up(REDIS_URL), reason="Redis on 127.0.0.1:6379 not reachable")
def test_with_redis_a_saved_profile_is_a_job_for_placement_worker(make_app, encoder):
    from rq import SimpleWorker

    from placement.participants.services import create_participant
    from placement.placements import queue as jobs

    app = make_app(PLACEMENT_REDIS_URL=REDIS_URL, PLACEMENT_PREPARE="auto")
    queue = jobs.queue(REDIS_URL)
    queue.empty()
    with app.app_context():
        assert preparation.mode() == "rq"
        create_participant({"first_name": "Amina", "last_name": "Test", **PERSON})
        db.session.commit()
    assert queue.count == 1
    assert _stored(app) == 0
    with app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert _stored(app) == 1
    queue.connection.close()


def test_a_changed_qualification_touches_its_participant(app, encoder, create_participant):
    from placement.participants.models import Participant, Qualification

    person_id = create_participant(first_name="Amina", **PERSON)
    with app.app_context():
        person = db.session.get(Participant, person_id)
        person.qualifications.append(Qualification(title="Pflege", recognition="in_process"))
        db.session.commit()
        before = db.session.get(Participant, person_id).updated_at
        qualification = db.session.scalars(select(Qualification)).one()
        qualification.recognition = "recognised"
        db.session.commit()
        assert db.session.get(Participant, person_id).updated_at > before
