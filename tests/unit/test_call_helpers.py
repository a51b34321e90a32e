"""Pure helpers of the call layer: recording, ringback, heard part, Whisper noise filter."""

from __future__ import annotations

import os
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from agent.call.continuation import heard_part
from agent.call.transfer import CAUSE_OUTCOMES, french_ringback
from agent.media.recorder import StereoRecorder, purge_recordings
from agent.speech.hallucinations import is_hallucination


def test_recorder_keeps_both_sides_aligned_in_a_stereo_wav(tmp_path: Path) -> None:
    recorder = StereoRecorder(8000)
    caller = np.full(160, 1000, dtype=np.int16)
    agent = np.full(160, -2000, dtype=np.int16)
    for _ in range(10):
        recorder.caller(caller)
        recorder.agent(agent)
    path = recorder.write(tmp_path / "rec" / "call.wav")
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (2, 2, 8000)
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16).reshape(-1, 2)
    assert len(frames) >= 1600
    assert set(np.unique(frames[:, 0])) <= {0, 1000} and 1000 in frames[:, 0]
    assert set(np.unique(frames[:, 1])) <= {0, -2000} and -2000 in frames[:, 1]
    assert np.count_nonzero(frames[:, 0]) == 1600  # nothing dropped, nothing doubled


def test_recorder_places_late_audio_after_a_gap(tmp_path: Path) -> None:
    recorder = StereoRecorder(8000)
    recorder.caller(np.full(160, 500, dtype=np.int16))
    time.sleep(0.2)
    recorder.caller(np.full(160, 500, dtype=np.int16))
    with wave.open(str(recorder.write(tmp_path / "gap.wav"))) as wav:
        left = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)[::2]
    assert len(left) >= 0.2 * 8000  # the 200 ms gap stays a gap
    assert np.count_nonzero(left) == 320


def test_recorder_caps_memory() -> None:
    recorder = StereoRecorder(8000, max_seconds=1)
    for _ in range(200):  # 4 s offered, 1 s kept
        recorder.caller(np.ones(160, dtype=np.int16))
    assert max(recorder._cursor) <= 8000


def test_purge_removes_only_old_recordings(tmp_path: Path) -> None:
    old, new = tmp_path / "old.wav", tmp_path / "new.wav"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    ten_days_ago = time.time() - 10 * 86400
    os.utime(old, (ten_days_ago, ten_days_ago))
    assert purge_recordings(tmp_path, retention_days=7) == 1
    assert not old.exists() and new.exists()
    assert purge_recordings(tmp_path / "missing", retention_days=7) == 0


def test_french_ringback_cadence() -> None:
    tone = french_ringback(8000)
    assert len(tone) == 5 * 8000  # 1.5 s on + 3.5 s off
    on, off = tone[:12000], tone[12000:]
    assert np.abs(on).max() > 2000 and not off.any()
    spectrum = np.abs(np.fft.rfft(on))
    assert abs(int(np.argmax(spectrum)) * 8000 / len(on) - 440) < 2


@pytest.mark.parametrize(("cause", "outcome"), [(17, "busy"), (19, "no_answer"), (21, "rejected")])
def test_q850_causes_map_to_transfer_outcomes(cause: int, outcome: str) -> None:
    assert CAUSE_OUTCOMES[cause] == outcome


def test_heard_part_is_proportional_to_what_was_played() -> None:
    text = "un deux trois quatre cinq six sept huit neuf dix"
    assert heard_part(text, 0, 1000) == ""
    assert heard_part(text, 500, 1000) == "un deux trois quatre cinq"
    assert heard_part(text, 1500, 1000) == text
    assert heard_part("", 500, 1000) == ""


@pytest.mark.parametrize(
    "text",
    [
        "Sous-titrage ST' 501",
        "Sous-titres réalisés par la communauté d'Amara.org",
        "Merci d'avoir regardé !",
        " ... ",
        "",
    ],
)
def test_whisper_inventions_are_noise(text: str) -> None:
    assert is_hallucination(text)


@pytest.mark.parametrize(
    "text",
    ["J'ai une fuite d'eau.", "Oui.", "Non merci, au revoir.", "Mon site c'est dupont point com"],
)
def test_real_answers_are_kept(text: str) -> None:
    assert not is_hallucination(text)
