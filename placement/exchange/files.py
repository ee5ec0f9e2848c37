"""Reading uploaded tables as they come: CSV from any spreadsheet, and Excel workbooks.

German Excel saves "CSV (Trennzeichen-getrennt)" with semicolons in Windows-1252, "CSV UTF-8"
with a byte-order mark, and "Unicode-Text" as UTF-16 with tabs. The encoding is read from a
byte-order mark, else UTF-8 if the bytes are valid UTF-8, else Windows-1252; the separator is
the one under which the heading row names the most known columns (csv.Sniffer decides between
unknown headings). Where a guess is not certain the result says so, and the preview asks.
Workbooks (.xlsx) are read with openpyxl in read-only mode, the first sheet only.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from placement.exchange.words import column_key

ENCODINGS = ("utf-8", "cp1252", "utf-16")
DELIMITERS = (",", ";", "\t")
MAX_ROWS = 20_000  # a bigger file is split by the user: the preview must stay readable
MAX_COLUMNS = 200
MAX_UNPACKED = 64 * 1024 * 1024  # bytes of a workbook once unzipped
# Characters Windows-1252 decodes that no hand-made table of names and jobs holds: seeing one
# means the guess may be wrong (a Mac or DOS file), so the preview asks.
_UNLIKELY = set("ƒ†‡ˆ‰Š‹ŒŽ˜™š›œžŸ¢£¤¥¦¨ª«¬¯±²³´µ¶·¸¹º»¼½¾¿×÷ÐÞðþ")


def N_(message: str) -> str:  # noqa: N802 (the name pybabel extracts)
    """Marks a message for the catalogue; the web layer translates it."""
    return message


class FileProblem(ValueError):
    """A file that cannot be read at all; the message is user-facing (an English msgid)."""


@dataclass
class Table:
    """Rows of cells keyed by field name, with the line or row number each starts on."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, what is wrong)
    unknown: list[str] = field(default_factory=list)  # headings that name no field
    encoding: str | None = None  # None for a workbook
    delimiter: str | None = None
    unsure: list[str] = field(default_factory=list)  # "encoding", "delimiter"


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str, bool]:
    """(text, encoding, sure). ``encoding`` given: that one, or FileProblem if it does not fit."""
    if encoding:
        if encoding not in ENCODINGS:
            raise FileProblem(N_("Unknown encoding."))
        try:
            if encoding == "utf-8":
                return data.decode("utf-8-sig"), encoding, True
            return data.decode(encoding), encoding, True
        except UnicodeDecodeError:
            raise FileProblem(N_("The file cannot be read in the encoding chosen.")) from None
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8", True
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16", True
    if len(data) >= 4 and data.count(b"\x00") * 3 > len(data):  # UTF-16 without a mark
        order = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(order, errors="replace"), "utf-16", False
    try:
        return data.decode("utf-8"), "utf-8", True
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # five bytes Windows-1252 leaves undefined: Latin-1 has them
        return data.decode("latin-1"), "cp1252", False
    return text, "cp1252", not (set(text) & _UNLIKELY)


def _known(header: list[str]) -> int:
    return sum(1 for name in header if column_key(name))


def sniff_delimiter(text: str) -> tuple[str, bool]:
    """The separator and whether it is certain (the heading names two known columns or more)."""
    first = next(iter(text.splitlines()), "")
    counts = {d: _known(next(csv.reader([first], delimiter=d), [])) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] >= 2:
        return best, True
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters="".join(DELIMITERS)).delimiter, False
    except csv.Error:
        return max(DELIMITERS, key=first.count), False


def _headings(header: list[str], table: Table) -> list[str | None]:
    keys = []
    for name in header[:MAX_COLUMNS]:
        key = column_key(name)
        if key is None and name.strip():
            table.unknown.append(name.strip())
        keys.append(key)
    return keys


def _unbalanced(cells: list[str], start: int, end: int, delimiter: str, columns: int) -> bool:
    """A record over several lines whose quoted text holds what looks like whole rows is an
    unbalanced quote swallowing the rows after it: refuse it rather than lose them."""
    if end == start or columns < 3:
        return False
    return any(
        line.count(delimiter) >= columns - 1 for cell in cells for line in cell.splitlines()[1:]
    )


def read_csv_table(text: str, delimiter: str = ",") -> Table:
    """Rows by the line where each record starts (the heading is line 1)."""
    table = Table(delimiter=delimiter)
    # strict: a quote left open at the end of the file is an error, not a silent last field.
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    start = 1
    try:
        header = next(reader, None)
        if header is None:
            return table
        keys = _headings(header, table)
        start = reader.line_num + 1
        for cells in reader:
            if len(table.rows) + len(table.problems) >= MAX_ROWS:
                table.problems.append((start, "TOO_MANY_ROWS"))
                break
            if not any(c.strip() for c in cells):
                start = reader.line_num + 1
                continue
            if _unbalanced(cells, start, reader.line_num, delimiter, len(keys)):
                table.problems.append((start, f"UNBALANCED:{reader.line_num}"))
            elif len(cells) > len(keys) and any(c.strip() for c in cells[len(keys) :]):
                table.problems.append((start, "MORE_VALUES"))
            else:
                table.rows.append((start, _cells(keys, cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        table.problems.append((start, f"CSV:{exc}"))
    return table


def _cells(keys: list[str | None], values: list) -> dict[str, str]:
    return {k: v for k, v in zip(keys, values, strict=False) if k and v is not None}


def _xlsx_text(value) -> str:
    """A workbook cell as the text a person sees (dates as ISO dates, 38.0 as 38)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def read_xlsx_table(data: bytes) -> Table:
    """The first sheet of a workbook; rows by their row number in the sheet."""
    from openpyxl import load_workbook

    unreadable = N_("The file is not an Excel workbook (.xlsx) that can be read.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem(unreadable) from exc
    if unpacked > MAX_UNPACKED:  # a "zip bomb": openpyxl would unpack the shared texts at once
        raise FileProblem(N_("The workbook is too large once unpacked: save it as CSV."))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(unreadable) from exc
    table = Table()
    try:
        rows = book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)
        keys: list[str | None] | None = None
        for number, values in enumerate(rows, 1):
            cells = [_xlsx_text(v).strip() for v in values]
            if not any(cells):
                continue
            if keys is None:
                keys = _headings(cells, table)
                continue
            if len(table.rows) >= MAX_ROWS:
                table.problems.append((number, "TOO_MANY_ROWS"))
                break
            table.rows.append((number, _cells(keys, cells)))
    finally:
        book.close()
    return table


def read_table(
    data: bytes, filename: str, encoding: str | None = None, delimiter: str | None = None
) -> Table:
    """A CSV or Excel file as a table; the encoding and separator found unless given."""
    if filename.lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        return read_xlsx_table(data)
    if filename.lower().endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        message = N_("Old Excel files (.xls) cannot be read: save the table as .xlsx or CSV.")
        raise FileProblem(message)
    text, encoding, encoding_sure = decode(data, encoding)
    if delimiter:
        delimiter_sure = True
    else:
        delimiter, delimiter_sure = sniff_delimiter(text)
    table = read_csv_table(text, delimiter)
    table.encoding = encoding
    table.unsure = [name for name, sure in (("encoding", encoding_sure),
                                            ("delimiter", delimiter_sure)) if not sure]  # fmt: skip
    return table
