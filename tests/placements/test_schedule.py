"""Follow-up schedules: generation from the (configurable) schedule, editing per placement."""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date

from placement.extensions import db
from placement.placements.models import FollowUp, Placement
from placement.placements.schedule import ScheduleError, add_months, due_dates, parse_schedule


def test_default_schedule_is_4_weeks_3_6_12_months():
    assert due_dates(date(2026, 1, 15)) == [
        ("4w", date(2026, 2, 12)),
        ("3m", date(2026, 4, 15)),
        ("6m", date(2026, 7, 15)),
        ("12m", date(2027, 1, 15)),
    ]


def test_month_end_is_clipped_and_steps_sorted():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert parse_schedule("12m, 2w,1y,6m") == ["2w", "6m", "12m", "1y"]


@pytest.mark.parametrize("text", ["4x", "m3", "0m", "4w,,abc"])
def test_unreadable_schedule_is_refused(text):
    with pytest.raises(ScheduleError):
        parse_schedule(text)


def test_placement_gets_the_schedule_and_phase_5(app, create_placement, create_participant):
    person = create_participant(phase=4)
    pid = create_placement(participant_id=person, start_date=date(2026, 1, 15))
    with app.app_context():
        item = db.session.get(Placement, pid)
        assert [(f.label, f.due_date) for f in item.follow_ups] == due_dates(date(2026, 1, 15))
        assert item.participant.phase == 5
        assert item.phase_at_start == 4
        assert item.participant.current_job["since"] == "2026-01-15"


def test_network_schedule_from_config(make_app, create_org, create_participant):
    app = make_app(PLACEMENT_FOLLOWUP_SCHEDULE="2w,9m")
    from placement.employers.models import Organisation
    from placement.participants.models import Participant
    from placement.placements.services import create_placement

    org, person = create_org(), create_participant()
    with app.app_context():
        item = create_placement(
            db.session.get(Participant, person), db.session.get(Organisation, org),
            {"title": "Pflegehilfskraft", "start_date": date(2026, 3, 1),
             "contract_type": "fixed_term", "contract_end": date(2027, 2, 28)}, None,
            schedule=app.config["PLACEMENT_FOLLOWUP_SCHEDULE"],  # as the views pass it
        )  # fmt: skip
        assert [f.due_date for f in item.follow_ups] == [date(2026, 3, 15), date(2026, 12, 1)]


def test_config_reads_schedule_from_environment(tmp_path):
    from placement.config import load_config

    config = load_config(str(tmp_path), {"PLACEMENT_FOLLOWUP_SCHEDULE": "1m,1y"})
    assert config["PLACEMENT_FOLLOWUP_SCHEDULE"] == "1m,1y"
    assert load_config(str(tmp_path), {})["PLACEMENT_FOLLOWUP_SCHEDULE"] == "4w,3m,6m,12m"


def _follow_ups(app, pid):
    with app.app_context():
        return [(f.id, f.label, f.due_date) for f in db.session.get(Placement, pid).follow_ups]


def test_counsellor_adds_moves_and_removes_due_dates(app, client, login_as, create_placement):
    login_as("counsellor")
    pid = create_placement(start_date=date(2026, 1, 15))
    first, second = _follow_ups(app, pid)[:2]

    url = f"/counsellor/placements/{pid}/follow-ups"
    assert client.post(url, data={"due_date": "2026-05-20"}).status_code == 302
    assert ("extra", date(2026, 5, 20)) in [(lbl, d) for _i, lbl, d in _follow_ups(app, pid)]

    response = client.post(f"{url}/{second[0]}/move", data={"due_date": "2026-04-30"})
    assert response.status_code == 302
    assert (second[0], "3m", date(2026, 4, 30)) in _follow_ups(app, pid)

    assert client.post(f"{url}/{first[0]}/remove", data={"confirmed": "y"}).status_code == 302
    assert first[0] not in [i for i, _l, _d in _follow_ups(app, pid)]

    # A date before the start is refused next to the field; nothing changes.
    response = client.post(url, data={"due_date": "2025-12-01"})
    assert response.status_code == 400
    assert b"cannot be due before the placement starts" in response.data
    assert len(_follow_ups(app, pid)) == 4


def test_recorded_follow_up_cannot_be_moved(app, client, login_as, create_placement):
    login_as("counsellor")
    pid = create_placement(start_date=date(2026, 1, 15))
    fid = _follow_ups(app, pid)[0][0]
    record = client.post(f"/counsellor/placements/{pid}/follow-ups/{fid}",
                         data={"still_employed": "yes", "contact_made": "y"})  # fmt: skip
    assert record.status_code == 302
    response = client.post(f"/counsellor/placements/{pid}/follow-ups/{fid}/move",
                           data={"due_date": "2026-03-01"})  # fmt: skip
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(FollowUp, fid).due_date == date(2026, 2, 12)


def test_follow_up_of_another_placement_is_404(client, login_as, create_placement, app):
    login_as("counsellor")
    one, other = create_placement(), create_placement()
    fid = _follow_ups(app, other)[0][0]
    assert client.post(f"/counsellor/placements/{one}/follow-ups/{fid}/remove").status_code == 404
    assert client.get(f"/counsellor/placements/{one}/follow-ups/{fid}").status_code == 404


def test_removing_a_follow_up_asks_first(app, client, auth, login_as, create_placement):
    pid = create_placement(start_date=date(2026, 1, 15))
    fid, _label, due = _follow_ups(app, pid)[0]
    url = f"/counsellor/placements/{pid}/follow-ups/{fid}/remove"
    assert client.get(url).headers["Location"].startswith("/login")
    for role in ("employer", "participant"):
        login_as(role)
        assert client.get(url).status_code == client.post(url).status_code == 403
        auth.logout()
    login_as("counsellor")
    page = client.get(f"/counsellor/placements/{pid}").get_data(as_text=True)
    assert f'class="button danger" href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert format_date(due, "medium", locale="en") in page  # "Feb 12, 2026", not ISO
    assert 'name="confirmed" value="y"' in page
    assert client.post(url).headers["Location"] == url  # not confirmed: nothing removed
    assert fid in [i for i, _l, _d in _follow_ups(app, pid)]
    assert client.post(url, data={"confirmed": "y"}).status_code == 302
    assert fid not in [i for i, _l, _d in _follow_ups(app, pid)]
    other = create_placement()
    assert client.get(f"/counsellor/placements/{other}/follow-ups/{fid}/remove").status_code == 404
