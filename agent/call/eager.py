"""Eager end of turn: the turn is transcribed from its first pause, before the end of turn.

The detector reports `SpeechPaused` after a short silence with the turn exactly as it will end
if the caller stays silent. Its transcription starts at once; when the turn really ends with
the same audio and the same question, that result is used (the wait for Whisper overlapped the
end-of-turn silence); when the caller spoke again, it is dropped and the whole turn is heard.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass

from agent.speech.endpointing import SpeechEnded
from agent.speech.hint import Hint
from agent.speech.stt import Transcript

__all__ = ["EagerTurn"]

Transcribe = Callable[[SpeechEnded, Hint], Coroutine[object, object, Transcript | None]]


@dataclass
class _Pending:
    turn: SpeechEnded
    hint: Hint
    task: asyncio.Task[Transcript | None]


def same_turn(a: SpeechEnded, b: SpeechEnded) -> bool:
    return (
        a.started_ms == b.started_ms
        and a.ended_ms == b.ended_ms
        and a.pcm16k.size == b.pcm16k.size
        and a.barge_in == b.barge_in
    )


class EagerTurn:
    def __init__(self, transcribe: Transcribe) -> None:
        self._transcribe = transcribe
        self._pending: _Pending | None = None

    def start(self, turn: SpeechEnded, hint: Hint) -> None:
        """Transcribe `turn` now (a pause); any earlier eager start is dropped."""
        self.discard()
        task = asyncio.get_running_loop().create_task(self._transcribe(turn, hint))
        self._pending = _Pending(turn, hint, task)

    def take(self, turn: SpeechEnded, hint: Hint) -> asyncio.Task[Transcript | None] | None:
        """The eager transcription of this very turn under this question, else None (and
        the stale one is dropped)."""
        pending, self._pending = self._pending, None
        if pending is not None and same_turn(pending.turn, turn) and pending.hint == hint:
            return pending.task
        if pending is not None:
            pending.task.cancel()
        return None

    def ready(self) -> tuple[SpeechEnded, Transcript] | None:
        """The paused turn and its transcript, once the transcription has finished."""
        pending = self._pending
        if pending is None or not pending.task.done() or pending.task.cancelled():
            return None
        if pending.task.exception() is not None:
            return None
        transcript = pending.task.result()
        return None if transcript is None else (pending.turn, transcript)

    def discard(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.task.cancel()
            # A finished task's exception is retrieved here, never logged as "never retrieved".
            with contextlib.suppress(asyncio.CancelledError, Exception):
                if pending.task.done():
                    pending.task.result()
