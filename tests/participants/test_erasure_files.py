"""Erasure beyond the database: uploads waiting for confirmation and the file mail log are
searched as they are read (workbooks by their cells, JSON unescaped, e-mails decoded)."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

from openpyxl import Workbook

from placement.participants.erasure_files import Needles, Places, erase_files
from placement.placements.mail import build_message

HER = SimpleNamespace(first_name="Jürgen", last_name="Öztürk", email="j.oe@mail.example",
                      phone="0151 2223334", external_ref="ref-771", user=None)  # fmt: skip


def _xlsx(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(folder, token, data: bytes, filename="liste.csv"):
    (folder / f"{token}.upload").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"filename": filename, "format": "csv"}))


def test_uploads_naming_her_go_in_every_format_the_others_stay(tmp_path):
    folder = tmp_path / "imports"
    folder.mkdir()
    _upload(folder, "a" * 24, _xlsx(("first_name", "last_name"), ("Jürgen", "Öztürk")),
            "liste.xlsx")  # fmt: skip
    _upload(folder, "b" * 24, json.dumps({"first_name": "Jürgen", "last_name": "Öztürk"},
                                         ensure_ascii=True).encode())  # fmt: skip
    _upload(folder, "c" * 24, "Vorname;Nachname\nJürgen;Öztürk\n".encode("cp1252"))
    _upload(folder, "d" * 24, b"id,phone\nx,0151 2223334\n")
    _upload(folder, "e" * 24, b"irrelevant", filename="ref-771.csv")
    _upload(folder, "f" * 24, _xlsx(("first_name", "last_name"), ("Jürgen", "Meyer")),
            "andere.xlsx")  # fmt: skip
    _upload(folder, "g" * 24, b"first_name,last_name\nAmira,Haddad\n")
    counts = erase_files(Needles.of(HER), Places(import_dir=folder))
    assert counts["uploads"] == 5
    left = sorted(p.name for p in folder.iterdir())
    assert left == [f"{t * 24}.{s}" for t in "fg" for s in ("json", "upload")]


def test_logged_mails_naming_her_go_also_when_encoded(tmp_path):
    log = tmp_path / "mail.log"
    separator = "\n" + "=" * 72 + "\n"
    mails = [
        build_message("someone@mail.example", "Grüße", "Hallo Jürgen Öztürk,\n" + "x" * 90, "p"),
        build_message("j.oe@mail.example", "Hi", "Hello,\nnews.\n", "p"),
        build_message("other@mail.example", "Grüße", "Hallo Jürgen Meyer,\nneu.\n", "p"),
    ]
    log.write_text("".join(m.as_string() + separator for m in mails), encoding="utf-8")
    assert "Öztürk" not in log.read_text(encoding="utf-8")  # quoted-printable in the file
    assert erase_files(Needles.of(HER), Places(mail_file=log))["mails"] == 2
    kept = log.read_text(encoding="utf-8")
    assert "other@mail.example" in kept
    assert "j.oe@mail.example" not in kept
    assert "someone@mail.example" not in kept
