"""Suggestions with plain-language reasons, interest, and the status of own proposals."""

from __future__ import annotations

from sqlalchemy import select

from placement.extensions import db


def test_without_consent_explains_and_offers_it(
    participant_login, client, create_org, create_vacancy
):
    create_vacancy(create_org(), title="Lagerhelfer")
    participant_login(consent_matching=False)
    page = client.get("/me/suggestions").get_data(as_text=True)
    assert "Lagerhelfer" not in page
    assert 'action="/me/matching-consent"' in page
    assert client.post("/me/matching-consent", data={"give": "1"}).status_code == 302
    assert "Lagerhelfer" in client.get("/me/suggestions").get_data(as_text=True)


def test_suggestions_split_by_kind_with_reasons(
    participant_login, client, create_org, create_vacancy
):
    org = create_org()
    create_vacancy(org, title="Lager Job B1", german_level="B1")
    create_vacancy(org, title="Praktikum Lager", kind="internship", duration_weeks=6)
    create_vacancy(org, title="Pflege B2 Job", german_level="B2")
    create_vacancy(org, title="Entwurf", status="draft")
    participant_login(
        german_level="B1", postcode="30159", max_commute_km=20, skills=["Kommissionieren"]
    )
    page = client.get("/me/suggestions").get_data(as_text=True)
    internships, jobs = page.split('id="section-job"')
    assert "Praktikum Lager" in internships
    assert "Lager Job B1" not in internships
    assert "Lager Job B1" in jobs
    assert "Your German level B1 fits (B1 needed)." in page
    assert "It is in the place where you live." in page  # not "0 km away"
    fits, near = jobs.split("These almost fit")
    assert "Lager Job B1" in fits
    assert "Pflege B2 Job" in near
    assert "The job needs B2: a Berufssprachkurs B1-&gt;B2 could help." in near
    assert "Entwurf" not in page


def test_unrelated_near_miss_is_not_suggested(
    participant_login, client, create_org, create_vacancy
):
    """One step away (German) from a job that shares nothing with the person: not shown."""
    create_vacancy(create_org(), title="Zahntechniker Job", german_level="C1", skills=["Keramik"])
    participant_login(german_level="B2", postcode="30159", skills=["Gabelstapler"])
    page = client.get("/me/suggestions").get_data(as_text=True)
    suggested, more = page.split('<details class="more">')
    assert "Zahntechniker Job" not in suggested
    assert "Zahntechniker Job" in more  # listed among those that do not fit, with the reason
    assert "far from the occupations in your profile" in more


def test_suggestions_are_logged(participant_login, client, app, create_org, create_vacancy):
    from placement.matches.models import MatchLog

    vacancy_id = create_vacancy(create_org())
    _, participant_id, _ = participant_login()
    client.get("/me/suggestions")
    with app.app_context():
        log = db.session.scalars(select(MatchLog)).one()
        assert (log.subject_type, log.subject_id, log.actor_role) == (
            "participant",
            participant_id,
            "participant",
        )
        assert log.results[0]["id"] == str(vacancy_id)


def test_far_away_is_hidden_not_suggested(participant_login, client, create_org, create_vacancy):
    create_vacancy(create_org(), title="Weit weg", postcode="80331")
    participant_login(postcode="30159", max_commute_km=20)
    page = client.get("/me/suggestions").get_data(as_text=True)
    suggested, more = page.split('<details class="more">')
    assert "Weit weg" not in suggested
    assert "1 more vacancy does not fit at the moment." in more  # can be opened
    assert "Weit weg" in more.split("</details>")[0]
    assert "more than 20 km" in more  # with its reason


def test_mark_and_remove_interest_counsellor_sees_it(
    participant_login, client, auth, app, create_org, create_vacancy, create_user
):
    from placement.participants.models import Interest

    vacancy_id = create_vacancy(create_org(), title="Lagerhelfer Nord")
    _, participant_id, _ = participant_login()
    assert client.post(f"/me/vacancies/{vacancy_id}/interest").status_code == 302
    client.post(f"/me/vacancies/{vacancy_id}/interest")  # idempotent
    with app.app_context():
        assert len(db.session.scalars(select(Interest)).all()) == 1
    assert "You are interested" in client.get("/me/suggestions").get_data(as_text=True)
    auth.logout()
    _, email = create_user("counsellor")
    auth.login(email)
    client.post("/language", data={"locale": "en"})  # signing out cleared the choice
    page = client.get(f"/counsellor/participants/{participant_id}").get_data(as_text=True)
    assert "Lagerhelfer Nord" in page
    assert "interested in" in page
    auth.logout()


def test_remove_interest(participant_login, client, app, create_org, create_vacancy):
    from placement.participants.models import Interest

    vacancy_id = create_vacancy(create_org())
    participant_login()
    client.post(f"/me/vacancies/{vacancy_id}/interest")
    assert client.post(f"/me/vacancies/{vacancy_id}/interest/delete").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Interest)).all() == []


def test_interest_in_unpublished_vacancy_is_404(
    participant_login, client, app, create_org, create_vacancy
):
    from placement.participants.models import Interest

    draft = create_vacancy(create_org(), status="draft")
    unapproved = create_vacancy(create_org(approved=False), status="draft")
    participant_login()
    assert client.post(f"/me/vacancies/{draft}/interest").status_code == 404
    assert client.post(f"/me/vacancies/{unapproved}/interest").status_code == 404
    assert client.post("/me/vacancies/9999/interest").status_code == 404
    with app.app_context():
        assert db.session.scalars(select(Interest)).all() == []


def test_own_proposals_with_history_in_plain_words(
    participant_login, client, app, create_org, create_vacancy, create_user, create_participant
):
    from placement.accounts.models import User
    from placement.employers.models import Vacancy
    from placement.participants.models import Participant
    from placement.proposals import services

    org = create_org("Lager Nord GmbH")
    vacancy_id = create_vacancy(org, title="Kommissionierer")
    other_vacancy = create_vacancy(org, title="Fremder Vorschlag")
    counsellor_id, _ = create_user("counsellor")
    employer_id, _ = create_user("employer", organisation_id=org)
    _, participant_id, _ = participant_login()
    other_id = create_participant(consent_matching=True)
    with app.app_context():
        counsellor = db.session.get(User, counsellor_id)
        person = db.session.get(Participant, participant_id)
        proposal = services.propose(db.session.get(Vacancy, vacancy_id), person, counsellor)
        services.change_status(proposal, "invited", db.session.get(User, employer_id))
        services.change_status(
            proposal, "declined", db.session.get(User, employer_id), reason="language"
        )
        services.propose(
            db.session.get(Vacancy, other_vacancy),
            db.session.get(Participant, other_id),
            counsellor,
        )
        db.session.commit()
    page = client.get("/me/proposals").get_data(as_text=True)
    assert "Kommissionierer" in page
    assert "Fremder Vorschlag" not in page
    assert "Your counsellor suggested you to the employer." in page
    assert "The employer answered: you are invited to an interview." in page
    assert "The employer said no. Reason: German not yet sufficient for this job" in page
    assert "without your name" in page


def test_a_note_for_every_suggestion_is_shown_once(
    participant_login, client, create_org, create_vacancy
):
    """The residence document expiring concerns every job: said once, not on each card."""
    from datetime import date, timedelta

    org = create_org()
    for title in ("Lager Job A", "Lager Job B", "Lager Job C"):
        create_vacancy(org, title=title, german_level="A2")
    participant_login(permit_expires=date.today() + timedelta(days=40))
    page = client.get("/me/suggestions").get_data(as_text=True)
    assert all(title in page for title in ("Lager Job A", "Lager Job B", "Lager Job C"))
    assert page.count("Your residence document expires on") == 1


def test_long_lists_show_the_best_first_and_the_rest_on_request(
    participant_login, client, create_org, create_vacancy
):
    """A phone shows a few suggestions per kind; the others that fit are one tap away, are
    not called unfitting, and an interest marked there brings the participant back to them."""
    from placement.web.participant.suggestions import PAGE

    org = create_org()
    ids = [create_vacancy(org, title=f"Lagerhelfer {i}") for i in range(PAGE + 3)]
    create_vacancy(org, title="Praktikum Lager", kind="internship")
    participant_login(german_level="B1", postcode="30159", skills=["Kommissionieren"])
    page = client.get("/me/suggestions").get_data(as_text=True)
    internships, jobs = page.split('id="section-job"')
    assert jobs.count('class="suggestion"') == PAGE
    assert "Show 3 more that fit" in jobs
    assert "more vacancies do not fit" not in jobs  # they fit: not listed as unfitting
    assert 'href="/me/suggestions?more=job#section-job"' in jobs
    assert internships.count('class="suggestion"') == 1
    assert "more that fit" not in internships

    full = client.get("/me/suggestions?more=job").get_data(as_text=True)
    internships, jobs = full.split('id="section-job"')
    assert jobs.count('class="suggestion"') == PAGE + 3
    assert all(f"Lagerhelfer {i}" in jobs for i in range(PAGE + 3))
    assert "more that fit" not in jobs
    assert 'href="/me/suggestions#section-job"' in jobs  # back to the best only
    assert internships.count('class="suggestion"') == 1
    assert client.get("/me/suggestions?more=nonsense").status_code == 200

    # the form of a vacancy shown only in full carries the view back
    card = jobs.split(f'id="vacancy-{ids[-1]}"')[1].split("</article>")[0]
    assert '<input type="hidden" name="more" value="job">' in card
    response = client.post(f"/me/vacancies/{ids[-1]}/interest", data={"more": "job"})
    assert response.headers["Location"].endswith(f"/me/suggestions?more=job#vacancy-{ids[-1]}")
    response = client.post(f"/me/vacancies/{ids[-1]}/interest/delete", data={"more": "x"})
    assert response.headers["Location"].endswith(f"/me/suggestions#vacancy-{ids[-1]}")


def test_show_more_is_translated(participant_login, client, create_org, create_vacancy):
    from placement.web.participant.suggestions import PAGE

    org = create_org()
    for i in range(PAGE + 1):
        create_vacancy(org, title=f"Lagerhelfer {i}")
    participant_login(german_level="B1", postcode="30159", skills=["Kommissionieren"])
    client.post("/language", data={"locale": "de"})
    page = client.get("/me/suggestions").get_data(as_text=True)
    assert "1 weitere passende anzeigen" in page
    page = client.get("/me/suggestions?more=job").get_data(as_text=True)
    assert "Nur die besten anzeigen" in page
