"""Whisper's known inventions on noise and silence (subtitle credits, outros), in French."""

from __future__ import annotations

import re

# Whisper was trained on subtitled video: on noise it "hears" these credits and outros.
_PATTERNS = re.compile(
    r"sous[- ]titr|amara\.org|merci d'avoir regard|abonnez[- ]vous|"
    r"n'oubliez pas de vous abonner|société radio-canada|www\.|\.com\b",
    re.IGNORECASE,
)


def is_hallucination(text: str) -> bool:
    """True when the transcript is (almost) only a known Whisper invention or punctuation."""
    stripped = text.strip(" .,!?…-'\"")
    if not stripped:
        return True
    return bool(_PATTERNS.search(stripped)) and len(stripped.split()) <= 12


# Words that may join the phrases of an echo ("à Villeurbanne", "rue de la Gare et ...").
_LINKS = frozenset({"à", "a", "au", "de", "du", "des", "la", "le", "les", "l", "d", "et", "en"})


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def is_hint_echo(text: str, phrases: tuple[str, ...]) -> bool:
    """True when `text` is made only of words of the prompt's `phrases` (and linking words).

    On noise, a biased Whisper tends to say the phrases it was given ("Villeurbanne,
    Villeurbanne"); such a transcript is only noise when its confidence is low too, since a
    caller may well answer with a bare town name: the caller decides with the score.
    """
    allowed = {word for phrase in phrases for word in _words(phrase)}
    words = _words(text)
    return bool(allowed) and bool(words) and all(w in allowed or w in _LINKS for w in words)
