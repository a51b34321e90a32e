"""The voice models behind the turn detector (WebRTC, Silero), their config key, and the
labelled sets and scoring of the VAD comparison (devkit.eval.vad)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agent.config_reader import ConfigError
from agent.speech.audio import FRAME_16K, frames, phone_channel
from agent.speech.endpointing import BargeIn, SpeechEnded, TurnDetector, TurnEvent
from agent.speech.settings import TurnSettings
from agent.speech.vad import FrameClassifier, SileroVoice, WebrtcVoice, voice_model
from devkit.eval.vad import Tally, run_item, score, summary, ungated
from devkit.eval.vad_sets import Item, coloured_noise, line, speech_truth
from tests.speech.helpers import load_sample, silence


def verdicts(audio: np.ndarray, settings: TurnSettings, *, speaking: bool = False) -> np.ndarray:
    classifier = FrameClassifier(settings)
    return np.array([classifier.classify(f, agent_speaking=speaking).speech for f in frames(audio)])


def events(audio: np.ndarray, settings: TurnSettings, *, speaking: bool = False) -> list[TurnEvent]:
    detector = TurnDetector(settings)
    out: list[TurnEvent] = []
    for frame in frames(audio):
        out += detector.feed(frame, agent_speaking=speaking)
    return out


def test_config_key_selects_the_model() -> None:
    assert isinstance(voice_model(TurnSettings.from_table({}, Path("."))), WebrtcVoice)
    silero = TurnSettings.from_table({"vad": "silero", "silero_threshold": 0.6}, Path("."))
    assert isinstance(voice_model(silero), SileroVoice)
    with pytest.raises(ConfigError, match=r"turn\.vad"):
        TurnSettings.from_table({"vad": "rnnoise"}, Path("."))
    with pytest.raises(ConfigError, match=r"turn\.silero_threshold"):
        TurnSettings.from_table({"silero_threshold": 1.5}, Path("."))


def test_silero_hears_real_speech_through_the_phone_and_not_brown_noise(speech_fr: Path) -> None:
    speech, _ = load_sample(speech_fr, "fleurs-fr-006")
    labels, _, _ = speech_truth(speech)
    heard = verdicts(phone_channel(speech), ungated("silero"))
    # The model alone, no energy gate: most speech frames, almost no noise frames.
    assert heard[: labels.size][labels == 1].mean() > 0.8
    brown = line(coloured_noise(5.0, -30.0, "brown", seed=1))
    assert verdicts(brown, ungated("silero")).mean() < 0.02
    # webrtcvad alone calls loud pink noise speech (what the gates were added for); Silero not.
    pink = line(coloured_noise(5.0, -30.0, "pink", seed=1))
    assert verdicts(pink, ungated("webrtc")).mean() > 0.3
    assert verdicts(pink, ungated("silero")).mean() < 0.02


def test_silero_decision_follows_the_audio_across_512_sample_chunks() -> None:
    voice = SileroVoice(0.5)
    tone = (np.sin(np.arange(FRAME_16K * 8) * 0.3) * 8000).astype(np.int16)
    for frame in frames(tone):
        voice.voiced(frame)
    first = voice.probability
    # 8 frames of 320 samples are exactly 5 chunks of 512: nothing left pending.
    assert voice._pending.size == 0
    voice.voiced(np.zeros(FRAME_16K, dtype=np.int16))
    assert voice._pending.size == FRAME_16K and voice.probability == first


def test_silero_turn_on_speech_and_no_turn_on_echo(speech_fr: Path) -> None:
    speech, _ = load_sample(speech_fr, "fleurs-fr-007")
    settings = TurnSettings(vad="silero")
    audio = np.concatenate([silence(0.5), phone_channel(speech), silence(1.0)])
    ended = [e for e in events(audio, settings) if isinstance(e, SpeechEnded)]
    assert len(ended) >= 1 and ended[0].started_ms >= 400
    # The agent's own voice coming back 20 dB down: the speaking floor holds it back.
    echo = phone_channel(speech, level_db=-46)
    assert not any(isinstance(e, BargeIn) for e in events(echo, settings, speaking=True))
    # ... which the model alone cannot do: echo is speech.
    ungated_events = events(echo, ungated("silero"), speaking=True)
    assert any(isinstance(e, BargeIn) for e in ungated_events)


def test_speech_truth_ignores_a_click_before_the_first_word() -> None:
    t = np.arange(16000) / 16000
    voice = (np.sin(2 * np.pi * 200 * t) * 8000).astype(np.int16)
    click = np.zeros(1600, dtype=np.int16)
    click[800:840] = 20000
    audio = np.concatenate([silence(0.5), click, silence(0.5), voice, silence(0.5)])
    labels, first, last = speech_truth(audio)
    assert first == (8000 + 1600 + 8000) // FRAME_16K
    assert last == first + 16000 // FRAME_16K - 1
    assert (labels[:first] == 0).all() and (labels[first : last + 1] == 1).all()


def test_scoring_counts_recall_false_speech_and_end_delay(speech_fr: Path) -> None:
    speech, _ = load_sample(speech_fr, "fleurs-fr-008")
    audio = np.concatenate([silence(1.0), speech, silence(2.0)])
    audio = audio[: audio.size // FRAME_16K * FRAME_16K]
    labels, first, last = speech_truth(audio)
    quiet = np.zeros(labels.size, dtype=np.bool_)
    item = Item("s", "speech", "test", line(audio), labels, quiet, first, last)
    noise = line(coloured_noise(4.0, -30.0, "white", seed=2))
    noise_labels = np.zeros(noise.size // FRAME_16K, dtype=np.int8)
    noise_item = Item("n", "noise", "test", noise, noise_labels, noise_labels == 1)
    settings = TurnSettings()
    tally = Tally()
    for it in (item, noise_item):
        score(tally, it, run_item(it, settings), settings)
    figures = summary(tally, settings)
    assert figures["speech_missed_utterances"] == "0/1"
    turn_end = figures["turn_end_ms"]
    assert isinstance(turn_end, dict) and turn_end["p50"] is not None
    # The turn ends end_silence_ms after the VAD last heard speech, near the true end.
    assert settings.end_silence_ms - 300 <= turn_end["p50"] <= settings.end_silence_ms + 300
    false_speech = figures["false_speech_pct"]
    assert isinstance(false_speech, dict) and false_speech["noise"] < 1.0
