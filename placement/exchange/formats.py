"""Reading and writing rows: JSON Lines (the engine's format) and CSV with the same columns.

CSV conventions: lists (skills, desired_occupations, concepts) separated by ";"; languages as
"uk:native; en:B1"; qualifications in columns qualification_title, qualification_country ...
and qualification_2_title ... for more; booleans true/false, yes/no, ja/nein, 1/0. Tables made
by hand may use German or English headings and words instead (placement/exchange/words.py);
files.py reads their encoding, separator or workbook format.
"""

from __future__ import annotations

import csv
import io
import json
import re

from placement.exchange import files, words
from placement.matching import RecordError

LIST_FIELDS = {"skills", "desired_occupations", "concepts"}
QUALIFICATION_FIELDS = ("title", "country", "year", "recognition", "reference_occupation")
_QUALIFICATION_COLUMN = re.compile(
    r"^qualification(?:_(\d+))?_(" + "|".join(QUALIFICATION_FIELDS) + ")$"
)


# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP "CSV
# injection"): written with a leading apostrophe, which spreadsheets show as text and read_csv
# takes off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _csv_unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def read_jsonl(text: str) -> list[tuple[int, dict | None, RecordError | None]]:
    """(line number, row, error) for each non-empty line."""
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append((n, None, RecordError(f"invalid JSON: {exc.msg}", "not_json",
                                              detail=exc.msg)))  # fmt: skip
            continue
        if not isinstance(row, dict):
            rows.append((n, None, RecordError("a line must hold one JSON object", "not_object")))
        else:
            rows.append((n, row, None))
    return rows


def _table_row(cells: dict[str, str]) -> dict:
    """One record of a table (CSV or workbook) in the engine's format, read as people write.

    Lists are split at ";"; every other cell goes through words.cell_value, which reads German
    and English words, dates and decimal commas and leaves what it cannot read as written.
    """
    row: dict = {}
    qualifications: dict[int, dict] = {}
    for key, value in cells.items():
        value = _csv_unescape((value or "").strip())
        if not value:
            continue
        match = _QUALIFICATION_COLUMN.match(key)
        if match:
            number = int(match.group(1) or 1)
            qualifications.setdefault(number, {})[match.group(2)] = words.cell_value(key, value)
        elif key in LIST_FIELDS:
            row[key] = [item.strip() for item in value.split(";") if item.strip()]
        else:
            row[key] = words.cell_value(key, value)
    if qualifications:
        row["qualifications"] = [qualifications[k] for k in sorted(qualifications)]
    return row


def _problem(text: str) -> RecordError:
    """A structural problem of files.Table as the row's error, with its code."""
    code, _sep, detail = text.partition(":")
    if code == "UNBALANCED":
        return RecordError(f'a quote (") is closed only on line {detail}, taking the rows in '
                           "between: check for an unbalanced quote", "unbalanced_quote",
                           line=detail)  # fmt: skip
    if code == "MORE_VALUES":
        return RecordError("more values than columns", "more_values")
    if code == "TOO_MANY_ROWS":
        return RecordError(f"the file has more than {files.MAX_ROWS} rows: split it into "
                           "smaller files", "too_many_rows", n=files.MAX_ROWS)  # fmt: skip
    return RecordError(f"CSV error: {detail}. Rows from this line on were not read: "
                       'check for an unbalanced quote (")', "csv_error", detail=detail)  # fmt: skip


def table_rows(table: files.Table) -> list[tuple[int, dict | None, RecordError | None]]:
    """(line or row number, row, error) for each record of a table; the template's line of
    hints, if left in, is skipped."""
    rows: list[tuple[int, dict | None, RecordError | None]] = [
        (line, None, _problem(text)) for line, text in table.problems
    ]
    rows += [(line, _table_row(cells), None) for line, cells in table.rows
             if not words.is_hint_row(cells)]  # fmt: skip
    return sorted(rows, key=lambda r: r[0])


def read_csv(text: str, delimiter: str = ",") -> list[tuple[int, dict | None, RecordError | None]]:
    """(line number where the record starts, row, error); the header is line 1."""
    return table_rows(files.read_csv_table(text, delimiter))


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
