"""What the dialogue expects the caller to say next, handed to the recognizer each turn.

Pure data shared by the dialogue (which sets it), the call layer (which passes it on) and the
speech engines (which pick a decoding set-up per expectation). No I/O, no model here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "EXPECTATIONS",
    "QUESTIONS",
    "Expectation",
    "Hint",
    "Narrowed",
    "Narrower",
    "Question",
    "Rescorer",
]

# How the answer should be decoded (prompt, hotwords, token budget, post-processing).
Expectation = Literal[
    "problem", "name", "spell", "address", "street", "town", "phone", "yes_no", "choice"
]
EXPECTATIONS: tuple[Expectation, ...] = (
    "problem", "name", "spell", "address", "street", "town", "phone", "yes_no", "choice",
)  # fmt: skip

# Which question was asked, as a person would name it (several questions share one
# expectation: the phone confirmation and the read-back are both yes/no answers).
Question = Literal[
    "problem",
    "name",
    "spell",
    "address",
    "street",
    "town",
    "phone_confirm",
    "phone",
    "urgent",
    "readback",
    "which_field",
    "slot",  # "mardi 3 à 14 h ou mercredi 4 à 9 h ?" (issue 13)
    "yes",
    "other",
]
QUESTIONS: tuple[Question, ...] = (
    "problem", "name", "spell", "address", "street", "town", "phone_confirm", "phone",
    "urgent", "readback", "which_field", "slot", "yes", "other",
)  # fmt: skip


@dataclass(frozen=True)
class Hint:
    """The current question: what to expect, and words likely in the answer.

    `phrases` are closed-set candidates worth biasing towards (the streets of the town already
    known, the service area's towns, first names); engines may use them as hotwords or prompt.
    `narrow`, where the answer is one of a closed set too large for a prompt (a town's streets),
    gives the few candidates closest to a first hearing, for a second, narrowed one
    (agent.speech.narrowing). `rescore` turns what was heard into the complete readings worth
    weighing against the audio (the street matched, with each house number it may have
    been), of which the recognizer keeps the likeliest (agent.speech.rescoring).
    `letters_only` asks for a reading made of letters only (engines that cannot constrain
    their vocabulary ignore it).
    """

    expect: Expectation = "problem"
    question: Question = "problem"
    phrases: tuple[str, ...] = ()
    narrow: Narrower | None = field(default=None, compare=False, repr=False)
    rescore: Rescorer | None = field(default=None, compare=False, repr=False)
    # Decode with only the spelling alphabet allowed (letters, "deux", separators): the
    # second hearing of a spelled name (agent.speech.letters).
    letters_only: bool = False


@dataclass(frozen=True)
class Narrowed:
    """What to listen for the second time: `choices`, one of which was said (the streets
    closest to the first hearing), and `context`, words heard besides (the town). `heard`:
    the choice the first hearing already names almost as written, which a second hearing
    writing another choice does not replace."""

    choices: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    heard: str | None = None


# The hypotheses of a first hearing -> what to listen for the second time (no choices:
# nothing close enough, the first hearing stands).
Narrower = Callable[[Sequence[str]], Narrowed]


# The hypotheses heard -> complete readings to weigh against the audio (fewer than two:
# nothing to choose, what was heard stands).
Rescorer = Callable[[Sequence[str]], tuple[str, ...]]
