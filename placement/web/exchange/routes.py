"""Counsellors import participants and vacancies (CSV, JSON Lines) with a preview, and export them.

The uploaded file waits in the instance folder under a random token (not in the session) until
the counsellor confirms or cancels; it is deleted either way. Nothing is written before confirm.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from placement.access import STAFF
from placement.audit.services import record
from placement.exchange import formats, services
from placement.web import transaction
from placement.web.auth.reauth import fresh_password_required
from placement.web.exchange.forms import ImportForm
from placement.web.guards import role_required

bp = Blueprint("exchange", __name__, url_prefix="/counsellor")
MAX_AGE_SECONDS = 2 * 3600  # uploads nobody confirmed or cancelled (personal data: not long)
PREVIEW_INVALID, PREVIEW_VALID = 200, 50  # rows shown; the counts name the rest
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _folder() -> Path:
    folder = Path(
        current_app.config.get("PLACEMENT_IMPORT_DIR") or Path(current_app.instance_path, "imports")
    )
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for old in folder.iterdir():
        if time.time() - old.stat().st_mtime > MAX_AGE_SECONDS:
            old.unlink(missing_ok=True)
    return folder


def _load(token: str) -> tuple[dict, str]:
    """The stored upload of this user, or 404."""
    if not TOKEN.match(token or ""):
        abort(404)
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        text = (folder / f"{token}.upload").read_text(encoding="utf-8")
    except (OSError, ValueError):
        abort(404)
    if meta.get("user_id") != current_user.id:
        abort(404)
    return meta, text


def _discard(token: str) -> None:
    for suffix in (".json", ".upload", ".claimed"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _write_private(path: Path, text: str) -> None:
    """Uploads hold personal data: readable by this process's user only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def _claim(token: str) -> bool:
    """Take the upload for one confirm only (an atomic rename): a second, concurrent confirm of
    the same file finds it gone instead of writing every row twice."""
    folder = _folder()
    try:
        os.rename(folder / f"{token}.upload", folder / f"{token}.claimed")
    except FileNotFoundError:
        return False
    return True


def _preview(meta: dict, text: str) -> services.Preview:
    read = formats.read_csv if meta["format"] == "csv" else formats.read_jsonl
    return services.validate(meta["kind"], read(text))


@bp.route("/import", methods=["GET", "POST"])
@role_required(*STAFF)
def upload():
    """Upload a file; it is checked and shown as a preview, nothing is written yet."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors.append(_("The file must be UTF-8 text."))
        else:
            name = (upload.filename or "").lower()
            fmt = "jsonl" if name.endswith((".jsonl", ".json", ".ndjson")) else "csv"
            token = secrets.token_urlsafe(24)
            folder = _folder()
            _write_private(folder / f"{token}.upload", text)
            meta = {
                "user_id": current_user.id,
                "kind": form.kind.data,
                "format": fmt,
                "all_or_nothing": form.all_or_nothing.data,
                "filename": upload.filename,
            }
            _write_private(folder / f"{token}.json", json.dumps(meta))
            return redirect(url_for("exchange.preview", token=token))
    status = 400 if request.method == "POST" else 200
    return render_template("exchange/import.html", form=form), status


@bp.get("/import/<token>")
@role_required(*STAFF)
def preview(token: str):
    """Valid rows and invalid rows with line number and reason; confirm or cancel."""
    meta, text = _load(token)
    result = _preview(meta, text)
    transaction.discard()  # validation only read
    return render_template("exchange/import_preview.html", token=token, meta=meta,
                           preview=result, shown_invalid=PREVIEW_INVALID,
                           shown_valid=PREVIEW_VALID)  # fmt: skip


@bp.post("/import/<token>/confirm")
@role_required(*STAFF)
def confirm(token: str):
    """Write the rows (checked again now), then delete the upload."""
    meta, text = _load(token)
    if not _claim(token):
        message = _("This file is being imported or was imported already: nothing more written.")
        return render_template("error.html", code=409, message=message), 409
    try:
        result = _preview(meta, text)
        written = services.write(result, current_user, meta["all_or_nothing"])
    finally:
        _discard(token)  # no retry of a failed write from a kept file: upload it again
    if meta["all_or_nothing"] and result.invalid:
        flash(_("Nothing was imported: %(n)d rows are invalid.", n=len(result.invalid)), "error")
    else:
        flash(
            _("%(n)d rows imported, %(m)d invalid rows skipped.", n=written, m=len(result.invalid)),
            "success",
        )
    target = "counsellor.participants" if meta["kind"] == "participants" else "counsellor.vacancies"
    return redirect(url_for(target))


@bp.post("/import/<token>/cancel")
@role_required(*STAFF)
def cancel(token: str):
    """Drop the upload; nothing is written."""
    _load(token)
    _discard(token)
    flash(_("Import cancelled. Nothing was written."), "info")
    return redirect(url_for("exchange.upload"))


EXPORTS = {"participants": services.export_participants, "vacancies": services.export_vacancies}


@bp.get("/export/<any(participants, vacancies):kind>.<any(jsonl, csv):fmt>")
@role_required(*STAFF)
@fresh_password_required
def export(kind: str, fmt: str):
    """All participants or vacancies, in the engine's format (JSON Lines) or as CSV."""
    rows = EXPORTS[kind]()
    record(current_user, f"export.{kind}", "export", None, format=fmt, rows=len(rows))
    body = formats.write_jsonl(rows) if fmt == "jsonl" else formats.write_csv(rows)
    mimetype = "application/x-ndjson" if fmt == "jsonl" else "text/csv"
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{kind}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )
