"""Closed answers: heard whole, they end the caller's turn without waiting out the silence.

A "oui", a whole phone number or a town of the area answers the question asked completely;
the eager transcript of the turn (agent.call.eager) is checked against it, and the agent
replies as soon as it is known instead of after the full end-of-turn silence.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.dialogue import lexicon
from agent.speech.hint import Expectation
from nlp.phone import phone_with_confidence
from nlp.text import fold

__all__ = ["closed_answer"]

# Longer answers are sentences that may go on ("oui, et puis il y a aussi...").
MAX_WORDS = 4


def closed_answer(expect: Expectation, text: str, towns: Sequence[str]) -> bool:
    """True when `text` completely answers a question expecting `expect`."""
    words = fold(text, keep_apostrophes=True).replace(",", " ").replace(".", " ").split()
    if expect == "phone":
        number, _ = phone_with_confidence(text)
        return number is not None
    if not words or len(words) > MAX_WORDS:
        return False
    if expect == "yes_no":
        # Only a yes: after a "non" callers go on with the right value ("non, c'est le 07").
        return lexicon.yes_no(text) is True and not any(c.isdigit() for c in text)
    if expect == "town":
        heard = " ".join(words)
        return any(f" {fold(t, keep_apostrophes=True)} " in f" {heard} " for t in towns)
    return False
