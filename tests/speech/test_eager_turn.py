"""Eager end of turn: the pause reports the turn exactly as it will end, or a shorter one."""

from __future__ import annotations

import numpy as np

from agent.call.eager import same_turn
from agent.speech.audio import Pcm, frames
from agent.speech.endpointing import SpeechEnded, SpeechPaused, TurnDetector, TurnEvent
from agent.speech.settings import TurnSettings


def voiced(seconds: float, f0: float = 140.0) -> Pcm:
    """A voiced vowel-like sound (harmonics, syllable-rate envelope) that the VAD takes."""
    t = np.arange(int(16000 * seconds)) / 16000
    harmonics = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 20))
    return (harmonics * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t)) * 3000).astype(np.int16)


def silence(seconds: float) -> Pcm:
    return np.zeros(int(16000 * seconds), dtype=np.int16)


def run(audio: Pcm, detector: TurnDetector) -> list[TurnEvent]:
    events: list[TurnEvent] = []
    for frame in frames(audio):
        events += detector.feed(frame)
    return events


def test_a_pause_then_silence_gives_the_same_turn_twice() -> None:
    events = run(np.concatenate([silence(0.5), voiced(1.0), silence(1.0)]), TurnDetector())
    (paused,) = [e for e in events if isinstance(e, SpeechPaused)]
    (ended,) = [e for e in events if isinstance(e, SpeechEnded)]
    assert events.index(paused) < events.index(ended)
    assert same_turn(paused.turn, ended)
    assert np.array_equal(paused.turn.pcm16k, ended.pcm16k)


def test_speech_after_the_pause_makes_the_paused_turn_stale() -> None:
    audio = np.concatenate([silence(0.5), voiced(1.0), silence(0.35), voiced(0.8), silence(1.0)])
    events = run(audio, TurnDetector())
    first = next(e for e in events if isinstance(e, SpeechPaused))
    (ended,) = [e for e in events if isinstance(e, SpeechEnded)]
    assert not same_turn(first.turn, ended)
    assert first.turn.ended_ms < ended.ended_ms


def test_end_now_during_the_pause_ends_the_turn_as_paused() -> None:
    detector = TurnDetector()
    events = run(np.concatenate([silence(0.5), voiced(1.0), silence(0.3)]), detector)
    (paused,) = [e for e in events if isinstance(e, SpeechPaused)]
    assert detector.paused
    ended = detector.end_now()
    assert ended is not None and same_turn(paused.turn, ended)
    assert not detector.in_turn and not detector.paused


def test_eager_pause_can_be_turned_off() -> None:
    detector = TurnDetector(TurnSettings(eager_silence_ms=0))
    events = run(np.concatenate([silence(0.5), voiced(1.0), silence(1.0)]), detector)
    assert not any(isinstance(e, SpeechPaused) for e in events)
    assert any(isinstance(e, SpeechEnded) for e in events)
