"""The worker that batches every call's decodes: who goes first, who waits, what is shared."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pytest

from agent.speech.audio import Pcm, phone_channel, resample
from agent.speech.decoding import DecodePlan
from agent.speech.hint import Hint
from agent.speech.stt import WhisperTranscriber
from agent.speech.tts import EngineBase
from agent.speech.whisper_batch import (
    BatcherClosedError,
    DecodeBatcher,
    DecodeRequest,
    TurnAudio,
    _Waiting,
    pick,
)
from agent.speech.whisper_direct import Decoded, DirectWhisper, GenerateOptions, Hypothesis
from tests.speech.helpers import silence

if TYPE_CHECKING:
    from ctranslate2 import StorageView

PLAN = DecodePlan(None, 1, 1, 16, ())


class _Tagged(TurnAudio):
    def __init__(self, window: int, tag: str) -> None:
        audio = np.zeros(window * 160, dtype=np.float32)
        super().__init__(audio, lambda a: np.zeros((80, a.size // 160), dtype=np.float32))
        self.tag = tag


def _tag(request: DecodeRequest) -> str:
    assert isinstance(request.turn, _Tagged)
    return request.turn.tag


def _request(window: int, tag: str = "", plan: DecodePlan = PLAN) -> DecodeRequest:
    return DecodeRequest(_Tagged(window, tag), window, plan)


def _waiting(window: int, order: int, passed: int = 0) -> _Waiting:
    return _Waiting(_request(window), Future(), order, passed)


def test_pick_takes_the_shortest_window_and_its_equals() -> None:
    waiting = [_waiting(1200, 0), _waiting(600, 1), _waiting(800, 2), _waiting(600, 3)]
    assert [w.order for w in pick(waiting, 4, 2)] == [1, 3]
    assert [w.order for w in pick(waiting, 1, 2)] == [1]


def test_pick_takes_a_turn_passed_over_too_often_first() -> None:
    waiting = [_waiting(600, 5), _waiting(3000, 0, passed=2), _waiting(3000, 1, passed=2)]
    assert [w.order for w in pick(waiting, 4, 2)] == [0, 1]
    assert pick([], 4, 2) == []


class _Recorder:
    """A runner that takes `seconds` per batch and records what it was given."""

    def __init__(self, seconds: float, fail: bool = False) -> None:
        self.seconds, self.fail = seconds, fail
        self.batches: list[list[str]] = []
        self.started = threading.Event()

    def __call__(self, requests: Sequence[DecodeRequest]) -> list[Decoded]:
        self.batches.append([_tag(r) for r in requests])
        self.started.set()
        for r in requests:
            r.turn.mel()
        time.sleep(self.seconds)
        if self.fail:
            raise RuntimeError("decoder broke")
        return [
            Decoded((Hypothesis(_tag(r), 1, -0.1),), 0.0, r.window / 100, self.seconds)
            for r in requests
        ]


def test_turns_waiting_together_share_a_batch_shortest_first() -> None:
    runner = _Recorder(0.05)
    batcher = DecodeBatcher(runner, gather_s=0.0)
    first = batcher.submit(_request(600, "busy"))
    assert runner.started.wait(2)
    futures = [
        batcher.submit(_request(w, t))
        for w, t in ((1200, "long"), (600, "a"), (600, "b"), (800, "mid"))
    ]
    assert [f.result(2).hypotheses[0].text for f in (first, *futures)] == [
        "busy", "long", "a", "b", "mid"
    ]  # fmt: skip
    assert runner.batches == [["busy"], ["a", "b"], ["mid"], ["long"]]
    batcher.close()


def test_a_long_turn_is_not_starved_by_short_ones() -> None:
    runner = _Recorder(0.02)
    batcher = DecodeBatcher(runner, gather_s=0.0, max_batch=1, max_passed=2)
    batcher.submit(_request(600, "busy"))
    assert runner.started.wait(2)
    long = batcher.submit(_request(3000, "long"))
    shorts = [batcher.submit(_request(600, f"s{i}")) for i in range(6)]
    long.result(5)
    assert runner.batches.index(["long"]) == 3  # after the busy one and two short ones
    for f in shorts:
        f.result(5)
    batcher.close()


def test_a_short_turn_waits_at_most_for_the_batch_in_progress() -> None:
    runner = _Recorder(0.2)
    batcher = DecodeBatcher(runner, gather_s=0.0)
    long = batcher.submit(_request(3000, "long"))
    assert runner.started.wait(2)
    started = time.perf_counter()
    short = batcher.submit(_request(600, "short"))
    short.result(5)
    assert time.perf_counter() - started < 0.2 * 2 + 0.1  # the long one's batch, then its own
    assert long.done()
    batcher.close()


def test_a_cancelled_turn_is_not_decoded_and_errors_reach_every_turn() -> None:
    runner = _Recorder(0.05, fail=True)
    batcher = DecodeBatcher(runner, gather_s=0.0)
    busy = batcher.submit(_request(600, "busy"))
    assert runner.started.wait(2)
    gone, kept = batcher.submit(_request(600, "gone")), batcher.submit(_request(600, "kept"))
    assert gone.cancel()
    with pytest.raises(RuntimeError, match="decoder broke"):
        kept.result(2)
    with pytest.raises(RuntimeError, match="decoder broke"):
        busy.result(2)
    assert runner.batches == [["busy"], ["kept"]]
    batcher.close()
    with pytest.raises(BatcherClosedError):
        batcher.submit(_request(600))


def test_features_are_computed_once_per_turn() -> None:
    calls: list[int] = []

    def features(audio: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        calls.append(audio.size)
        return np.zeros((80, audio.size // 160), dtype=np.float32)

    turn = TurnAudio(np.zeros(48_000, dtype=np.float32), features)
    assert turn.frames == 300
    turn.mel()
    turn.mel()
    assert calls == [48_000]


# ---- on the real model ------------------------------------------------------------------


async def _spoken(pico: EngineBase, text: str) -> Pcm:
    speech = resample(await pico.synthesize(text), pico.sample_rate, 16000)
    return phone_channel(np.concatenate([silence(0.3), speech, silence(0.3)]))


_TOWNS = ("Colomiers", "Blagnac", "Muret")
# Short answers (one window); the two towns share one generate call (same prompt and budget).
ANSWERS = (
    ("Oui, c'est bien ça.", Hint("yes_no", "readback")),
    ("Je m'appelle Paul Girard.", Hint("name", "name")),
    ("J'habite à Colomiers.", Hint("town", "town", _TOWNS)),
    ("Euh, à Blagnac.", Hint("town", "town", _TOWNS)),
)


@pytest.mark.models
async def test_calls_at_once_read_what_each_would_read_alone(
    transcriber: WhisperTranscriber, pico: EngineBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    clips = [await _spoken(pico, said) for said, _ in ANSWERS]
    alone = [await transcriber.transcribe(c, h) for c, (_, h) in zip(clips, ANSWERS, strict=True)]
    direct = transcriber.engine.direct
    generated: list[int] = []  # turns per generate call

    def spy(encoded: StorageView, prompts: list[list[int]], options: GenerateOptions) -> object:
        generated.append(len(prompts))
        return DirectWhisper.generate(direct, encoded, prompts, options)

    monkeypatch.setattr(direct, "generate", spy)
    together = await asyncio.gather(
        *(transcriber.transcribe(c, h) for c, (_, h) in zip(clips, ANSWERS, strict=True))
    )
    for a, t in zip(alone, together, strict=True):
        assert (t.text, t.alternatives, t.unclear) == (a.text, a.alternatives, a.unclear)
        assert t.confidence == pytest.approx(a.confidence, abs=1e-6)
    assert max(generated) == 2, generated  # the two towns, in one generate call


@pytest.mark.models
async def test_a_long_answer_does_not_hold_a_short_one(
    transcriber: WhisperTranscriber, pico: EngineBase
) -> None:
    long = await _spoken(
        pico,
        "Alors voilà, depuis ce matin le chauffe-eau fait un bruit bizarre, il y a de l'eau "
        "par terre dans la buanderie et je ne sais plus quoi faire, pouvez-vous passer ?",
    )
    short = await _spoken(pico, "Oui.")

    async def timed(pcm: Pcm, hint: Hint | None) -> float:
        await transcriber.transcribe(pcm, hint)
        return time.perf_counter()

    started = time.perf_counter()
    long_done, short_done = await asyncio.gather(
        timed(long, None), timed(short, Hint("yes_no", "yes"))
    )
    assert short_done < long_done, (short_done - started, long_done - started)
