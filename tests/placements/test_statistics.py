"""Retention statistics: Kaplan-Meier against a hand-computed example, small-group suppression."""

from __future__ import annotations

from datetime import timedelta

import pytest

from placement.extensions import db
from placement.placements.models import Placement
from placement.placements.services import today
from placement.placements.statistics import at_risk_at, kaplan_meier, survival_at

# Six placements (days observed, lost?): by hand, with events before censorings at a tie:
#   t=30:  6 at risk, 1 lost -> S = 5/6            = 0.8333
#   t=60:  censored (4 left)
#   t=100: 4 at risk, 1 lost -> S = 5/6 * 3/4      = 0.625   (one censored at 100 as well)
#   t=200: 2 at risk, 1 lost -> S = 0.625 * 1/2    = 0.3125
#   t=400: censored
# The naive share (3 of 6 lost = 50 %) would count the censored as if they were still in work.
EXAMPLE = [(30, True), (60, False), (100, True), (100, False), (200, True), (400, False)]


def test_kaplan_meier_hand_computed():
    curve = kaplan_meier(EXAMPLE)
    assert [(t, n, d) for t, n, d, _s in curve] == [(30, 6, 1), (100, 4, 1), (200, 2, 1)]
    assert survival_at(curve, 91) == pytest.approx(5 / 6)
    assert survival_at(curve, 183) == pytest.approx(0.625)
    assert survival_at(curve, 365) == pytest.approx(0.3125)
    assert [at_risk_at(EXAMPLE, d) for d in (91, 183, 365)] == [4, 2, 1]
    assert survival_at(curve, 29) == 1.0


def test_all_censored_is_full_retention():
    assert kaplan_meier([(10, False), (20, False)]) == []
    assert survival_at([], 365) == 1.0


@pytest.fixture
def cohort(app, create_org, create_placement):
    """Six people at one employer (two lost, one left for a better job), five at a second, two at
    a third."""
    big, small = create_org(name="Großlager Nord GmbH"), create_org(name="Kleinbetrieb Süd")
    middle = create_org(name="Mittelbetrieb West")
    start = today() - timedelta(days=400)
    ids = [create_placement(organisation_id=big, start_date=start, occupation="Lager")
           for _ in range(6)]  # fmt: skip
    ids += [create_placement(organisation_id=small, start_date=start, occupation="Lager")
            for _ in range(2)]  # fmt: skip
    for _ in range(5):
        create_placement(organisation_id=middle, start_date=start, occupation="Lager")
    ends = {ids[0]: (30, "dismissed_probation"), ids[1]: (100, "resigned"),
            ids[2]: (150, "better_job")}  # fmt: skip
    with app.app_context():
        for pid, (days, reason) in ends.items():
            item = db.session.get(Placement, pid)
            item.status, item.end_reason = "ended", reason
            item.end_date = start + timedelta(days=days)
        db.session.commit()
    return {"big": big, "small": small}


def test_statistics_page_suppresses_small_groups(client, login_as, cohort):
    login_as("counsellor")
    page = client.get("/counsellor/statistics/").get_data(as_text=True)
    assert "Großlager Nord GmbH" in page
    assert "Kleinbetrieb Süd" not in page  # 2 people: pooled ...
    # ... and since a pool of 2 could be worked out from the total, the smallest shown group
    # (5 people) joins it: 7 people combined, neither small group visible on its own.
    assert "Mittelbetrieb West" not in page
    # Big employer: lost at 30 (6 at risk) and 100 (5 at risk); better job at 150 censored.
    # S(3m) = 5/6 = 83 %, S(6m) = 5/6 * 4/5 = 67 % with 3 still observed -> not shown.
    assert "83%" in page  # English number format (German: "83 %")
    assert "not shown: fewer than 5 still observed" in page
    assert 'src="/counsellor/statistics/employer.svg"' in page


def test_chart_is_svg_without_small_groups(client, login_as, cohort):
    login_as("admin")
    response = client.get("/counsellor/statistics/employer.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "<svg" in svg
    assert "<script" not in svg
    assert "Großlager Nord GmbH" in svg
    assert "Kleinbetrieb" not in svg
    assert client.get("/counsellor/statistics/religion.svg").status_code == 404


def test_csv_export_needs_fresh_login_and_suppresses(client, login_as, cohort):
    from tests.conftest import PASSWORD

    login_as("counsellor")
    response = client.get("/counsellor/statistics/retention.csv")
    assert response.status_code == 302
    assert "confirm-password" in response.location
    client.post("/confirm-password", data={"password": PASSWORD, "next": "/"})
    response = client.get("/counsellor/statistics/retention.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "Kleinbetrieb" not in text
    assert "Mittelbetrieb" not in text  # joined the pool so that the pool is not too small
    # network, dimension, group, people, placements, months, at risk, retention
    assert "IQ Netzwerk,employer,Großlager Nord GmbH,6,6,3,5,0.833," in text
    assert "IQ Netzwerk,network,IQ Netzwerk,13,13,3,12,0.923," in text  # 12/13: one lost at 30
    assert "IQ Netzwerk,network,IQ Netzwerk,13,13,6,10,0.846," in text  # 12/13 * 11/12


def test_small_group_cannot_be_derived_from_the_total():
    from placement.placements.statistics import Observation, report

    def people(n, employer, start=0):
        return [Observation(person=start + i, days=100, event=False,
                            groups={"employer": employer, "occupation": "Lager", "phase": "4"})
                for i in range(n)]  # fmt: skip

    rows = report(people(6, "A") + people(2, "B", start=100), "Netz")["employer"]
    # Showing A (6) beside the network total (8) would reveal B (2): A is pooled as well.
    assert [(r.group, r.people, r.suppressed) for r in rows] == [("", 8, False)]
    rows = report(people(6, "A") + people(5, "C", 50) + people(2, "B", 100), "Netz")["employer"]
    assert [(r.group, r.people) for r in rows] == [("A", 6), ("", 7)]
    everything = report(people(2, "A") + people(1, "B", start=10), "Netz")
    assert [(r.group, r.suppressed) for r in everything["employer"]] == [("", True)]
    assert everything["network"][0].suppressed


@pytest.mark.parametrize("name", ["$\\frac{1}{$ GmbH", "Preis $5$ & $6 AG", "=HYPERLINK(1) GmbH"])
def test_organisation_names_are_text_in_chart_and_csv(app, client, login_as, cohort, name):
    """A "$...$" in a name is not mathtext (it broke the chart) and "=..." is no formula."""
    from placement.employers.models import Organisation
    from tests.conftest import PASSWORD

    with app.app_context():
        db.session.get(Organisation, cohort["big"]).name = name
        db.session.commit()
    login_as("counsellor")
    response = client.get("/counsellor/statistics/employer.svg")
    assert response.status_code == 200
    assert name.replace("&", "&amp;") in response.get_data(as_text=True)
    client.post("/confirm-password", data={"password": PASSWORD, "next": "/"})
    text = client.get("/counsellor/statistics/retention.csv").get_data(as_text=True)
    cells = [cell for line in text.splitlines() for cell in line.split(",")]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
