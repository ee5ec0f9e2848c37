"""A participant's own data (GDPR Art. 15) as a PDF to keep or print.

The sections come already in words and in the participant's language (the web layer builds
them once for the page and for this file); this module only lays them out, with the same fonts
as the certificates: DejaVu Sans where installed, else the built-in font with umlauts kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from fpdf import FPDF
from fpdf.fonts import FontFace

from placement.training.certificates import unicode_fonts, use_fonts


class SectionLike(Protocol):
    title: str
    intro: str
    pairs: list[tuple[str, str]]
    columns: list[str]
    rows: list[list[str]]
    empty: str


def data_pdf(
    title: str,
    lines: Iterable[str],
    sections: Iterable[SectionLike],
    footer: str = "",
    fonts: tuple[str, str] | None | bool = True,
) -> bytes:
    """``lines`` follow the title (who, when); each section is a heading with label/value pairs
    or a table; ``footer`` is printed on every page with its number."""
    fonts = unicode_fonts() if fonts is True else fonts
    pdf = FPDF(format="A4")
    family, clean = use_fonts(pdf, fonts)

    def page_footer():
        pdf.set_y(-15)
        pdf.set_font(family, "", 8)
        pdf.cell(0, 6, clean(f"{footer}  {pdf.page_no()}/{{nb}}"), align="C")

    pdf.footer = page_footer
    pdf.alias_nb_pages()
    pdf.set_title(clean(title))
    pdf.set_creator("placement")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font(family, "B", 18)
    pdf.multi_cell(0, 9, clean(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    for line in lines:
        pdf.multi_cell(0, 5, clean(line), new_x="LMARGIN", new_y="NEXT")
    heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    for section in sections:
        pdf.ln(5)
        pdf.set_font(family, "B", 13)
        pdf.multi_cell(0, 7, clean(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 9)
        if section.intro:
            pdf.multi_cell(0, 4.5, clean(section.intro), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        if section.pairs:
            with pdf.table(col_widths=(1, 2), first_row_as_headings=False,
                           text_align="LEFT", line_height=5) as table:  # fmt: skip
                for label, value in section.pairs:
                    row = table.row()
                    row.cell(clean(label))
                    row.cell(clean(value))
        elif section.rows:
            with pdf.table(headings_style=heading, text_align="LEFT", line_height=5) as table:
                row = table.row()
                for name in section.columns:
                    row.cell(clean(name))
                for values in section.rows:
                    row = table.row()
                    for value in values:
                        row.cell(clean(value))
        elif section.empty:
            pdf.multi_cell(0, 5, clean(section.empty), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
