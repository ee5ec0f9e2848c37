"""The app words the engine's codes, dates, numbers and scores in the reader's language."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale

from placement.matching.constraints import ENGLISH, ConstraintCheck
from placement.matching.explain import Reason
from placement.matching.records import RecordError
from placement.web import wording


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def test_every_engine_code_has_a_wording():
    assert set(ENGLISH) <= set(wording.TEXTS)


def test_checks_and_reasons_in_german_and_english(ctx):
    check = ConstraintCheck("commute", False, "commute.too_far", {"km": 42.4, "limit": 30},
                            "step.discuss_commute", "failed")  # fmt: skip
    near = ConstraintCheck("german_level", False, "german.one_below", {"have": "B1", "need": "B2"},
                           "step.language_course", "near_miss")  # fmt: skip
    with force_locale("de"):
        assert wording.check_detail(check) == "Zu weit: 42 km (Grenze 30 km)"
        assert wording.check_step(check).startswith("Umzug oder längeren Arbeitsweg")
        said = wording.reason(Reason("constraint", near.to_dict()))
        assert said == (
            "Knapp verfehlt: Deutsch B1, eine Stufe unter dem verlangten B2; "
            "nächster Schritt: Berufssprachkurs B1 → B2"
        )
        skills = Reason("matched_skills", {"skills": ["Pflege (typical of Pflegehelfer/in)"]})
        assert (
            wording.reason(skills) == "Passende Fähigkeiten: Pflege (typisch für Pflegehelfer/in)"
        )
    with force_locale("en"):
        assert wording.check_detail(check) == "Too far: 42 km (limit 30 km)"
        assert wording.reason(Reason("same_field", {"title": "Koch", "field": "food"})) == (
            "Same field (food): Koch"
        )


def test_stored_snapshots_old_and_new(ctx):
    """A snapshot stored as codes reads in the reader's language; an old one (English sentences,
    no codes) is shown as it was stored."""
    new = ConstraintCheck("hours", True, "hours.met", {"have": 40, "need": 30}).to_dict()
    old = {"name": "hours", "status": "met", "detail": "available 40 h/week (needs 30)",
           "next_step": None}  # fmt: skip
    with force_locale("de"):
        assert wording.check_detail(new) == "Verfügbar 40 Stunden pro Woche (30 nötig)"
        assert wording.check_detail(old) == "available 40 h/week (needs 30)"
        assert wording.check_step(new) is None
        assert wording.reason("same occupation: Koch") == "same occupation: Koch"
        assert wording.reason(Reason("similar_text").to_dict()) == "Ähnlicher Profiltext"


def test_numbers_dates_and_times(ctx):
    with force_locale("de"):
        assert wording.km(0.73) == "0,7 km"
        assert wording.km(12.4) == "12 km"
        assert wording.percent(0.764) == "76\xa0%"
        assert wording.date("2027-03-04") == "04.03.2027"
        # stored in UTC, shown in Berlin time (winter: +1 h)
        assert wording.datetime(dt.datetime(2027, 1, 10, 23, 30)) == "11.01.2027, 00:30"
        assert wording.follow_up_step("4w") == "4 Wochen nach dem Beginn"
        assert wording.schedule("4w,3m") == "4 Wochen nach dem Beginn, 3 Monate nach dem Beginn"
        assert wording.language_name("tw") == "Twi"
    with force_locale("en"):
        assert wording.km(0.73) == "0.7 km"
        assert wording.percent(0.764) == "76%"
        assert wording.follow_up_step("1y") == "1 year after the start"
        assert wording.follow_up_step("risk") == "Brought forward (risk)"


def test_import_errors_are_worded_and_escaped(ctx):
    problem = RecordError("x", "not_one_of", "work_permit", choices=["any_work"], value="<b>")
    with force_locale("de"):
        said = str(wording.record_error(problem))
    assert said == (
        "Die Spalte <code>work_permit</code> enthält <code>&lt;b&gt;</code>; erlaubt sind: "
        "<code>any_work</code>."
    )
    assert "&lt;script&gt;" in str(wording.record_error(RecordError("<script>")))
