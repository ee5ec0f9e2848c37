"""Certificates that look official: the issuing network and its logo, a QR code of the
verification page, codes without ambiguous characters checked leniently, and the /verify box."""

from __future__ import annotations

from placement.extensions import db
from placement.training import codes
from placement.training.certificates import qr_matrix
from placement.training.models import Certificate
from tests.pdf import pdf_text
from tests.training.module_factory import certificate

LOGO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">
<rect width="40" height="20" fill="#c00"/></svg>"""


def test_new_codes_have_no_ambiguous_characters():
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    for code in made:
        assert len(code) == 20
        assert not set(code) & set("0O1IL")
        assert codes.is_canonical(code)
    assert codes.display("23456789ABCDEFGHJKMN") == "2345-6789-ABCD-EFGH-JKMN"
    assert codes.display("old_Code-abc123") == "old_Code-abc123"  # older codes unchanged


def test_verify_accepts_typed_variants(app, client, passed, create_user, create_org):
    user_id, _ = create_user("employer", organisation_id=create_org("Sonnenschein GmbH"))
    item = certificate(app, passed(user_id, "core_a"))
    assert codes.is_canonical(item.code)
    grouped = item.display_code
    for typed in (item.code, grouped, grouped.lower(), " " + grouped.replace("-", " ") + " ",
                  grouped.lower().replace("-", "")):  # fmt: skip
        response = client.get("/verify", query_string={"code": typed})
        assert response.status_code == 200, typed
        assert "This certificate is genuine." in response.get_data(as_text=True)
    # The QR code's address works too, in any case.
    assert client.get(f"/verify/{grouped.lower()}").status_code == 200


def test_older_codes_still_verify_exactly(app, client, passed, create_user, create_org):
    user_id, _ = create_user("employer", organisation_id=create_org())
    certificate_id = passed(user_id, "core_a")
    with app.app_context():
        db.session.get(Certificate, certificate_id).code = "aB3_xY9-kLmN0pQr"
        db.session.commit()
    assert client.get("/verify/aB3_xY9-kLmN0pQr").status_code == 200
    assert client.get("/verify", query_string={"code": "aB3_xY9-kLmN0pQr"}).status_code == 200
    # Older codes were case-sensitive: another case is another code.
    assert client.get("/verify/AB3_XY9-KLMN0PQR").status_code == 404


def test_verify_box(client):
    page = client.get("/verify")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<form method="get" action="/verify"' in html
    assert 'name="code"' in html
    assert "No certificate" not in html
    empty = client.get("/verify", query_string={"code": ""})
    assert empty.status_code == 400
    assert "Please enter the code printed on the certificate." in empty.get_data(as_text=True)
    unknown = client.get("/verify", query_string={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ"})
    assert unknown.status_code == 404
    assert "No certificate with this code was found." in unknown.get_data(as_text=True)
    assert 'value="ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ"' in unknown.get_data(as_text=True)
    too_long = client.get("/verify", query_string={"code": "A" * 500})
    assert too_long.status_code == 400


def test_verify_is_rate_limited(make_app):
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    statuses = [client.get("/verify", query_string={"code": "x"}).status_code for _ in range(61)]
    assert set(statuses[:60]) == {404}
    assert statuses[-1] == 429


def test_certificate_names_the_network_with_logo_and_qr(
    app, client, login_as, passed, create_user, create_org, tmp_path
):
    logo = tmp_path / "logo.svg"
    logo.write_text(LOGO_SVG)
    app.config.update(PLACEMENT_NETWORK="IQ Netzwerk Niedersachsen",
                      PLACEMENT_NETWORK_LOGO=str(logo))  # fmt: skip
    user_id, _ = create_user("employer", organisation_id=create_org())
    item = certificate(app, passed(user_id, "core_a"))
    login_as("counsellor")
    response = client.get(f"/training/certificates/{item.id}.pdf")
    assert response.status_code == 200
    pdf = response.data
    assert b"IQ Netzwerk Niedersachsen" in pdf  # the document's author
    verify_url = f"http://localhost/verify/{item.code}"
    assert b"/URI (" + verify_url.encode() + b")" in pdf  # the QR code links to its page
    content = pdf_text(pdf)
    # The QR code: one filled rectangle per run of dark modules in its matrix.
    runs = sum(sum(1 for i, dark in enumerate(row) if dark and (i == 0 or not row[i - 1]))
               for row in qr_matrix(verify_url))  # fmt: skip
    assert content.count(" re f") >= runs > 20
    # The logo (an SVG drawn as vectors: its red fill) is on the page, and only when set.
    assert "0.8 0 0 rg" in content
    app.config["PLACEMENT_NETWORK_LOGO"] = ""
    plain = pdf_text(client.get(f"/training/certificates/{item.id}.pdf").data)
    assert "0.8 0 0 rg" not in plain


def test_certificate_without_readable_logo_is_still_issued(app, passed, create_user, create_org):
    from placement.training.certificates import certificate_pdf

    user_id, _ = create_user("employer", organisation_id=create_org())
    item = certificate(app, passed(user_id, "core_a"))
    module = app.extensions["modules"]["core_a"]
    for logo in ("/nonexistent/logo.png", __file__):  # missing; not an image
        data = certificate_pdf(item, module, "en", "https://example.org/verify/x", fonts=None,
                               network="IQ Netzwerk Bayern", logo=logo)  # fmt: skip
        content = pdf_text(data)
        assert "Issued by IQ Netzwerk Bayern" in content
        assert item.display_code in content
        assert "Scan the QR code or enter the verification code" in content
