"""Counsellors import participants and vacancies (CSV, Excel, JSON Lines) with a preview, and
export them; a template to fill in can be downloaded.

The uploaded file waits in the instance folder under a random token (not in the session) until
the counsellor confirms or cancels; it is deleted either way. Nothing is written before confirm.
The file is kept as uploaded, so that the preview can read it again in another encoding or with
another separator when the guess was not certain.
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
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from placement.access import STAFF
from placement.audit.services import record
from placement.exchange import files, formats, services, words
from placement.exchange import template as templates
from placement.web import transaction
from placement.web.auth.reauth import fresh_password_required
from placement.web.exchange import messages
from placement.web.exchange.forms import (
    DELIMITER_CHOICES,
    ENCODING_CHOICES,
    ImportForm,
    ReadAsForm,
)
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


def _load(token: str) -> tuple[dict, bytes]:
    """The stored upload of this user, or 404."""
    if not TOKEN.match(token or ""):
        abort(404)
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.upload").read_bytes()
    except (OSError, ValueError):
        abort(404)
    if meta.get("user_id") != current_user.id:
        abort(404)
    return meta, data


def _discard(token: str) -> None:
    for suffix in (".json", ".upload", ".claimed"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _write_private(path: Path, data: str | bytes) -> None:
    """Uploads hold personal data: readable by this process's user only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def _claim(token: str) -> bool:
    """Take the upload for one confirm only (an atomic rename): a second, concurrent confirm of
    the same file finds it gone instead of writing every row twice."""
    folder = _folder()
    try:
        os.rename(folder / f"{token}.upload", folder / f"{token}.claimed")
    except FileNotFoundError:
        return False
    return True


def _read(meta: dict, data: bytes) -> tuple[list, files.Table | None]:
    """The rows of the stored upload, read as its meta data says (FileProblem if it cannot)."""
    if meta["format"] == "jsonl":
        text, _encoding, _sure = files.decode(data, meta.get("encoding") or None)
        return formats.read_jsonl(text), None
    delimiter = {"tab": "\t"}.get(meta.get("delimiter"), meta.get("delimiter")) or None
    table = files.read_table(data, meta["filename"] or "", meta.get("encoding") or None, delimiter)
    return formats.table_rows(table), table


def _preview(meta: dict, data: bytes) -> tuple[services.Preview, files.Table | None]:
    rows, table = _read(meta, data)
    return services.validate(meta["kind"], rows, str(get_locale())[:2]), table


@bp.route("/import", methods=["GET", "POST"])
@role_required(*STAFF)
def upload():
    """Upload a file; it is checked and shown as a preview, nothing is written yet."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        name = (upload.filename or "").lower()
        fmt = "jsonl" if name.endswith((".jsonl", ".json", ".ndjson")) else "table"
        meta = {
            "user_id": current_user.id,
            "kind": form.kind.data,
            "format": fmt,
            "encoding": form.encoding.data,
            "delimiter": form.delimiter.data,
            "all_or_nothing": form.all_or_nothing.data,
            "filename": upload.filename,
        }
        try:
            _read(meta, data)
        except files.FileProblem as exc:
            form.file.errors.append(_(str(exc)))
        else:
            token = secrets.token_urlsafe(24)
            folder = _folder()
            _write_private(folder / f"{token}.upload", data)
            _write_private(folder / f"{token}.json", json.dumps(meta))
            return redirect(url_for("exchange.preview", token=token))
    status = 400 if request.method == "POST" else 200
    return render_template("exchange/import.html", form=form, columns=words.COLUMNS,
                           language=str(get_locale())[:2]), status  # fmt: skip


@bp.get("/import/<token>")
@role_required(*STAFF)
def preview(token: str):
    """Valid rows and invalid rows with line number and reason; confirm or cancel."""
    meta, data = _load(token)
    form = ReadAsForm(formdata=None, encoding=meta.get("encoding") or "",
                      delimiter=meta.get("delimiter") or "")  # fmt: skip
    try:
        result, table = _preview(meta, data)
    except files.FileProblem as exc:  # the encoding chosen does not fit: say so, offer others
        result, table = services.Preview(meta["kind"]), None
        form.encoding.errors = [_(str(exc))]
    transaction.discard()  # validation only read
    return render_template("exchange/import_preview.html", token=token, meta=meta,
                           preview=result, table=table, form=form,
                           shown_invalid=PREVIEW_INVALID, shown_valid=PREVIEW_VALID,
                           delimiter_names=dict(DELIMITER_CHOICES), say=messages.say,
                           encoding_names=dict(ENCODING_CHOICES))  # fmt: skip


@bp.post("/import/<token>/read-as")
@role_required(*STAFF)
def read_as(token: str):
    """Read the stored file again with the encoding and separator the counsellor chose."""
    meta, _data = _load(token)
    form = ReadAsForm()
    if form.validate_on_submit():
        meta.update(encoding=form.encoding.data, delimiter=form.delimiter.data)
        _write_private(_folder() / f"{token}.json", json.dumps(meta))
    return redirect(url_for("exchange.preview", token=token))


@bp.post("/import/<token>/confirm")
@role_required(*STAFF)
def confirm(token: str):
    """Write the rows (checked again now), then delete the upload."""
    meta, data = _load(token)
    if not _claim(token):
        message = _("This file is being imported or was imported already: nothing more written.")
        return render_template("error.html", code=409, message=message), 409
    try:
        try:
            result, _table = _preview(meta, data)
        except files.FileProblem:
            abort(400)
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


@bp.get("/import/template/<any(participants, vacancies):kind>.<any(csv, xlsx):fmt>")
@role_required(*STAFF)
def template(kind: str, fmt: str):
    """A table to fill in: headings in the user's language and what to write in each column."""
    language = "de" if str(get_locale()).startswith("de") else "en"
    if fmt == "csv":
        body, mimetype = templates.template_csv(kind, language), "text/csv; charset=utf-8"
    else:
        body = templates.template_xlsx(kind, language)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    names = {
        "de": {"participants": "Vorlage-Teilnehmende", "vacancies": "Vorlage-Stellen"},
        "en": {"participants": "template-participants", "vacancies": "template-vacancies"},
    }
    disposition = f'attachment; filename="{names[language][kind]}.{fmt}"'
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})


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
