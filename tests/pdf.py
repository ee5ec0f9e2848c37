"""Reading back the PDFs the app writes (certificates, the personal-data report)."""

from __future__ import annotations

import re
import zlib


def pdf_text(pdf: bytes) -> str:
    """The inflated content of every Flate stream, each read by its /Length (binary image data
    may contain anything, so a stream's end is never searched for)."""
    out = []
    for m in re.finditer(rb"<<((?:(?!>>\s*stream).)*?)>>\s*stream\r?\n", pdf, re.S):
        head, length = m.group(1), re.search(rb"/Length (\d+)(?! \d+ R)", m.group(1))
        if length and b"/FlateDecode" in head:
            out.append(zlib.decompress(pdf[m.end() : m.end() + int(length.group(1))]))
    return b"".join(out).decode("latin-1")
