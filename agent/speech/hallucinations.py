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
