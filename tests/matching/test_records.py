"""Record validation."""

from __future__ import annotations

import datetime as dt

import pytest

from placement.matching import CandidateRecord, RecordError, VacancyRecord


def test_minimal_records_mean_no_constraints():
    v = VacancyRecord.from_dict({"id": "v", "title": "Koch"})
    c = CandidateRecord.from_dict({"id": "c"})
    assert v.german_level is None
    assert v.radius_km is None
    assert not v.requires_recognition
    assert c.work_permit is None
    assert c.max_commute_km is None


def test_values_are_normalised():
    c = CandidateRecord.from_dict(
        {
            "id": 7,
            "german_level": "b2",
            "work_permit": False,
            "postcode": 1067,
            "permit_expires": "2027-01-31",
        }
    )
    assert (c.id, c.german_level, c.work_permit, c.postcode) == (
        "7",
        "B2",
        "not_permitted",
        "01067",
    )
    assert c.permit_expires == dt.date(2027, 1, 31)
    assert c.to_dict()["permit_expires"] == "2027-01-31"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "x"}, "missing required field 'id'"),
        ({"id": "v", "title": "x", "skills": "Schweißen"}, "'skills' must be a list"),
        ({"id": "v", "title": "x", "german_level": "B3"}, "'german_level' must be one of"),
        ({"id": "v", "title": "x", "radius_km": "40"}, "'radius_km' must be a number"),
        ({"id": "v", "title": "x", "kind": "gig"}, "'kind' must be one of"),
        ({"id": "v", "title": "x", "requires_recognition": "yes"}, "true or false"),
        ({"id": "v", "title": "x", "postcode": "ABC"}, "postcode"),
    ],
)
def test_vacancy_errors(data, message):
    with pytest.raises(RecordError, match=message.replace("(", r"\(")):
        VacancyRecord.from_dict(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "c", "phase": 3}, "'phase' must be 4 or 5"),
        ({"id": "c", "work_permit": "maybe"}, "'work_permit' must be one of"),
        ({"id": "c", "recognition": "yes"}, "'recognition' must be one of"),
        ({"id": "c", "hours_per_week": -1}, "must not be negative"),
        ({"id": "c", "permit_expires": "31.01.2027"}, "ISO date"),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_candidate_errors(data, message):
    with pytest.raises(RecordError, match=message):
        CandidateRecord.from_dict(data)
