"""Text normalisation and tokenisation for lexicon matching (rules in the lexicon schema).

Lower-case; Latin diacritics folded (ü->u, ș->s, ç->c, ß->ss); Arabic/Farsi letters unified
(tashkeel removed, أ إ آ -> ا, ى/ی -> ي, ک -> ك, ة -> ه, ZWNJ -> space); split into word tokens.

Beyond the schema, Ge'ez script (Tigrinya) is folded to its consonants: each syllable becomes
the first form of its row, so "ኣትክልቲ" and "ኣትክልትን" share a stem, much as Arabic script
writes no short vowels. Tigrinya proclitics and the suffix -ን ("and") are stripped as variants.
"""

from __future__ import annotations

import re
import unicodedata

_LATIN_EXTRA = str.maketrans(
    {"ß": "ss", "ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"}
)
_ARABIC = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",  # Farsi yeh
        "ې": "ي",
        "ک": "ك",  # Farsi kaf
        "ة": "ه",
        "ۀ": "ه",
        "\u200c": " ",  # ZWNJ
        "\u200d": "",
        "ـ": "",  # tatweel
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
    }
)
_TASHKEEL = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
_TOKEN = re.compile(r"\w+")
# Arabic proclitics (article, conjunctions, prepositions), longest first.
ARABIC_PROCLITICS = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ف", "ك")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_ETHIOPIC = re.compile("[\u1200-\u135a]")
# Tigrinya prepositions written onto the word, longest first (already consonant-folded).
_GEEZ_PROCLITICS = ("ከበ", "ነበ", "መሰ", "ከመ", "አበ", "በ", "ነ")
_GEEZ_SUFFIXES = ("ወነ", "ነ")


def _fold_latin(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFD", text):
        # Drop marks only after Latin letters; Cyrillic й/ї keep theirs.
        if unicodedata.combining(ch) and out and out[-1] < "\u0250":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _fold_ethiopic(text: str) -> str:
    return _ETHIOPIC.sub(lambda m: chr(ord(m.group()) - (ord(m.group()) - 0x1200) % 8), text)


def normalise(text: str) -> str:
    """The normalised form of a text (lower-case, folded, Arabic script unified)."""
    text = text.lower().translate(_LATIN_EXTRA)
    text = _TASHKEEL.sub("", text).translate(_ARABIC)
    return _fold_ethiopic(_fold_latin(text))


def tokens(text: str) -> list[str]:
    """Normalised word tokens of a text."""
    return _TOKEN.findall(normalise(text))


def clitic_variants(token: str) -> tuple[str, ...]:
    """The token and its forms without attached article/prepositions (Arabic, Ge'ez script)."""
    if _ARABIC_LETTER.match(token):
        prefixes, suffixes = ARABIC_PROCLITICS, ()
    elif _ETHIOPIC.match(token):
        prefixes, suffixes = _GEEZ_PROCLITICS, _GEEZ_SUFFIXES
    else:
        return (token,)
    variants = [token]
    for clitic in prefixes:
        if token.startswith(clitic) and len(token) - len(clitic) >= 2:
            variants.append(token[len(clitic) :])
    for suffix in suffixes:
        for form in list(variants):
            if form.endswith(suffix) and len(form) - len(suffix) >= 2:
                variants.append(form[: -len(suffix)])
    return tuple(dict.fromkeys(variants))


def token_matches(term_token: str, text_token: str) -> bool:
    """Term tokens of 4+ characters match as a prefix of the text token, shorter ones exactly.

    A Ge'ez character is a whole syllable, so there 3 characters are enough for a prefix.
    """
    if len(term_token) >= 4 or (len(term_token) == 3 and _ETHIOPIC.match(term_token)):
        return text_token.startswith(term_token)
    return text_token == term_token
