"""EagerTurn: a transcription started at the pause is used only for that very turn."""

from __future__ import annotations

import asyncio

import numpy as np

from agent.call.eager import EagerTurn
from agent.speech.endpointing import SpeechEnded
from agent.speech.hint import Hint
from agent.speech.stt import Transcript


def turn(ended_ms: int) -> SpeechEnded:
    return SpeechEnded(np.zeros(16 * ended_ms, dtype=np.int16), 0, ended_ms)


class Counting:
    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, t: SpeechEnded, hint: Hint) -> Transcript | None:
        self.calls += 1
        await asyncio.sleep(0)
        return Transcript(f"{t.ended_ms} {hint.expect}", 1.0, 0.0, "fr")


async def test_the_paused_turn_is_transcribed_once_and_reused() -> None:
    transcribe = Counting()
    eager = EagerTurn(transcribe)
    eager.start(turn(800), Hint("town", "town"))
    task = eager.take(turn(800), Hint("town", "town"))
    assert task is not None
    assert (await task) is not None and transcribe.calls == 1
    assert eager.take(turn(800), Hint("town", "town")) is None  # taken once


async def test_another_turn_or_question_drops_the_eager_result() -> None:
    eager = EagerTurn(Counting())
    eager.start(turn(800), Hint("town", "town"))
    assert eager.take(turn(1400), Hint("town", "town")) is None  # the caller spoke again
    eager.start(turn(800), Hint("town", "town"))
    assert eager.take(turn(800), Hint("yes_no", "readback")) is None  # a key changed the question


async def test_ready_only_once_transcribed() -> None:
    eager = EagerTurn(Counting())
    eager.start(turn(600), Hint("yes_no", "readback"))
    assert eager.ready() is None
    for _ in range(3):
        await asyncio.sleep(0)
    ready = eager.ready()
    assert ready is not None and ready[1].text == "600 yes_no"
    eager.discard()
    assert eager.ready() is None
