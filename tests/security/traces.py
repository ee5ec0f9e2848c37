"""What is left of an erased person: a search of every cell of every table (issue 11, finding 4).

Generic, so that a new table or column is searched without a change here:
- every text and JSON cell is searched for her values (name, e-mail, phone, postcode, texts);
- every foreign key is checked against the ids of her erased records, by the table it refers to;
- every (subject_type, subject_id) pair (audit events, match logs) likewise;
- every JSON document is walked: a key naming a table (``"placement": 7``, ``"proposal_id"``)
  with one of her ids, and the entries of a match list (``[{"id": ...}]``: participants in a
  vacancy's list, vacancies in a participant's) are hits.

Shared by tests/participants/test_erasure.py (assertions) and bench/probe.py (figures).
"""

from __future__ import annotations

from sqlalchemy import JSON, Integer, String, Text, select

from placement.extensions import db

# A match list's entries name records of the other side.
LISTED = {"vacancy": "participant", "participant": "vacancy"}


def _json_hits(value, erased: dict[str, set[int]], listed: str | None) -> list[str]:
    hits = []
    if isinstance(value, dict):
        for key, item in value.items():
            kind = key[:-3] if key.endswith("_id") else key
            if isinstance(item, int) and item in erased.get(kind, ()):
                hits.append(f"{key}={item}")
            else:
                hits += _json_hits(item, erased, listed)
    elif isinstance(value, list):
        ids = {str(i) for i in erased.get(listed, ())} if listed else set()
        for item in value:
            if isinstance(item, dict) and str(item.get("id")) in ids:
                hits.append(f"{listed} id={item['id']}")
            hits += _json_hits(item, erased, None)
    return hits


def traces(needles: tuple[str, ...], erased: dict[str, set[int]]) -> list[tuple[str, str, str]]:
    """(table, column, what) of every cell still holding one of her values or ids.

    ``erased`` maps a table name to the ids of her rows that erasure removed (participant,
    user, proposal, placement ...).
    """
    hits = []
    for table in db.metadata.sorted_tables:
        columns = list(table.columns)
        polymorphic = {"subject_type", "subject_id"} <= set(table.columns.keys())
        for row in db.session.execute(select(*columns)).mappings():
            kind = row["subject_type"] if polymorphic else None
            for column in columns:
                value = row[column]
                if value is None:
                    continue
                if isinstance(column.type, String | Text | JSON):
                    found = [n for n in needles if n in str(value)]
                    hits += [(table.name, column.name, f"text {n!r}") for n in found]
                if isinstance(column.type, JSON):
                    hits += [
                        (table.name, column.name, what)
                        for what in _json_hits(value, erased, LISTED.get(kind))
                    ]
                if isinstance(column.type, Integer):
                    for fk in column.foreign_keys:
                        if value in erased.get(fk.column.table.name, ()):
                            hits.append((table.name, column.name, f"{fk.column.table.name} id"))
                    if column.name == "subject_id" and value in erased.get(kind, ()):
                        hits.append((table.name, column.name, f"{kind} id"))
    return hits


def _readable(data: bytes) -> str:
    """A file's text as stored and as read: e-mails decoded (quoted-printable, base64, encoded
    headers), workbooks by their cells, JSON strings unescaped."""
    import contextlib
    import email
    import email.policy
    import io
    import json
    import zipfile

    texts = [data.decode("utf-8", "ignore")]
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            texts += [book.read(n).decode("utf-8", "ignore") for n in book.namelist()]
    for chunk in texts[0].split("=" * 72):
        message = email.message_from_string(chunk.strip(), policy=email.policy.default)
        texts += [str(v) for v in message.values()]
        texts += [p.get_content() for p in message.walk() if p.get_content_maintype() == "text"]
    for line in texts[0].splitlines():
        with contextlib.suppress(ValueError):
            texts.append(json.dumps(json.loads(line), ensure_ascii=False))
    return "\n".join(texts)


def file_traces(needles: tuple[str, ...], folder) -> list[tuple[str, str]]:
    """(file, needle) for every file under ``folder`` that still holds one of her values."""
    from pathlib import Path

    hits = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        text = _readable(path.read_bytes()).casefold()
        hits += [(path.name, n) for n in needles if n.casefold() in text]
    return hits
