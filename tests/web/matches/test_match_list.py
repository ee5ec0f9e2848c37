"""The match list for real numbers: counts per group, 25 rows a page, sorting, the explanation
on demand, the consent notice once, badges, several shortlisted at once; said in German."""

from __future__ import annotations

import re

from sqlalchemy import select

from placement.extensions import db
from placement.participants.models import Interest, Participant
from placement.proposals.models import Consent, ShortlistEntry


def _page(client, vacancy, query=""):
    response = client.get(f"/counsellor/vacancies/{vacancy}/matches?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _rows(html):
    return re.findall(r'<li class="match g-(\w+)">', html)


def test_many_participants_are_paged_with_counts(client, login_as, world, create_participant):
    base = {"consent_matching": True, "hours_per_week": 40, "postcode": "30159", "phase": 4,
            "profile_text": "Lagerarbeit, Kommissionieren"}  # fmt: skip
    for i in range(30):
        create_participant(first_name=f"Person{i:02d}", german_level="B2", **base)
    login_as("counsellor")
    first = _page(client, world["vacancy"])
    assert len(_rows(first)) == 25
    # 32 eligible (Amina, Emre and the 30), Bohdan one level short, Chen without a permit
    assert "32 eligible · 1 near misses · 1 not eligible" in first
    assert "Rows 1–25 of 34" in first
    assert "Page 1 of 2" in first
    assert 'rel="next"' in first
    assert first.count("identity shared”") == 1  # the consent notice once per page
    second = _page(client, world["vacancy"], "page=2")
    assert _rows(second) == ["eligible"] * 7 + ["near_miss", "ineligible"]
    assert "Rows 26–34 of 34" in second
    assert "Bohdan" in second
    assert "Bohdan" not in first
    assert (
        len(_page(client, world["vacancy"], "group=near_miss&page=9").split('class="match ')) == 2
    )
    # every row has its full explanation on demand
    assert second.count('<details class="why">') == 9


def test_sort_by_german_level_keeps_groups_apart(client, login_as, world):
    login_as("counsellor")
    html = _page(client, world["vacancy"], "sort=german")
    assert html.index("Emre") < html.index("Amina") < html.index("Bohdan")  # C1, B2 | A2
    url = f"/counsellor/vacancies/{world['vacancy']}/matches?sort=nonsense"
    assert client.get(url).status_code == 400


def test_badges_show_interest_and_shortlist(app, client, login_as, world):
    with app.app_context():
        db.session.add(Interest(participant_id=world["eligible"], vacancy_id=world["vacancy"]))
        db.session.commit()
    login_as("counsellor")
    html = _page(client, world["vacancy"])
    amina = html[html.index("Amina") : html.index("</li>", html.index("Amina"))]
    assert "interested" in amina


def test_several_are_shortlisted_at_once(app, client, login_as, world):
    login_as("counsellor")
    url = f"/counsellor/vacancies/{world['vacancy']}/shortlist/many"
    response = client.post(url, data={"ids": [world["eligible"], world["phase5"]]})
    assert response.status_code == 302
    with app.app_context():
        ids = set(db.session.scalars(select(ShortlistEntry.participant_id)))
    assert ids == {world["eligible"], world["phase5"]}
    html = client.get(response.headers["Location"]).get_data(True)
    assert "2 added to the shortlist." in html
    assert f'id="pick-{world["eligible"]}"' not in html
    # nothing ticked: said, nothing written; another counsellor's hidden record: 404
    assert client.post(url, data={}).status_code == 302
    assert client.post(url, data={"ids": [world["eligible"], 999]}).status_code == 404


def test_a_participant_is_shortlisted_for_several_vacancies(
    app, client, login_as, world, create_vacancy
):
    other = create_vacancy(world["org"], title="Helfer/in Lager")
    login_as("counsellor")
    url = f"/counsellor/participants/{world['eligible']}/shortlist"
    assert client.post(url, data={"ids": [world["vacancy"], other]}).status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(ShortlistEntry.vacancy_id)).all()
    assert sorted(rows) == sorted([world["vacancy"], other])
    hidden = f"/counsellor/participants/{world['hidden']}/shortlist"
    assert client.post(hidden, data={"ids": [other]}).status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(ShortlistEntry)).all()) == 2  # no consent: refused


def test_the_list_speaks_german(app, client, login_as, world):
    """Engine details, next steps, scores and distances in German, nothing in English."""
    app.config["BABEL_DEFAULT_LOCALE"] = "de"
    login_as("counsellor")
    html = _page(client, world["vacancy"])
    assert "Berufssprachkurs A2 → B1" in html
    assert "Keine Arbeitserlaubnis" in html
    assert "Deutsch A2, eine Stufe unter dem verlangten B1" in html
    assert re.search(r"\d+\s%", html)  # percent, German style ("76 %")
    for english in ("one level below", "next step", "may work", "matched skills", "km (limit"):
        assert english not in html


def _row(html, participant_id):
    """The list row of a participant."""
    link = html.index(f'class="who" href="/counsellor/participants/{participant_id}"')
    start = html.rindex('<li class="match', 0, link)
    return html[start : html.index("</details>", start)]


def test_a_row_seen_before_shows_what_changed_since(app, client, login_as, world):
    """Rows are rendered once and kept: an interest, an identity shared, a shortlist, a
    proposal, a renamed participant, another sort or language are still shown at once."""
    login_as("counsellor")
    before = _row(_page(client, world["vacancy"]), world["eligible"])
    assert f'id="pick-{world["eligible"]}"' in before
    assert "interested" not in before
    assert "identity shared" not in before
    with app.app_context():
        db.session.add(Interest(participant_id=world["eligible"], vacancy_id=world["vacancy"]))
        db.session.commit()
    assert "interested" in _row(_page(client, world["vacancy"]), world["eligible"])
    with app.app_context():
        db.session.add(Consent(participant_id=world["eligible"], organisation_id=world["org"]))
        db.session.commit()
    assert "identity shared" in _row(_page(client, world["vacancy"]), world["eligible"])
    shortlist = f"/counsellor/vacancies/{world['vacancy']}/shortlist"
    assert client.post(shortlist, data={"participant_id": world["eligible"]}).status_code == 302
    row = _row(_page(client, world["vacancy"]), world["eligible"])
    assert "on the shortlist" in row
    assert f'id="pick-{world["eligible"]}"' not in row
    propose = f"/counsellor/vacancies/{world['vacancy']}/propose"
    response = client.post(propose, data={"participant_id": world["eligible"], "confirmed": "y"})
    assert response.status_code == 302
    row = _row(_page(client, world["vacancy"]), world["eligible"])
    assert "Proposed" in row
    assert "Propose to employer" not in row
    # the "Propose" link leads back to the page as it was sorted
    assert "sort%3Dgerman" in _row(_page(client, world["vacancy"], "sort=german"), world["near"])
    with app.app_context():
        db.session.get(Participant, world["near"]).first_name = "Bodo"
        db.session.commit()
    row = _row(_page(client, world["vacancy"], "sort=german"), world["near"])
    assert "Bodo" in row
    assert "Bohdan" not in row
    client.post("/language", data={"locale": "de", "next": "/"})
    row = _row(_page(client, world["vacancy"], "sort=german"), world["near"])
    assert "Warum, und was als Nächstes" in row
    assert "Why, and what next" not in row
