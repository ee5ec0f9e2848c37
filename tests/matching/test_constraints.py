"""Hard constraints: met, failed, near miss and next step for each."""

from __future__ import annotations

import datetime as dt

import pytest

from placement.matching.constraints import (
    check_all,
    check_commute,
    check_german_level,
    check_hours,
    check_permit_expiry,
    check_recognition,
    check_work_permit,
)
from placement.matching.geo import Postcodes


@pytest.mark.parametrize(
    ("permit", "met", "status"),
    [
        (True, True, "met"),
        ("any_work", True, "met"),
        ("employment", True, "met"),
        ("approval_required", True, "flag"),
        (False, False, "failed"),
        ("not_permitted", False, "failed"),
        (None, True, "unknown"),
    ],
)
def test_work_permit(make_vacancy, make_candidate, permit, met, status):
    check = check_work_permit(make_vacancy(), make_candidate(work_permit=permit))
    assert (check.met, check.status) == (met, status)
    if permit == "approval_required":
        assert check.next_step == "request permit from Ausländerbehörde"


@pytest.mark.parametrize(
    ("have", "need", "met", "status", "step"),
    [
        ("B2", "B1", True, "met", None),
        ("B1", "B1", True, "met", None),
        ("B1", "B2", False, "near_miss", "Berufssprachkurs B1->B2"),
        ("A2", "B2", False, "failed", "Berufssprachkurs A2->B2 (several courses)"),
        ("A1", None, True, "met", None),
        (None, "B1", True, "unknown", None),
    ],
)
def test_german_level(make_vacancy, make_candidate, have, need, met, status, step):
    check = check_german_level(make_vacancy(german_level=need), make_candidate(german_level=have))
    assert (check.met, check.status, check.next_step) == (met, status, step)


@pytest.mark.parametrize(
    ("status", "kind", "met", "outcome", "step_part"),
    [
        ("recognised", "job", True, "met", None),
        ("partial", "job", False, "near_miss", "Anpassungsqualifizierung"),
        ("partial", "internship", True, "flag", "Anpassungsqualifizierung"),
        ("in_process", "job", False, "near_miss", "recognition"),
        ("none", "job", False, "failed", "apply for recognition (Anerkennung)"),
    ],
)
def test_recognition(make_vacancy, make_candidate, status, kind, met, outcome, step_part):
    vacancy = make_vacancy(requires_recognition=True, kind=kind)
    check = check_recognition(vacancy, make_candidate(recognition=status))
    assert (check.met, check.status) == (met, outcome)
    if step_part:
        assert step_part in check.next_step


def test_recognition_not_required(make_vacancy, make_candidate):
    check = check_recognition(make_vacancy(), make_candidate(recognition="none"))
    assert check.met


def test_commute(make_vacancy, make_candidate, postcodes):
    near, km = check_commute(make_vacancy(), make_candidate(), postcodes)
    assert near.met
    assert km < 5
    munich, km = check_commute(make_vacancy(), make_candidate(postcode="80331"), postcodes)
    assert not munich.met
    assert km > 400
    assert "too far" in munich.detail
    # the smaller limit counts: vacancy radius 40 < candidate's 500
    far = make_candidate(postcode="31134", max_commute_km=500)  # Hildesheim, about 30 km
    ok, km = check_commute(make_vacancy(radius_km=20), far, postcodes)
    assert not ok.met
    assert 20 < km < 40
    no_limits = make_vacancy(radius_km=None)
    ok, _ = check_commute(
        no_limits, make_candidate(postcode="80331", max_commute_km=None), postcodes
    )
    assert ok.met


def test_commute_unknown_postcode_is_reported_not_failed(make_vacancy, make_candidate, postcodes):
    check, km = check_commute(make_vacancy(), make_candidate(postcode="00000"), postcodes)
    assert check.met
    assert check.status == "unknown"
    assert km is None
    assert "00000" in check.detail


@pytest.mark.parametrize(
    ("available", "needed", "met"),
    [(40, 30, True), (30, 30, True), (20, 40, False), (None, 40, True), (20, None, True)],
)
def test_hours(make_vacancy, make_candidate, available, needed, met):
    check = check_hours(
        make_vacancy(hours_per_week=needed), make_candidate(hours_per_week=available)
    )
    assert check.met is met


def test_permit_expiry(make_vacancy, make_candidate):
    today = dt.date(2026, 6, 1)
    v = make_vacancy()
    assert check_permit_expiry(v, make_candidate(), today).met
    expired = check_permit_expiry(v, make_candidate(permit_expires="2026-05-01"), today)
    assert not expired.met
    assert expired.next_step
    soon = check_permit_expiry(v, make_candidate(permit_expires="2026-07-01"), today)
    assert soon.met
    assert soon.status == "flag"
    later = check_permit_expiry(v, make_candidate(permit_expires="2027-07-01"), today)
    assert later.status == "met"


def test_check_all_names(make_vacancy, make_candidate, postcodes):
    checks, _ = check_all(make_vacancy(), make_candidate(), postcodes)
    names = [c.name for c in checks]
    assert names == [
        "work_permit",
        "german_level",
        "recognition",
        "commute",
        "hours",
        "permit_expiry",
    ]
    assert all(c.met for c in checks)


def test_checks_are_codes_with_parameters(make_vacancy, make_candidate):
    """What a check found is a code and parameters (an app words it); the English is derived."""
    import json

    from placement.matching.constraints import ENGLISH

    check = check_german_level(make_vacancy(german_level="B2"), make_candidate(german_level="B1"))
    assert (check.code, check.step) == ("german.one_below", "step.language_course")
    assert check.params == {"have": "B1", "need": "B2"}
    data = json.loads(json.dumps(check.to_dict()))
    assert data["code"] == "german.one_below"
    assert data["params"]["need"] == "B2"
    assert data["detail"] == "German B1, one level below required B2"
    checks, _ = check_all(
        make_vacancy(german_level="C1", requires_recognition=True, hours_per_week=40),
        make_candidate(german_level="A1", recognition="partial", hours_per_week=10),
        Postcodes({}),
    )
    for c in checks:
        assert c.code in ENGLISH
        assert c.step is None or c.step in ENGLISH
        json.dumps(c.to_dict())
