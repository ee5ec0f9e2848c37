"""Erasure beyond the database (Art. 17): files of the instance folder that may name her.

- Import uploads waiting for a counsellor's confirmation (PLACEMENT_IMPORT_DIR, deleted after
  two hours anyway): an upload that mentions her is deleted; the counsellor uploads it again.
  One that cannot be read is deleted too: it cannot be shown not to name her.
- The file mail backend's log (PLACEMENT_MAIL_FILE): every e-mail in it that mentions her is
  removed; the others stay.

"Mentions her" means: one of her e-mail addresses, her phone number or her import reference,
or her first and her last name both (in a table they stand in separate cells), ignoring case.
E-mails already handed to an SMTP server or printed by the console backend are out of reach.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

MAIL_SEPARATOR = "\n" + "=" * 72 + "\n"  # as placement/placements/mail.py writes the log
UPLOAD_SUFFIXES = (".upload", ".claimed")


@dataclass(frozen=True)
class Places:
    """Where the files are: the import folder, and the mail log if the app writes one."""

    import_dir: Path | None = None
    mail_file: Path | None = None

    @classmethod
    def of(cls, app: Flask) -> Places:
        config = app.config
        imports = config.get("PLACEMENT_IMPORT_DIR") or Path(app.instance_path, "imports")
        mail = config.get("PLACEMENT_MAIL_FILE") or Path(app.instance_path, "mail.log")
        return cls(Path(imports), Path(mail))


@dataclass(frozen=True)
class Needles:
    """What identifies her in a file."""

    exact: tuple[str, ...]  # each alone identifies her
    names: tuple[str, ...]  # first and last name: both must occur

    @classmethod
    def of(cls, participant) -> Needles:
        user = participant.user
        exact = [participant.email, participant.phone, participant.external_ref,
                 user.email if user is not None else None]  # fmt: skip
        names = [participant.first_name, participant.last_name]
        return cls(
            tuple(s.casefold() for s in exact if s and len(s.strip()) >= 4),
            tuple(s.casefold() for s in names if s and s.strip()),
        )

    def found_in(self, text: str) -> bool:
        text = text.casefold()
        if any(s in text for s in self.exact):
            return True
        return len(self.names) == 2 and all(s in text for s in self.names)


def erase_files(needles: Needles, places: Places) -> dict[str, int]:
    """Delete the uploads and remove the logged e-mails that mention her; returns how many."""
    return {
        "uploads": _erase_uploads(needles, places.import_dir),
        "mails": _erase_mails(needles, places.mail_file),
    }


def _upload_text(data: bytes, meta: dict) -> str:
    """Everything an upload says, as text (a workbook's cells; JSON strings unescaped)."""
    from placement.exchange import files

    if data.startswith(b"PK\x03\x04"):
        table = files.read_xlsx_table(data)
        return "\n".join(" ".join(map(str, cells.values())) for _n, cells in table.rows)
    text, _encoding, _sure = files.decode(data, meta.get("encoding") or None)
    parsed = []
    for line in text.splitlines():
        try:
            parsed.append(json.dumps(json.loads(line), ensure_ascii=False))
        except ValueError:
            continue
    return "\n".join([text, *parsed])


def _erase_uploads(needles: Needles, folder: Path | None) -> int:
    if folder is None or not folder.is_dir():
        return 0
    erased = 0
    for path in folder.iterdir():
        if path.suffix not in UPLOAD_SUFFIXES:
            continue
        meta_path = path.with_suffix(".json")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        try:
            mentions = needles.found_in(str(meta.get("filename") or "")) or needles.found_in(
                _upload_text(path.read_bytes(), meta)
            )
        except FileNotFoundError:  # confirmed or cancelled meanwhile
            continue
        except Exception:  # noqa: BLE001 - unreadable: it cannot be shown not to name her
            mentions = True
        if mentions:
            path.unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
            erased += 1
    return erased


def _mail_text(raw: str) -> str:
    """A logged e-mail as written and as read: headers and body decoded (quoted-printable,
    base64, encoded words)."""
    try:
        message = email.message_from_string(raw.lstrip("\n"), policy=email.policy.default)
        parts = [f"{k}: {v}" for k, v in message.items()]
        for part in message.walk():
            if part.get_content_maintype() == "text":
                parts.append(part.get_content())
    except Exception:  # noqa: BLE001 - not an e-mail: the raw text is what there is
        return raw
    return "\n".join([raw, *parts])


def _erase_mails(needles: Needles, path: Path | None) -> int:
    if path is None or not path.is_file():
        return 0
    messages = path.read_text(encoding="utf-8").split(MAIL_SEPARATOR)
    kept = [m for m in messages if not needles.found_in(_mail_text(m))]
    if len(kept) == len(messages):
        return 0
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".mail-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(MAIL_SEPARATOR.join(kept))
    os.chmod(name, path.stat().st_mode & 0o777)
    os.replace(name, path)
    return len(messages) - len(kept)
