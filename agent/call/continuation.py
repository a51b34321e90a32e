"""A caller who pauses mid-answer: the second half continues the first, it answers nothing new.

"Bernard. [0.9 s] Monsieur Philippe Bernard.": the end of turn fires in the pause, the dialogue
takes "Bernard" and asks the address, and the second half (which cuts the question in its
first words) would be read as the address. When the caller speaks again soon after the end of
their turn and before hearing much of the reply, the receptionist puts the dialogue back as it
was before the first half and hears both halves, pause included, as one answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from agent.dialogue import Action, Say
from agent.media.rtp_stream import Playback
from agent.speech.endpointing import SpeechEnded
from agent.speech.hint import Hint
from agent.speech.settings import TurnSettings

if TYPE_CHECKING:
    from agent.dialogue import Dialogue

__all__ = ["Answered", "continues", "heard_part", "joined", "undoable"]

# The joined audio keeps the real pause, but never more than this: Whisper only needs to
# hear a pause, and a long silence inside its window invites an invented word.
MAX_JOIN_PAUSE_MS = 800
# The halves already carry ~200 ms of trailing silence and ~300 ms of pre-roll (endpointing).
_EDGES_MS = 500
# Two halves longer than this together are not joined (one turn is cut at max_utterance_ms).
MAX_JOINED_S = 20.0


@dataclass
class Answered:
    """The caller's last answer, kept while its reply may still be taken back."""

    turn: SpeechEnded
    hint: Hint  # the question it answered
    before: Dialogue  # the dialogue as it was before this answer
    note_index: int  # its entry in the call transcript
    reply: list[Playback] = field(default_factory=list)  # what the agent said back

    def heard_ms(self) -> int:
        """How much of the reply the caller has heard so far."""
        return sum(p.heard_ms for p in self.reply)

    def heard_so_far(self) -> int | None:
        """What `continues` needs when the caller speaks again: the reply heard so far, or
        None once the reply has played to its end (however short: "Dans quelle ville ?" is
        under a second). A caller who heard the whole question is answering it."""
        if self.reply and all(p.done.done() and not p.interrupted for p in self.reply):
            return None
        return self.heard_ms()


def undoable(actions: list[Action]) -> bool:
    """Only speech may be taken back: a saved lead, an SMS, a transfer or a hang-up stand."""
    return all(isinstance(a, Say) for a in actions)


def continues(
    answered: Answered, turn: SpeechEnded, heard_ms: int | None, settings: TurnSettings
) -> bool:
    """`turn` (whose start came with `heard_ms` of the reply heard; None: unknown) goes on
    with the answer before it rather than answering the reply."""
    if heard_ms is None or heard_ms > settings.continuation_heard_ms:
        return False
    gap = turn.started_ms - answered.turn.ended_ms
    if not 0 <= gap <= settings.continuation_gap_ms:
        return False
    return answered.turn.seconds + turn.seconds <= MAX_JOINED_S


def joined(first: SpeechEnded, second: SpeechEnded) -> SpeechEnded:
    """Both halves as one turn, with the pause between them (capped) as silence."""
    pause_ms = min(MAX_JOIN_PAUSE_MS, max(0, second.started_ms - first.ended_ms - _EDGES_MS))
    pause = np.zeros(pause_ms * 16, dtype=np.int16)
    return SpeechEnded(
        pcm16k=np.concatenate([first.pcm16k, pause, second.pcm16k]),
        started_ms=first.started_ms,
        ended_ms=second.ended_ms,
        truncated=second.truncated,
        barge_in=first.barge_in,
    )


def heard_part(text: str, heard_ms: int, duration_ms: int) -> str:
    """The words of `text` the caller heard before cutting in (proportional estimate)."""
    words = text.split()
    if not duration_ms or not words:
        return ""
    return " ".join(words[: round(len(words) * min(1.0, heard_ms / duration_ms))])
