"""The wording check before a vacancy goes live: findings marked in the text, "publish anyway"
with a recorded reason for serious ones, drafts only for organisations not yet approved."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from placement.audit.models import AuditEvent
from placement.employers.models import Vacancy, WordingOverride
from placement.employers.publishing import marked_text
from placement.employers.wording import check_vacancy, shipped_rules, vacancy_text
from placement.extensions import db

ISSUE_AD = "Muttersprache Deutsch, junges dynamisches Team, max. 35 Jahre"
AD = {
    "title": "Lagerhelfer (m/w/d)",
    "kind": "job",
    "status": "published",
    "description": ISSUE_AD,
    "german_level": "B1",
    "postcode": "30159",
    "hours_per_week": 38,
}
REASON = "Rechtsabteilung hat den Text geprüft und freigegeben."


@pytest.fixture(autouse=True)
def english(client):
    client.post("/language", data={"locale": "en"})


def _count(app, model=Vacancy):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _vacancy(app, vacancy_id):
    with app.app_context():
        return db.session.get(Vacancy, vacancy_id)


def _anyway(data: dict, checked: str) -> dict:
    """The form again: the findings seen, published anyway with a reason."""
    return {**data, "review-checked": checked, "review-publish_anyway": "y",
            "review-reason": REASON}  # fmt: skip


def _checked(page: str) -> str:
    return re.search(r'name="review-checked" value="([0-9a-f]+)"', page).group(1)


# ----------------------------------------------------------------- the check itself


def test_the_issues_ad_has_three_serious_findings_each_a_whole_phrase():
    findings = check_vacancy("Lagerhelfer (m/w/d)", ISSUE_AD, "B1")
    assert [(f.rule_id, f.severity, f.matched) for f in findings] == [
        ("muttersprache", "high", "Muttersprache Deutsch"),
        ("junges_team", "high", "junges dynamisches Team"),
        ("altersgrenze", "high", "max. 35 Jahre"),
    ]


@pytest.mark.parametrize("rule", shipped_rules().rules, ids=lambda r: r.id)
def test_no_finding_is_cut_off_mid_word(rule):
    for example in rule.examples:
        for start, end in rule.spans(example):
            assert start == 0 or not example[start - 1].isalnum() or not example[start].isalnum()
            assert end == len(example) or not example[end].isalnum(), (rule.id, example)


def test_stems_are_widened_to_the_whole_word():
    (finding,) = [f for f in check_vacancy("", "Deutsch als Muttersprache erforderlich", None)
                  if f.rule_id == "muttersprache"]  # fmt: skip
    assert finding.matched == "Deutsch als Muttersprache"
    (finding,) = [f for f in check_vacancy("", "Keine ausländischen Bewerber!", None)
                  if f.rule_id == "auslaendische_bewerber"]  # fmt: skip
    assert finding.matched == "Keine ausländischen Bewerber"


def test_marked_text_covers_every_occurrence_and_keeps_the_rest():
    title, body = "Verkäufer (m/w/d)", "Muttersprache Deutsch. Team: jung. Muttersprache: Deutsch"
    findings = check_vacancy(title, body, None)
    marked_title, marked_body = marked_text(title, body, findings)
    assert "".join(s.text for s in marked_title) == title
    assert "".join(s.text for s in marked_body) == body
    marks = [s.text for s in marked_body if s.numbers]
    assert marks == ["Muttersprache Deutsch", "Muttersprache: Deutsch"]
    assert len(vacancy_text(title, body)) == len(title) + 1 + len(body)


# ----------------------------------------------------------------- employer publishes a new ad


def test_the_issues_ad_is_not_published_at_once(app, login_as, client, create_org):
    org = create_org()
    login_as("employer", organisation_id=org)
    response = client.post("/employer/vacancies/new", data=AD)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _count(app) == 0  # nothing saved
    assert "Before it goes live" in page
    for words in ("Muttersprache Deutsch", "junges dynamisches Team", "max. 35 Jahre"):
        assert f'<mark class="severity-high">{words}</mark>' in page
    assert page.count('class="badge severity-high"') == 3
    assert "A helpful, motivated team" in page  # the neutral alternative
    assert 'name="review-publish_anyway"' in page


def test_serious_findings_need_publish_anyway_and_a_reason(app, login_as, client, create_org):
    org = create_org()
    login_as("employer", organisation_id=org)
    checked = _checked(client.post("/employer/vacancies/new", data=AD).get_data(as_text=True))
    # Seen, but neither ticked nor a reason: still not saved, the reason field says why.
    response = client.post("/employer/vacancies/new", data={**AD, "review-checked": checked})
    assert response.status_code == 400
    assert "give a reason of at least 10 characters" in response.get_data(as_text=True)
    response = client.post(
        "/employer/vacancies/new",
        data={**AD, "review-checked": checked, "review-publish_anyway": "y", "review-reason": "ok"},
    )
    assert response.status_code == 400
    assert _count(app) == 0
    response = client.post("/employer/vacancies/new", data=_anyway(AD, checked))
    assert response.status_code == 302
    with app.app_context():
        vacancy = db.session.scalars(select(Vacancy)).one()
        assert vacancy.status == "published"
        override = db.session.scalars(select(WordingOverride)).one()
        assert override.vacancy_id == vacancy.id
        assert override.reason == REASON
        assert override.actor.role == "employer"
        assert [f["rule"] for f in override.findings] == [
            "muttersprache",
            "junges_team",
            "altersgrenze",
        ]
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "vacancy.publish_anyway")
        ).one()
        assert event.subject_id == vacancy.id
        assert event.details["override"] == override.id
        vacancy_id = vacancy.id
    page = client.get(f"/employer/vacancies/{vacancy_id}").get_data(as_text=True)
    assert "Published despite serious findings" in page
    assert REASON in page


def test_a_review_of_another_text_does_not_count(app, login_as, client, create_org):
    org = create_org()
    login_as("employer", organisation_id=org)
    checked = _checked(client.post("/employer/vacancies/new", data=AD).get_data(as_text=True))
    other = _anyway({**AD, "description": ISSUE_AD + " Keine Deutschlerner!"}, checked)
    response = client.post("/employer/vacancies/new", data=other)
    assert response.status_code == 400
    assert '<mark class="severity-high">Keine Deutschlerner</mark>' in response.get_data(True)
    assert _count(app) == 0


def test_marked_text_is_escaped(app, login_as, client, create_org):
    org = create_org()
    login_as("employer", organisation_id=org)
    data = {**AD, "description": "<script>alert(1)</script> Muttersprache Deutsch <b>x</b>"}
    page = client.post("/employer/vacancies/new", data=data).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<mark class="severity-high">Muttersprache Deutsch</mark>' in page


def test_saving_as_draft_is_not_held_up(app, login_as, client, create_org):
    org = create_org()
    login_as("employer", organisation_id=org)
    response = client.post("/employer/vacancies/new", data={**AD, "status": "draft"})
    assert response.status_code == 302
    assert _count(app) == 1
    assert _count(app, WordingOverride) == 0


def test_only_minor_findings_are_published_after_reading_them(app, login_as, client, create_org):
    org = create_org()
    login_as("employer", organisation_id=org)
    data = {**AD, "title": "Verkäufer (m/w)", "description": "Verkauf und Beratung im Laden."}
    response = client.post("/employer/vacancies/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _count(app) == 0
    assert '<mark class="severity-low">m/w</mark>' in page
    assert 'name="review-publish_anyway"' not in page
    response = client.post(
        "/employer/vacancies/new", data={**data, "review-checked": _checked(page)}
    )
    assert response.status_code == 302
    assert _count(app) == 1
    assert _count(app, WordingOverride) == 0


def test_a_neutral_ad_is_published_at_once(app, login_as, client, create_org):
    org = create_org()
    login_as("employer", organisation_id=org)
    data = {**AD, "description": "Wareneingang und Versand. Deutsch etwa auf B1 genügt."}
    assert client.post("/employer/vacancies/new", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Vacancy)).one().status == "published"


def test_a_new_text_on_a_published_ad_is_checked_again(app, login_as, client, create_org,
                                                         create_vacancy):  # fmt: skip
    org = create_org()
    vacancy_id = create_vacancy(org)  # neutral and published
    login_as("employer", organisation_id=org)
    data = {**AD, "title": "Fachkraft für Lagerlogistik"}
    response = client.post(f"/employer/vacancies/{vacancy_id}/edit", data=data)
    assert response.status_code == 400
    assert "Before it goes live" in response.get_data(as_text=True)
    assert _vacancy(app, vacancy_id).description.startswith("Wareneingang")  # unchanged
    # Other changes that leave the text as it was go through.
    response = client.post(
        f"/employer/vacancies/{vacancy_id}/edit",
        data={
            "title": "Fachkraft für Lagerlogistik",
            "kind": "job",
            "status": "published",
            "description": "Wareneingang, Kommissionierung und Versand im Lager.",
            "postcode": "30159",
            "hours_per_week": 30,
        },
    )
    assert response.status_code == 302
    assert _vacancy(app, vacancy_id).hours_per_week == 30


# ----------------------------------------------------------------- the publish button


@pytest.mark.parametrize("area", ["employer", "counsellor"])
def test_the_publish_button_leads_to_the_review_first(app, login_as, client, create_org,
                                                       create_vacancy, area):  # fmt: skip
    org = create_org()
    vacancy_id = create_vacancy(org, status="draft", title=AD["title"], description=ISSUE_AD)
    login_as(area, organisation_id=org if area == "employer" else None)
    url = f"/{area}/vacancies/{vacancy_id}/status"
    response = client.post(url, data={"status": "published"})
    assert response.headers["Location"].startswith(f"/vacancies/{vacancy_id}/publish")
    assert _vacancy(app, vacancy_id).status == "draft"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<mark class="severity-high">max. 35 Jahre</mark>' in page
    assert f'action="{url}"' in page
    response = client.post(url, data={"status": "published", "review-checked": _checked(page)})
    assert response.status_code == 400
    assert "give a reason of at least 10 characters" in response.get_data(as_text=True)
    assert _vacancy(app, vacancy_id).status == "draft"
    response = client.post(url, data=_anyway({"status": "published"}, _checked(page)))
    assert response.status_code == 302
    assert _vacancy(app, vacancy_id).status == "published"
    with app.app_context():
        override = db.session.scalars(select(WordingOverride)).one()
        assert override.actor.role == area


def test_the_review_page_is_for_those_who_may_edit(app, login_as, auth, client, create_org,
                                                    create_vacancy):  # fmt: skip
    org = create_org()
    vacancy_id = create_vacancy(org, status="draft", description=ISSUE_AD)
    url = f"/vacancies/{vacancy_id}/publish"
    assert client.get(url).headers["Location"].startswith("/login")
    login_as("participant")
    assert client.get(url).status_code == 403
    auth.logout()
    login_as("employer", organisation_id=create_org())
    assert client.get(url).status_code == 404


# ----------------------------------------------------------------- organisation not approved


def test_unapproved_organisation_is_offered_draft_only_with_the_reason(app, login_as, client,
                                                                       create_org):  # fmt: skip
    org = create_org(approved=False)
    login_as("employer", organisation_id=org)
    page = client.get("/employer/vacancies/new").get_data(as_text=True)
    assert "has not been approved yet" in page
    assert 'value="draft"' in page
    assert 'value="published"' not in page
    response = client.post("/employer/vacancies/new", data=AD)
    assert response.status_code == 400
    assert _count(app) == 0
    assert client.post("/employer/vacancies/new",
                       data={**AD, "status": "draft"}).status_code == 302  # fmt: skip
    with app.app_context():
        vacancy_id = db.session.scalars(select(Vacancy.id)).one()
    page = client.get(f"/employer/vacancies/{vacancy_id}").get_data(as_text=True)
    assert "has not been approved yet" in page
    assert 'name="status" value="published"' not in page


def test_german_texts_of_the_review(app, login_as, client, create_org):
    org = create_org()
    login_as("employer", organisation_id=org)
    client.post("/language", data={"locale": "de"})
    page = client.post("/employer/vacancies/new", data=AD).get_data(as_text=True)
    assert "Bevor die Anzeige erscheint" in page
    assert "Trotzdem veröffentlichen" in page


def test_counsellor_posting_for_an_employer_reviews_too(app, login_as, client, create_org):
    org = create_org()
    login_as("counsellor")
    url = f"/counsellor/organisations/{org}/vacancies/new"
    response = client.post(url, data=AD)
    assert response.status_code == 400
    assert _count(app) == 0
    checked = _checked(response.get_data(as_text=True))
    response = client.post(url, data=_anyway(AD, checked))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(WordingOverride)).one().actor_role == "counsellor"
