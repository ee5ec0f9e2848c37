"""The statistics page as counsellors and admins use it: headline figures, filters, charts that
say what they show, numbers in the reader's language."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from placement.extensions import db
from placement.placements.models import Placement
from placement.placements.services import today
from tests.placements.test_statistics import cohort  # noqa: F401 (fixture)


@pytest.fixture
def registered(app, cohort):  # noqa: F811
    """Every placed person registered 10, 20, ... days before the start of their job."""
    with app.app_context():
        placements = db.session.query(Placement).order_by(Placement.id).all()
        for n, item in enumerate(placements, 1):
            start = datetime.combine(item.start_date, datetime.min.time())
            item.participant.created_at = start - timedelta(days=10 * n)
        db.session.commit()
    return cohort


def _figures(page: str) -> dict[str, str]:
    """Headline figures: term -> text of its value (tags and spacing removed)."""
    block = page.split('<dl class="figures">', 1)[1].split("</dl>", 1)[0]
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block, re.S)
    return {dt: " ".join(re.sub(r"<[^>]+>", " ", dd).split()) for dt, dd in pairs}


def test_headline_figures(client, login_as, registered):
    login_as("counsellor")
    page = client.get("/counsellor/statistics/").get_data(as_text=True)
    figures = _figures(page)
    assert figures["Placements"] == "13 13 people"
    # 13 people: one lost at day 30, one at day 100 (see the cohort); all observed 400 days.
    assert figures["Still employed after 3 months"] == "92% 12 people still observed"
    assert figures["Still employed after 6 months"] == "85% 10 people still observed"
    # Median of 10, 20 ... 130 days.
    median = figures["Median time to placement"]
    assert median == "70 days from registration to the start of the job"
    assert page.index('class="figures"') < page.index("By Employer")  # the page opens with them


def test_numbers_in_german(client, login_as, app, registered):
    from placement.accounts.models import User

    user_id = login_as("admin")
    with app.app_context():
        db.session.get(User, user_id).locale = "de"
        db.session.commit()
    page = client.get("/counsellor/statistics/").get_data(as_text=True)
    figures = _figures(page)
    assert figures["Noch beschäftigt nach 3 Monaten"].startswith("92 %")
    assert "83\xa0%" in page  # the big employer at 3 months, in the table (no break)
    svg = client.get("/counsellor/statistics/network.svg").get_data(as_text=True)
    assert "80\xa0%" in svg  # the vertical axis in German
    assert "Tage seit Beginn" in svg


def test_filters_by_employer_period_and_occupation(client, login_as, app, registered):
    login_as("counsellor")
    page = client.get("/counsellor/statistics/").get_data(as_text=True)
    # Only groups the report shows on their own are offered.
    options = re.findall(r'<select[^>]*name="employer"[^>]*>(.*?)</select>', page, re.S)
    assert "Großlager Nord GmbH" in options[0]
    assert "Kleinbetrieb" not in options[0]
    assert "Mittelbetrieb" not in options[0]
    big = registered["big"]
    page = client.get(f"/counsellor/statistics/?employer={big}").get_data(as_text=True)
    assert _figures(page)["Placements"] == "6 6 people"
    assert "(filtered)" in page
    assert f'src="/counsellor/statistics/network.svg?employer={big}"' in page
    assert f'href="/counsellor/statistics/retention.csv?employer={big}"' in page
    # A period in which nobody started: nothing to show, and said so.
    later = (today() + timedelta(days=1)).isoformat()
    page = client.get(f"/counsellor/statistics/?start_from={later}").get_data(as_text=True)
    assert _figures(page)["Placements"] == "0 0 people"
    assert "No chart: no group is large enough or observed long enough to draw." in page
    page = client.get("/counsellor/statistics/?occupation=Lager").get_data(as_text=True)
    assert _figures(page)["Placements"] == "13 13 people"
    # A stale or forged filter value is ignored, not an error.
    assert client.get("/counsellor/statistics/?employer=999&counsellor=x").status_code == 200
    assert client.get("/counsellor/statistics/?start_from=gestern").status_code == 200


def test_filter_by_counsellor(client, login_as, app, create_user, registered):
    from placement.accounts.models import User

    counsellor_id, _ = create_user("counsellor")
    with app.app_context():
        placements = db.session.query(Placement).order_by(Placement.id).all()
        for item in placements[:6]:
            item.counsellor_id = counsellor_id
        db.session.commit()
        name = db.session.get(User, counsellor_id).name
    login_as("counsellor")
    page = client.get("/counsellor/statistics/").get_data(as_text=True)
    assert f'<option value="{counsellor_id}">{name}</option>' in page
    page = client.get(f"/counsellor/statistics/?counsellor={counsellor_id}").get_data(as_text=True)
    assert _figures(page)["Placements"] == "6 6 people"


def test_charts_say_what_they_show(client, login_as, registered):
    login_as("counsellor")
    page = client.get("/counsellor/statistics/").get_data(as_text=True)
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S)
    assert len(captions) == 4  # network, employer, occupation, phase
    employer = captions[1].replace("&#34;", '"')
    assert "Each line is one group: the share of its people still employed" in employer
    assert "combined into “Smaller groups combined”" in employer
    svg = client.get("/counsellor/statistics/employer.svg").get_data(as_text=True)
    assert "Still employed, by Employer" in svg  # title
    assert "Days since the start" in svg  # axis labels
    assert "Share still employed" in svg


def test_a_group_too_new_to_draw_is_named_not_drawn(client, login_as, create_org,
                                                     create_placement):  # fmt: skip
    org = create_org(name="Neubau AG")
    for _ in range(5):  # five people, started today: nothing observed yet
        create_placement(organisation_id=org, start_date=today(), occupation="Maurer")
    login_as("counsellor")
    page = client.get("/counsellor/statistics/").get_data(as_text=True)
    assert "Not drawn: Neubau AG, not yet observed long enough." in page
    assert 'src="/counsellor/statistics/employer.svg"' not in page
    svg = client.get("/counsellor/statistics/employer.svg").get_data(as_text=True)
    assert "Neubau AG" not in svg  # no flat line at 100 %


@pytest.mark.parametrize("url", ["/counsellor/statistics/", "/counsellor/statistics/network.svg"])
def test_statistics_are_for_staff(refused, url):
    refused(url, "participant", "employer")
