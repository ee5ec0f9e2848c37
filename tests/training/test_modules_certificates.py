"""Certificates (PDF, access), public verification, revocation, the organisation badge and the
counsellor's overview of an employer's module status."""

from __future__ import annotations

import pytest

from placement.extensions import db
from placement.training import services as training
from placement.training.certificates import certificate_pdf
from placement.training.models import Certificate
from tests.conftest import page_ok
from tests.pdf import pdf_text
from tests.training.module_factory import WRONG, certificate

# Certificates ----------------------------------------------------------------------------


def test_certificate_pdf(app, client, login_as, passed):
    user_id = login_as("employer")
    certificate_id = passed(user_id, "core_a")
    response = client.get(f"/training/certificates/{certificate_id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    code = certificate(app, certificate_id).code
    assert code.encode() in response.data


def test_certificate_wording_without_unicode_font(app, passed, create_user, create_org):
    user_id, _ = create_user("employer", organisation_id=create_org())
    item = certificate(app, passed(user_id, "core_a"))
    module = app.extensions["modules"]["core_a"]
    data = certificate_pdf(item, module, "de", "https://example.org/verify/x", fonts=None)
    assert data.startswith(b"%PDF")
    content = pdf_text(data)
    assert item.display_code in content  # printed in groups of four
    assert "erfolgreich abgeschlossen" in content
    assert "Sie bescheinigt nicht" in content  # no claim of AGG compliance
    assert "Prüfcode" in content  # umlauts survive the built-in font


@pytest.mark.parametrize("role", ["counsellor", "admin"])
def test_staff_may_download_a_certificate(client, login_as, passed, create_user, create_org, role):
    user_id, _ = create_user("employer", organisation_id=create_org())
    certificate_id = passed(user_id, "core_a")
    login_as(role)
    assert client.get(f"/training/certificates/{certificate_id}.pdf").data.startswith(b"%PDF")


def test_certificate_pdf_access(client, login_as, passed, create_user, create_org):
    org = create_org()
    owner_id, _ = create_user("employer", organisation_id=org)
    certificate_id = passed(owner_id, "core_a")
    url = f"/training/certificates/{certificate_id}.pdf"
    assert client.get(url).headers["Location"].startswith("/login")  # anonymous
    login_as("participant")
    assert client.get(url).status_code == 403
    client.post("/logout")
    login_as("employer")  # another organisation
    assert client.get(url).status_code == 404
    client.post("/logout")
    login_as("employer", organisation_id=org)  # a colleague
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/training/", "/training/core_a/", "/training/core_a/quiz"])
def test_training_is_for_employers(refused, url):
    refused(url, "participant", "counsellor")


# Verification and revocation ---------------------------------------------------------------


def test_verify_valid_certificate(app, client, passed, create_user, create_org):
    org = create_org("Pflegedienst Sonnenschein")
    user_id, email = create_user("employer", organisation_id=org)
    item = certificate(app, passed(user_id, "core_a"))
    response = client.get(f"/verify/{item.code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This certificate is genuine." in page
    assert "Test Employer" in page
    assert "Pflegedienst Sonnenschein" in page
    assert "Demo" in page
    assert email not in page
    assert "points" not in page


@pytest.mark.parametrize("code", ["AAAAAAAAAAAAAAAA", "x", "%27%20or%201=1"])
def test_verify_unknown_code(client, code):
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    assert "No certificate with this code was found." in response.get_data(as_text=True)


def test_revoke_certificate(app, client, login_as, passed, create_user, create_org):
    org = create_org("Revoked GmbH")
    user_id, _ = create_user("employer", organisation_id=org)
    certificate_id = passed(user_id, "core_a")
    code = certificate(app, certificate_id).code
    url = f"/counsellor/certificates/{certificate_id}/revoke"
    yes = {"confirmed": "y"}
    assert client.post(url, data=yes).headers["Location"].startswith("/login")
    login_as("employer", organisation_id=org)
    assert client.post(url, data=yes).status_code == 403
    client.post("/logout")
    counsellor_id = login_as("counsellor")
    response = client.post(url, data=yes)
    assert response.headers["Location"] == f"/counsellor/organisations/{org}/training"
    with app.app_context():
        item = db.session.get(Certificate, certificate_id)
        assert item.revoked_by_id == counsellor_id
        assert item.revoked_at is not None
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "was revoked on" in page
    assert "Test Employer" not in page
    assert "Revoked GmbH" not in page
    # The holder can pass again and gets a new certificate.
    assert passed(user_id, "core_a") not in (None, certificate_id)


# Badge and counsellor overview --------------------------------------------------------------

BADGE = "Diversity training: core modules passed"


def MODULES(app):  # noqa: N802  the modules the app loaded
    return app.extensions["modules"]


def test_badge_needs_every_core_module(app, client, login_as, passed, create_user, create_org):
    org, other = create_org("Badge AG"), create_org("Other AG")
    first, _ = create_user("employer", organisation_id=org)
    second, _ = create_user("employer", organisation_id=org)
    passed(first, "core_a")
    passed(first, "extra")
    with app.app_context():
        from placement.employers.models import Organisation

        assert not training.organisation_badge(db.session.get(Organisation, org), MODULES(app))
    certificate_id = passed(second, "core_b")  # core modules passed by different staff
    with app.app_context():
        assert training.organisation_badge(db.session.get(Organisation, org), MODULES(app))
        assert not training.organisation_badge(db.session.get(Organisation, other), MODULES(app))
    login_as("employer", organisation_id=org)
    assert BADGE in client.get("/employer/").get_data(as_text=True)
    client.post("/logout")
    login_as("counsellor")
    client.post(f"/counsellor/certificates/{certificate_id}/revoke", data={"confirmed": "y"})
    with app.app_context():
        assert not training.organisation_badge(db.session.get(Organisation, org), MODULES(app))


def test_badge_on_vacancy_pages(client, login_as, passed, create_user, create_org, create_vacancy):
    org, other = create_org(), create_org()
    user_id, _ = create_user("employer", organisation_id=org)
    passed(user_id, "core_a")
    passed(user_id, "core_b")
    with_badge, without = create_vacancy(org), create_vacancy(other)
    login_as("counsellor")
    assert BADGE in client.get(f"/counsellor/vacancies/{with_badge}").get_data(as_text=True)
    assert BADGE not in client.get(f"/counsellor/vacancies/{without}").get_data(as_text=True)
    client.post("/logout")
    login_as("employer", organisation_id=other)
    assert BADGE not in client.get("/employer/").get_data(as_text=True)


def test_counsellor_sees_module_status(app, client, login_as, passed, create_user, create_org):
    org = create_org()
    user_id, _ = create_user("employer", organisation_id=org)
    passed(user_id, "core_a")
    passed(user_id, "core_b", WRONG)
    url = f"/counsellor/organisations/{org}/training"
    assert client.get(url).headers["Location"].startswith("/login")
    login_as("employer", organisation_id=org)
    assert client.get(url).status_code == 403
    client.post("/logout")
    login_as("counsellor")
    page = client.get(url).get_data(as_text=True)
    assert "Test Employer" in page
    assert "Passed on" in page
    assert "1 failed attempt" in page
    assert "Not started" in page
    assert "Revoke" in page
    assert client.get("/counsellor/organisations/9999/training").status_code == 404
    assert url in client.get("/counsellor/organisations").get_data(as_text=True)


def test_revoking_asks_first(app, client, login_as, passed, create_user, create_org):
    org = create_org("Revoked GmbH")
    user_id, _ = create_user("employer", organisation_id=org)
    certificate_id = passed(user_id, "core_a")
    code = certificate(app, certificate_id).display_code  # as printed: groups of four
    confirm = f"/counsellor/certificates/{certificate_id}/revoke"
    assert client.get(confirm).headers["Location"].startswith("/login")
    login_as("employer", organisation_id=org)
    assert client.get(confirm).status_code == 403  # as revoking itself
    client.post("/logout")
    login_as("counsellor")
    page = client.get(f"/counsellor/organisations/{org}/training").get_data(as_text=True)
    assert f'class="button danger" href="{confirm}"' in page
    page = page_ok(client, confirm)
    assert code in page
    assert "This cannot be undone." in page
    assert 'name="confirmed" value="y"' in page
    response = client.post(confirm)  # the same URL posted without the confirmation
    assert response.headers["Location"] == confirm
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).revoked_at is None
    client.post(confirm, data={"confirmed": "y"})
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).revoked_at is not None
    assert client.get("/counsellor/certificates/99999/revoke").status_code == 404
