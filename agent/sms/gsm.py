"""GSM-7 text for SMS: replace characters the alphabet lacks, count and cap segments.

A single character outside GSM 03.38 switches a whole message to UCS-2 (70 characters a
segment instead of 160), which triples the cost of a French recap. So we transliterate:
é è à ù ç are GSM-7 and kept, ê â î ô û œ ’ « » are not and get their closest GSM form.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["SmsText", "fit_segments", "segments_for", "septets", "to_gsm7"]

# GSM 03.38 default alphabet. 0x09 is drawn "Ç" in the standard but every handset we know shows
# it as "ç", and providers map "ç" onto it; we count both as one septet.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüàç"
)
# The extension table: each costs an escape septet plus itself.
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

_REPLACEMENTS = {
    "ê": "e", "ë": "e", "â": "a", "î": "i", "ï": "i", "ô": "o", "û": "u", "ÿ": "y",
    "á": "a", "í": "i", "ó": "o", "ú": "u",
    "Ê": "E", "Ë": "E", "È": "E", "Â": "A", "À": "A", "Á": "A", "Î": "I", "Ï": "I", "Ô": "O",
    "Û": "U", "Ù": "U", "Ú": "U", "Ÿ": "Y",
    "œ": "oe", "Œ": "OE",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"',
    "–": "-", "—": "-", "‑": "-", "…": "...", "•": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " ",
    "°": "o", "²": "2", "³": "3", "½": "1/2",
}  # fmt: skip

SINGLE_SEGMENT = 160
MULTI_SEGMENT = 153  # 7 septets of each part go to the concatenation header


@dataclass(frozen=True)
class SmsText:
    text: str
    septets: int
    segments: int
    truncated: bool


def _char_to_gsm(char: str) -> str:
    if char in GSM7_BASIC or char in GSM7_EXTENDED:
        return char
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    # Other accented letters: drop the accent (NFKD splits base letter and combining mark).
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base and all(c in GSM7_BASIC for c in base):
        return base
    return "?"


def to_gsm7(text: str) -> str:
    """The text with every character outside GSM-7 replaced by its closest GSM-7 form."""
    return "".join(_char_to_gsm(c) for c in text)


def septets(text: str) -> int:
    """Septets needed for a GSM-7 text (extension characters count two)."""
    return sum(2 if c in GSM7_EXTENDED else 1 for c in text)


def _segment_count(text: str) -> int:
    total = septets(text)
    if total <= SINGLE_SEGMENT:
        return 1
    # An escape pair is never split across two parts: fill parts character by character.
    parts, used = 1, 0
    for char in text:
        width = 2 if char in GSM7_EXTENDED else 1
        if used + width > MULTI_SEGMENT:
            parts, used = parts + 1, 0
        used += width
    return parts


def fit_segments(text: str, max_segments: int) -> SmsText:
    """Transliterate to GSM-7 and cut (with '...') so the message fits `max_segments` parts."""
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")
    gsm = to_gsm7(text)
    if _segment_count(gsm) <= max_segments:
        return SmsText(gsm, septets(gsm), _segment_count(gsm), truncated=False)
    budget = SINGLE_SEGMENT if max_segments == 1 else MULTI_SEGMENT * max_segments
    # Start from a close guess, then trim until the whole (text + ellipsis) fits.
    cut = gsm[: max(0, budget - 3)]
    while cut and _segment_count(cut.rstrip() + "...") > max_segments:
        cut = cut[:-1]
    cut = cut.rstrip()
    # Prefer ending on a word boundary when one is near.
    space = cut.rfind(" ")
    if space > len(cut) - 15 and space > 0:
        cut = cut[:space].rstrip(" ,;:")
    result = cut + "..."
    return SmsText(result, septets(result), _segment_count(result), truncated=True)


def segments_for(text: str) -> int:
    """Parts a GSM-7 text takes once sent (1 up to 160 septets, then 153 per part)."""
    return _segment_count(text) if text else 1
