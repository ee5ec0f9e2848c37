"""Certificate codes that people can read out and type: no 0/O, no 1/I/L.

A code has 20 characters from 31 (about 99 random bits: not guessable, not enumerable), shown
in groups of four (``K7QM-2XHP-...``). Typed codes are read case-insensitively, with spaces and
dashes ignored. Codes issued before this scheme (URL-safe random text, case-sensitive) stay
valid and are looked up exactly as printed.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 20
GROUP = 4
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.]+")
_CANONICAL = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    """A fresh code in canonical form (upper case, no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """The canonical form of a typed code: separators and spaces dropped, upper case."""
    return _SEPARATORS.sub("", typed or "").upper()


def is_canonical(code: str) -> bool:
    return bool(_CANONICAL.match(code or ""))


def display(code: str) -> str:
    """A code as printed: groups of four joined by dashes (older codes unchanged)."""
    if not is_canonical(code):
        return code
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))
