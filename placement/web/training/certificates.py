"""Certificates of the diversity-awareness modules: PDF download, the public verify page,
revocation, and each employer's module status for counsellors."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from placement.access import STAFF
from placement.audit.services import record
from placement.extensions import limiter
from placement.training import services as training
from placement.training.certificates import certificate_pdf
from placement.web.confirm import confirmed, render_confirm
from placement.web.guards import (
    get_certificate,
    get_organisation,
    role_required,
    training_modules,
)
from placement.web.training.forms import VerifyForm

bp = Blueprint("certificates", __name__)


@bp.get("/training/certificates/<int:certificate_id>.pdf")
@role_required("employer", *STAFF)
def pdf(certificate_id: int):
    """The certificate as a PDF: for its holder, counsellors and admins only."""
    certificate = get_certificate(certificate_id)
    module = training_modules().get(certificate.module_slug)
    if module is None or not certificate.valid:
        flash(_("This certificate is no longer available."), "error")
        return redirect(url_for("main.index"))
    verify_url = url_for("certificates.verify", code=certificate.code, _external=True)
    data = certificate_pdf(
        certificate,
        module,
        str(get_locale()),
        verify_url,
        network=current_app.config["PLACEMENT_NETWORK"],
        logo=current_app.config.get("PLACEMENT_NETWORK_LOGO") or None,
        verify_page=url_for("certificates.verify_form", _external=True),
    )
    filename = f"certificate-{certificate.module_slug}-{certificate.code}.pdf"
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _verify_page(typed: str | None, form: VerifyForm):
    """The verify page for a typed code (None: only the box), with 404 for an unknown code."""
    headers = {"X-Robots-Tag": "noindex", "Cache-Control": "no-store"}
    if typed is None:
        return render_template("training/verify.html", form=form, checked=False), 200, headers
    certificate = training.find_certificate(typed) if len(typed) <= 60 else None
    module = certificate and training_modules().get(certificate.module_slug)
    page = render_template("training/verify.html", form=form, checked=True,
                           certificate=certificate, module=module)  # fmt: skip
    return page, 200 if certificate else 404, headers


@bp.get("/verify")
@limiter.limit("60 per minute")
def verify_form():
    """Public: a box to type a certificate's code; the answer shows on the same page."""
    form = VerifyForm(request.args)
    if "code" not in request.args:
        return _verify_page(None, VerifyForm(formdata=None))
    if not form.validate():
        headers = {"X-Robots-Tag": "noindex", "Cache-Control": "no-store"}
        return render_template("training/verify.html", form=form, checked=False), 400, headers
    return _verify_page(form.code.data, form)


@bp.get("/verify/<code>")
@limiter.limit("60 per minute")
def verify(code: str):
    """Public (the QR code's address): is this certificate genuine? Shows only name,
    organisation, module and date. Codes carry about 99 random bits, so they cannot be
    enumerated; the rate limit only keeps the page cheap."""
    return _verify_page(code, VerifyForm(formdata=None, code=code))


@bp.get("/counsellor/certificates/<int:certificate_id>/revoke")
@role_required(*STAFF)
def confirm_revoke(certificate_id: int):
    """Ask before revoking a certificate: it cannot be undone."""
    certificate = get_certificate(certificate_id, revoke=True)
    back = (url_for("certificates.organisation", organisation_id=certificate.organisation_id)
            if certificate.organisation_id else url_for("organisations.index"))  # fmt: skip
    return render_confirm(
        title=_("Revoke certificate %(code)s?", code=certificate.display_code),
        consequences=[
            _("Its verification page then says that it was revoked and is no longer valid."),
            _("This cannot be undone."),
        ],
        action=url_for("certificates.revoke", certificate_id=certificate.id),
        confirm_label=_("Yes, revoke the certificate"),
        cancel=back,
    )


@bp.post("/counsellor/certificates/<int:certificate_id>/revoke")
@role_required(*STAFF)
def revoke(certificate_id: int):
    """Revoke a certificate (for example one issued in error); the verify page then says so."""
    certificate = get_certificate(certificate_id, revoke=True)
    if not confirmed():
        return redirect(url_for("certificates.confirm_revoke", certificate_id=certificate.id))
    training.revoke_certificate(certificate, current_user)
    record(current_user, "certificate.revoke", "certificate", certificate.id)
    flash(_("Certificate revoked."), "success")
    if certificate.organisation_id:
        return redirect(
            url_for("certificates.organisation", organisation_id=certificate.organisation_id)
        )
    return redirect(url_for("organisations.index"))


@bp.get("/counsellor/organisations/<int:organisation_id>/training")
@role_required(*STAFF)
def organisation(organisation_id: int):
    """An employer's module status: each staff member in each module, and the certificates."""
    org = get_organisation(organisation_id)
    modules = training_modules()
    staff = training.organisation_staff(org)
    statuses = training.statuses_for(staff, modules.values())
    return render_template(
        "training/organisation.html",
        organisation=org,
        modules=list(modules.values()),
        staff=staff,
        statuses=statuses,
        badge=training.organisation_badge(org, modules),
    )
