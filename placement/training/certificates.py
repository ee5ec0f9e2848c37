"""The certificate PDF (fpdf2).

The wording is fixed here in German and English rather than left to the UI translation: it is
a document others rely on, and it must say what it is (a module was completed) and what it is
not (proof of AGG compliance, see § 12 Abs. 2 AGG).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from babel.dates import format_date
from fpdf import FPDF

from placement.training.models import Certificate
from placement.training.modules import Module, text

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
WORDING = {
    "de": {
        "title": "Teilnahmebescheinigung",
        "intro": "Hiermit wird bestätigt, dass",
        "of": "von",
        "completed": "das Modul zur Sensibilisierung für Vielfalt",
        "done": "am {date} erfolgreich abgeschlossen hat "
        "(Lese- und Bearbeitungszeit ca. {m} Minuten, mit Wissenstest).",
        "scope": "Die Bescheinigung bestätigt die Teilnahme an einem Schulungsmodul. "
        "Sie bescheinigt nicht, dass ein Unternehmen die Anforderungen des Allgemeinen "
        "Gleichbehandlungsgesetzes (AGG) erfüllt.",
        "code": "Prüfcode",
        "verify": "Echtheit prüfen:",
        "quoted": "„{}“",
    },
    "en": {
        "title": "Certificate of completion",
        "intro": "This is to confirm that",
        "of": "of",
        "completed": "has successfully completed the diversity-awareness module",
        "done": "on {date} (reading and exercise time about {m} minutes, with a knowledge test).",
        "scope": "This certificate confirms participation in a training module. It does not "
        "certify that an organisation meets the requirements of the General Equal Treatment "
        "Act (AGG).",
        "code": "Verification code",
        "verify": "Check authenticity:",
        "quoted": "“{}”",
    },
}


@cache
def unicode_fonts() -> tuple[str, str] | None:
    """DejaVu Sans (regular, bold) if installed (Debian: fonts-dejavu-core), else None."""
    for base in FONT_DIRS:
        regular = next(Path(base).glob("**/DejaVuSans.ttf"), None) if Path(base).is_dir() else None
        bold = regular.with_name("DejaVuSans-Bold.ttf") if regular else None
        if regular and bold and bold.is_file():
            return str(regular), str(bold)
    return None


def latin1(value: str) -> str:
    """For the built-in PDF fonts (Latin-1 only): keep umlauts, simplify or drop the rest."""
    value = value.translate(
        str.maketrans(
            {
                "„": '"',
                "“": '"',
                "”": '"',
                "‚": "'",
                "‘": "'",
                "’": "'",
                "–": "-",
                "—": "-",
                "…": "...",
                "€": "EUR",
            }
        )
    )
    out = []
    for char in value:
        if char.encode("latin-1", "ignore"):
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)


def certificate_pdf(
    certificate: Certificate,
    module: Module,
    locale: str,
    verify_url: str,
    fonts: tuple[str, str] | None | bool = True,
) -> bytes:
    """The certificate as PDF bytes. ``fonts``: True = find DejaVu, None = built-in font."""
    language = "en" if str(locale).startswith("en") else "de"
    words = WORDING[language]
    fonts = unicode_fonts() if fonts is True else fonts
    pdf = FPDF(format="A4")
    pdf.set_title(f"{words['title']}: {text(module.title, language)}")
    pdf.set_creator("placement")
    pdf.set_keywords(certificate.code)  # searchable: the page text is glyph-encoded
    pdf.set_margins(25, 30, 25)
    pdf.add_page()
    if fonts:
        pdf.add_font("DejaVu", "", fonts[0])
        pdf.add_font("DejaVu", "B", fonts[1])
        family, clean = "DejaVu", str
    else:
        family, clean = "Helvetica", latin1

    def line(value: str, size: int, style: str = "", gap: float = 4) -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, size * 0.5, clean(value), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    date = format_date(certificate.issued_at.date(), format="long", locale=language)
    line(words["title"], 26, "B", 14)
    line(words["intro"], 13)
    line(certificate.holder_name, 20, "B")
    if certificate.organisation_name:
        line(f"{words['of']} {certificate.organisation_name}", 13)
    line(words["completed"], 13, gap=2)
    line(words["quoted"].format(text(module.title, language)), 16, "B", 2)
    line(words["done"].format(date=date, m=module.minutes), 13, gap=16)
    line(words["scope"], 10, gap=12)
    line(f"{words['code']}: {certificate.code}", 12, "B", 2)
    line(f"{words['verify']} {verify_url}", 10)
    return bytes(pdf.output())
