"""The certificate PDF (fpdf2).

The wording is fixed here in German and English rather than left to the UI translation: it is
a document others rely on, and it must say what it is (a module was completed) and what it is
not (proof of AGG compliance, see § 12 Abs. 2 AGG). It names the issuing network
(PLACEMENT_NETWORK, with the logo file PLACEMENT_NETWORK_LOGO) and carries a QR code of its
verification page, drawn as squares so that no image library is needed.
"""

from __future__ import annotations

import logging
import unicodedata
from functools import cache
from pathlib import Path

from babel.dates import format_date
from fpdf import FPDF

from placement.training.models import Certificate
from placement.training.modules import Module, text

log = logging.getLogger(__name__)
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
        "issuer": "Ausgestellt von {network}",
        "scan": "QR-Code scannen oder Prüfcode eingeben unter",
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
        "issuer": "Issued by {network}",
        "scan": "Scan the QR code or enter the verification code at",
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


def use_fonts(pdf: FPDF, fonts: tuple[str, str] | None) -> tuple[str, object]:
    """Register DejaVu (regular, bold) when given; returns the font family and the function
    that makes text printable in it (the built-in font holds Latin-1 only)."""
    if fonts:
        pdf.add_font("DejaVu", "", fonts[0])
        pdf.add_font("DejaVu", "B", fonts[1])
        return "DejaVu", str
    return "Helvetica", latin1


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code of ``url`` as rows of dark (True) and light modules, without a quiet zone."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(border=0, error_correction=ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as filled squares (no image library needed) and make it a link."""
    matrix = qr_matrix(url)
    cell = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row, modules in enumerate(matrix):
        column = 0
        while column < len(modules):  # one rectangle per run of dark modules
            if not modules[column]:
                column += 1
                continue
            start = column
            while column < len(modules) and modules[column]:
                column += 1
            pdf.rect(x + start * cell, y + row * cell, (column - start) * cell, cell, style="F")
    pdf.link(x, y, size, size, url)


def _logo(pdf: FPDF, logo: str | None, y: float) -> float:
    """The network's logo centred at the top; returns its height (0 when none can be drawn)."""
    if not logo or not Path(logo).is_file():
        if logo:
            log.warning("PLACEMENT_NETWORK_LOGO %s is not a file: certificate without logo", logo)
        return 0
    height = 18
    try:
        pdf.image(logo, x="C", y=y, h=height)
    except Exception:  # any unreadable image: the certificate is still issued, without the logo
        log.warning("PLACEMENT_NETWORK_LOGO %s cannot be read: certificate without logo", logo)
        return 0
    return height


def certificate_pdf(
    certificate: Certificate,
    module: Module,
    locale: str,
    verify_url: str,
    fonts: tuple[str, str] | None | bool = True,
    network: str = "",
    logo: str | None = None,
    verify_page: str = "",
) -> bytes:
    """The certificate as PDF bytes. ``fonts``: True = find DejaVu, None = built-in font.

    ``network`` names the issuer and ``logo`` is an image file (PNG, JPEG or SVG) shown above
    it; ``verify_url`` goes into the QR code, ``verify_page`` is where a code can be typed.
    """
    language = "en" if str(locale).startswith("en") else "de"
    words = WORDING[language]
    fonts = unicode_fonts() if fonts is True else fonts
    pdf = FPDF(format="A4")
    pdf.set_title(f"{words['title']}: {text(module.title, language)}")
    pdf.set_author(network or "placement")
    pdf.set_creator("placement")
    pdf.set_keywords(certificate.code)  # searchable: the page text is glyph-encoded
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    family, clean = use_fonts(pdf, fonts)

    def line(value: str, size: int, style: str = "", gap: float = 4) -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, size * 0.5, clean(value), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    height = _logo(pdf, logo, 18)
    pdf.set_y(18 + height + (4 if height else 0))
    if network:
        line(network, 14, "B", 2)
        pdf.set_draw_color(120, 120, 120)
        pdf.line(60, pdf.get_y() + 2, pdf.w - 60, pdf.get_y() + 2)
        pdf.ln(12)
    date = format_date(certificate.issued_at.date(), format="long", locale=language)
    line(words["title"], 26, "B", 14)
    line(words["intro"], 13)
    line(certificate.holder_name, 20, "B")
    if certificate.organisation_name:
        line(f"{words['of']} {certificate.organisation_name}", 13)
    line(words["completed"], 13, gap=2)
    line(words["quoted"].format(text(module.title, language)), 16, "B", 2)
    line(words["done"].format(date=date, m=module.minutes), 13, gap=10)
    if network:
        line(words["issuer"].format(network=network), 11, gap=10)
    line(words["scope"], 10, gap=8)
    # The verification block: QR code on the left, code and address beside it.
    size, top = 34, max(pdf.get_y(), 220)
    draw_qr(pdf, verify_url, pdf.l_margin, top, size)
    pdf.set_xy(pdf.l_margin + size + 8, top + 2)
    pdf.set_font(family, "B", 13)
    pdf.multi_cell(0, 7, clean(f"{words['code']}: {certificate.display_code}"),
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_x(pdf.l_margin + size + 8)
    pdf.set_font(family, "", 9)
    pdf.multi_cell(0, 5, clean(f"{words['scan']} {verify_page or verify_url}"),
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_x(pdf.l_margin + size + 8)
    pdf.multi_cell(0, 5, clean(f"{words['verify']} {verify_url}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
