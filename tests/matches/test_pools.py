"""Each worker's ranking pools stay current off the request: after records are prepared the
pool already holds them when the next match page comes, and a page that comes while a refresh
runs answers as it always did (placement/matches/keeper.py, pools.py)."""

from __future__ import annotations

import threading

import pytest

from placement.extensions import db
from placement.matches import keeper, pools, preparation
from placement.matching import Matcher
from placement.participants.models import Participant
from tests.conftest import redis_up
from tests.matches.test_preparation import PERSON


@pytest.fixture(autouse=True)
def _no_pause(monkeypatch):
    """The keeper refreshes again at once (it pauses after a refresh in production)."""
    monkeypatch.setattr(keeper, "SHARE", 1.0)


@pytest.fixture
def app(make_app, tmp_path):
    """Records prepared by the app's background thread; pools checked every minute only, so
    what a test sees comes from the announcements of the preparation job."""
    app = make_app(PLACEMENT_PREPARE="thread", PLACEMENT_POOL_REFRESH=60,
                   PLACEMENT_MATCH_WEIGHTS_FILE=str(tmp_path / "w.json"))  # fmt: skip
    yield app
    preparation.wait(30)
    keeper.stop(app)


@pytest.fixture
def builds(monkeypatch):
    """The candidate pools built, as (thread name, people ranked) in order."""
    done: list[tuple[str, int]] = []
    build = pools._build

    def counted(*args):
        entry = build(*args)
        if entry.pool.kind == "candidate":
            done.append((threading.current_thread().name, len(entry.ids)))
        return entry

    monkeypatch.setattr(pools, "_build", counted)
    return done


def _settled(app) -> None:
    preparation.wait(30)
    assert keeper.keeper(app, start=False).settle(30)


def _page(client, vacancy) -> str:
    response = client.get(f"/counsellor/vacancies/{vacancy}/matches")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_after_an_import_is_prepared_the_next_page_finds_its_pool_current(
    app, client, login_as, encoder, builds, monkeypatch, create_org, create_vacancy,
    create_participant
):  # fmt: skip
    vacancy = create_vacancy(create_org())
    create_participant(first_name="Amina", **PERSON)
    preparation.wait(30)
    login_as("counsellor")
    assert "Amina" in _page(client, vacancy)  # this worker serves match pages from now on
    for name in ("Bohdan", "Chen", "Dara"):
        create_participant(first_name=name, **{**PERSON, "profile_text": f"Lager {name}"})
    _settled(app)
    built = len(builds)
    assert builds[-1] == ("placement-pools", 4)  # built off the request, everyone ranked
    derived = []  # what explaining a row needs, derived on the page
    new_side = Matcher._new_side
    monkeypatch.setattr(Matcher, "_new_side", lambda m, r: derived.append(r) or new_side(m, r))
    page = _page(client, vacancy)
    assert len(builds) == built  # the page built nothing
    assert derived == []  # and derived nothing: it was done with the pool
    for name in ("Amina", "Bohdan", "Chen", "Dara"):
        assert name in page
    assert "still being prepared" not in page


def test_a_preparation_in_this_process_warms_the_pools_before_any_page(
    app, client, login_as, encoder, builds, create_org, create_vacancy, create_participant
):
    vacancy = create_vacancy(create_org())
    create_participant(first_name="Amina", **PERSON)
    _settled(app)
    login_as("counsellor")
    built = len(builds)
    assert "Amina" in _page(client, vacancy)
    assert len(builds) == built


def test_a_page_while_a_refresh_runs_waits_for_it_and_answers_with_everyone(
    app, client, login_as, encoder, monkeypatch, create_org, create_vacancy, create_participant
):
    vacancy = create_vacancy(create_org())
    create_participant(first_name="Amina", **PERSON)
    _settled(app)
    login_as("counsellor")
    assert "Amina" in _page(client, vacancy)
    announce = keeper.announce
    monkeypatch.setattr(keeper, "announce", lambda app=None: None)
    create_participant(first_name="Bohdan", **{**PERSON, "profile_text": "Busfahrer, Linie"})
    preparation.wait(30)  # prepared, not announced yet
    started, release, built = threading.Event(), threading.Event(), []
    build = pools._build

    def slow(matcher, stamp, loaded, before):
        if before is None or before.pool.kind != "candidate":
            return build(matcher, stamp, loaded, before)
        if threading.current_thread().name == "placement-pools":
            started.set()  # the refresh holds on until the page has come
            release.wait(30)
        built.append(threading.current_thread().name)
        return build(matcher, stamp, loaded, before)

    monkeypatch.setattr(pools, "_build", slow)
    with app.app_context():
        announce()
    assert started.wait(30)
    pages: list[str] = []
    request = threading.Thread(target=lambda: pages.append(_page(client, vacancy)))
    request.start()
    request.join(0.5)
    assert request.is_alive()  # it waits for the refresh rather than building a pool itself
    release.set()
    request.join(30)
    assert "Amina" in pages[0]
    assert "Bohdan" in pages[0]
    assert built == ["placement-pools"]


def test_a_page_builds_its_pool_itself_when_no_refresh_came(
    app, client, login_as, encoder, builds, monkeypatch, create_org, create_vacancy,
    create_participant
):  # fmt: skip
    vacancy = create_vacancy(create_org())
    create_participant(first_name="Amina", **PERSON)
    _settled(app)
    login_as("counsellor")
    # a change nobody announces (another worker without Redis, before the periodic check)
    monkeypatch.setattr(keeper, "announce", lambda app=None: None)
    with app.app_context():
        db.session.get(Participant, 1).consent_matching = False
        db.session.commit()
    preparation.wait(30)
    page = _page(client, vacancy)
    assert "Amina" not in page
    assert builds[-1][0] != "placement-pools"


def test_a_change_nobody_announces_is_taken_in_by_the_periodic_check(
    app, encoder, builds, monkeypatch, create_org, create_vacancy, create_participant
):
    app.config["PLACEMENT_POOL_REFRESH"] = 1  # a check every second
    create_vacancy(create_org())
    create_participant(first_name="Amina", **PERSON)
    _settled(app)
    assert builds[-1] == ("placement-pools", 1)
    monkeypatch.setattr(keeper, "announce", lambda app=None: None)
    with app.app_context():  # consent withdrawn in another worker without Redis
        db.session.get(Participant, 1).consent_matching = False
        db.session.commit()
    for _ in range(300):
        if builds[-1] == ("placement-pools", 0):
            break
        threading.Event().wait(0.1)
    assert builds[-1] == ("placement-pools", 0)


def test_an_edited_profile_is_ranked_again_once_its_new_record_is_prepared(
    app, client, login_as, encoder, monkeypatch, create_org, create_vacancy, create_participant
):
    vacancy = create_vacancy(create_org())
    person = create_participant(first_name="Amina", **PERSON)
    preparation.wait(30)
    login_as("counsellor")
    assert "Amina" in _page(client, vacancy)
    queued = []
    monkeypatch.setattr(preparation, "queue_ids", lambda kind, ids: queued.append(list(ids)))
    with app.app_context():  # a new German level: the same text, a new engine record
        db.session.get(Participant, person).german_level = "C1"
        db.session.commit()
    page = _page(client, vacancy)  # before its preparation: counted, not ranked
    assert "1 record is still being prepared for matching" in page
    with app.app_context():
        preparation.prepare(participant_ids=[person])
    _settled(app)
    page = _page(client, vacancy)
    assert "Amina" in page
    assert "German C1" in page  # the record as it is now (the pool read it again)
    assert "still being prepared" not in page


REDIS_URL = "redis://127.0.0.1:6379/12"  # a queue of its own (tests run in parallel)


@pytest.mark.skipif(not redis_up(REDIS_URL), reason="Redis on 127.0.0.1:6379 not reachable")
def test_with_redis_a_job_of_placement_worker_wakes_the_web_workers(make_app, encoder, builds):
    from rq import SimpleWorker

    from placement.matches import services
    from placement.participants.services import create_participant
    from placement.placements import queue as jobs

    web = make_app(PLACEMENT_REDIS_URL=REDIS_URL, PLACEMENT_PREPARE="rq", PLACEMENT_POOL_REFRESH=60)
    worker = make_app(PLACEMENT_REDIS_URL=REDIS_URL, PLACEMENT_PREPARE="rq")  # placement worker
    queue = jobs.queue(REDIS_URL)
    queue.empty()

    def saved_and_prepared(name: str, text: str) -> None:
        with web.app_context():
            create_participant({"first_name": name, "last_name": "Test", **PERSON,
                                "profile_text": text})  # fmt: skip
            db.session.commit()
        with worker.app_context():
            SimpleWorker([queue], connection=queue.connection).work(burst=True)

    try:
        saved_and_prepared("Amina", "Lagerarbeit")
        with web.test_request_context():  # a match page of the web worker builds its pool
            assert len(pools.candidate_pool(services.get_matcher()).ids) == 1
        assert keeper.keeper(web, start=False) is not None
        saved_and_prepared("Bohdan", "Busfahrer")
        for _ in range(300):  # the announcement travels through Redis
            if builds[-1] == ("placement-pools", 2):
                break
            threading.Event().wait(0.1)
        assert builds[-1] == ("placement-pools", 2)
    finally:
        keeper.stop(web)
        queue.connection.close()


def test_placement_embed_keeps_no_pools(app, runner, encoder, monkeypatch, create_participant):
    monkeypatch.setattr(preparation, "queue_ids", lambda kind, ids: None)  # nothing in the back
    create_participant(first_name="Amina", **PERSON)
    result = runner.invoke(args=["embed"])
    assert "Encoded 1 texts" in result.output
    assert keeper.keeper(app, start=False) is None  # the command serves no pages


def test_a_new_serving_worker_builds_its_pools_before_its_first_page(
    app, client, login_as, encoder, builds, create_org, create_vacancy, create_participant
):  # fmt: skip
    """`placement serve` warms each worker once its app has loaded (serve.warm_pools): the
    pools are built off the request, and the first match page builds nothing."""
    from types import SimpleNamespace

    from placement.serve import warm_pools

    vacancy = create_vacancy(create_org())
    create_participant(first_name="Amina", **PERSON)
    preparation.wait(30)
    keeper.stop(app)
    pools.clear()
    del builds[:]
    warm_pools(SimpleNamespace(wsgi=app))
    assert keeper.keeper(app, start=False).settle(30)
    assert builds == [("placement-pools", 1)]
    login_as("counsellor")
    assert "Amina" in _page(client, vacancy)
    assert len(builds) == 1  # the page built nothing
