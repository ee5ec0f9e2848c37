"""Reading and writing rows: JSON Lines (the engine's format) and CSV with the same columns.

CSV conventions: lists (skills, desired_occupations, concepts) separated by ";"; languages as
"uk:native; en:B1"; qualifications in columns qualification_title, qualification_country ...
and qualification_2_title ... for more; booleans true/false, yes/no, ja/nein, 1/0.
"""

from __future__ import annotations

import csv
import io
import json
import re

LIST_FIELDS = {"skills", "desired_occupations", "concepts"}
INT_FIELDS = {
    "max_commute_km",
    "hours_per_week",
    "phase",
    "radius_km",
    "duration_weeks",
    "level",
    "organisation_id",
}
BOOL_FIELDS = {"consent_matching", "consent_contact", "requires_recognition"}
QUALIFICATION_FIELDS = ("title", "country", "year", "recognition", "reference_occupation")
_QUALIFICATION_COLUMN = re.compile(
    r"^qualification(?:_(\d+))?_(" + "|".join(QUALIFICATION_FIELDS) + ")$"
)
_TRUE, _FALSE = {"true", "yes", "ja", "1", "y"}, {"false", "no", "nein", "0", "n"}


# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP "CSV
# injection"): written with a leading apostrophe, which spreadsheets show as text and read_csv
# takes off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _csv_unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


class RowError(ValueError):
    """A row that cannot be read; the message is user-facing and names the field."""


def read_jsonl(text: str) -> list[tuple[int, dict | None, str | None]]:
    """(line number, row, error) for each non-empty line."""
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append((n, None, f"invalid JSON: {exc.msg}"))
            continue
        if not isinstance(row, dict):
            rows.append((n, None, "a line must hold one JSON object"))
        else:
            rows.append((n, row, None))
    return rows


def _csv_value(key: str, value: str):
    if key in LIST_FIELDS:
        return [item.strip() for item in value.split(";") if item.strip()]
    if key in INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            raise RowError(f"{key!r} must be a whole number, got {value!r}") from None
    if key in BOOL_FIELDS:
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise RowError(f"{key!r} must be true or false, got {value!r}")
    if key == "languages":
        out = []
        for item in value.split(";"):
            code, _sep, level = item.strip().partition(":")
            if code.strip():
                out.append({"code": code.strip(), "level": level.strip() or None})
        return out
    return value


def _csv_row(raw: dict) -> dict:
    row: dict = {}
    qualifications: dict[int, dict] = {}
    for key, value in raw.items():
        if key is None:
            raise RowError("more values than columns")
        key, value = key.strip(), _csv_unescape((value or "").strip())
        if not value:
            continue
        match = _QUALIFICATION_COLUMN.match(key)
        if match:
            field = match.group(2)
            if field == "year" and value.isdigit():
                value = int(value)
            qualifications.setdefault(int(match.group(1) or 1), {})[field] = value
        else:
            row[key] = _csv_value(key, value)
    if qualifications:
        row["qualifications"] = [qualifications[k] for k in sorted(qualifications)]
    return row


def _check_quotes(raw: dict, start: int, end: int, columns: int) -> None:
    """A record over several lines whose quoted text holds what looks like whole rows is an
    unbalanced quote swallowing the rows after it: refuse it rather than lose them."""
    if end == start or columns < 3:
        return
    for value in raw.values():
        lines = value.splitlines()[1:] if isinstance(value, str) else []
        if any(line.count(",") >= columns - 1 for line in lines):
            raise RowError(
                f'a quote (") opened on line {start} is closed only on line {end}, '
                "taking the rows in between: check for an unbalanced quote"
            )


def read_csv(text: str) -> list[tuple[int, dict | None, str | None]]:
    """(line number where the record starts, row, error); the header is line 1."""
    # strict: a quote left open at the end of the file is an error, not a silent last field.
    reader = csv.DictReader(io.StringIO(text), strict=True)
    rows = []
    start = 2
    try:
        for raw in reader:
            try:
                _check_quotes(raw, start, reader.line_num, len(reader.fieldnames or ()))
                rows.append((start, _csv_row(raw), None))
            except RowError as exc:
                rows.append((start, None, str(exc)))
            start = reader.line_num + 1
    except csv.Error as exc:
        rows.append((start, None, f"CSV error: {exc}. Rows from line {start} on were not read: "
                                  'check for an unbalanced quote (")'))  # fmt: skip
    return rows


def write_jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _csv_cell(key: str, value) -> str:
    if value is None:
        return ""
    if key == "languages":
        return "; ".join(f"{e.get('code')}:{e.get('level') or ''}" for e in value)
    if isinstance(value, list):
        return csv_safe("; ".join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return csv_safe(str(value))


def write_csv(rows: list[dict]) -> str:
    """The rows flattened into the CSV conventions above (a header row first)."""
    flat = []
    for row in rows:
        out = {k: _csv_cell(k, v) for k, v in row.items() if k != "qualifications"}
        for i, q in enumerate(row.get("qualifications") or [], 1):
            prefix = "qualification_" if i == 1 else f"qualification_{i}_"
            out.update({prefix + k: _csv_cell(k, q.get(k)) for k in QUALIFICATION_FIELDS})
        flat.append(out)
    columns: list[str] = []
    for row in flat:
        columns += [k for k in row if k not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return buffer.getvalue()
