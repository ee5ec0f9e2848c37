"""Import templates to download: the columns with German or English headings, a second row that
says what to write in each (the allowed values in words), as CSV or as an Excel workbook with
drop-down lists. The line of hints may stay in the file: the import skips it."""

from __future__ import annotations

import csv
import io

from placement.exchange.words import CHOICES, COLUMNS, Column

TITLES = {
    "de": {"participants": "Teilnehmende", "vacancies": "Stellen", "help": "Erläuterung",
           "column": "Spalte", "required": "Pflicht", "values": "Was hineingehört",
           "yes": "ja", "no": "nein"},
    "en": {"participants": "Participants", "vacancies": "Vacancies", "help": "Explanation",
           "column": "Column", "required": "Required", "values": "What to write",
           "yes": "yes", "no": "no"},
}  # fmt: skip


def _language(language: str) -> str:
    return "de" if str(language).startswith("de") else "en"


def template_csv(kind: str, language: str) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the umlauts); German: ";" as Excel does."""
    language = _language(language)
    columns = COLUMNS[kind]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if language == "de" else ",", lineterminator="\r\n")
    writer.writerow([c.heading(language) for c in columns])
    writer.writerow([c.hint(language) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def _choices(column: Column, language: str) -> list[str]:
    words = CHOICES.get(column.key)
    if not words:
        return []
    return [(de if language == "de" else en)[0] for de, en in words.values()]


def template_xlsx(kind: str, language: str) -> bytes:
    """A workbook: the table (headings, hints, drop-downs for the columns with fixed values)
    and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    language = _language(language)
    words = TITLES[language]
    columns = COLUMNS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = words[kind]
    sheet.append([c.heading(language) for c in columns])
    sheet.append([c.hint(language) for c in columns])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet[f"{letter}2"].font = Font(italic=True, color="666666")
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.heading(language)) + 4))
        allowed = _choices(column, language)
        if column.key in ("consent_matching", "consent_contact", "requires_recognition"):
            allowed = [words["yes"], words["no"]]
        if allowed:
            rule = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"',
                                  allow_blank=True, showErrorMessage=False)  # fmt: skip
            rule.add(f"{letter}3:{letter}2000")
            sheet.add_data_validation(rule)
    help_sheet = book.create_sheet(words["help"])
    help_sheet.append([words["column"], words["required"], words["values"]])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in columns:
        help_sheet.append([column.heading(language),
                           words["yes"] if column.required else "",
                           column.hint(language)])  # fmt: skip
    help_sheet.column_dimensions["A"].width = 36
    help_sheet.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
