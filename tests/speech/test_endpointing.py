"""VAD + end-of-turn detection on real speech, synthetic French, silence and noise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from agent.media.codecs import ulaw_decode, ulaw_encode
from agent.speech.audio import Pcm, frames, phone_channel, resample, set_speech_level
from agent.speech.endpointing import (
    BargeIn,
    Framer,
    Listener,
    SpeechEnded,
    SpeechPaused,
    SpeechStarted,
    TurnDetector,
    TurnEvent,
)
from agent.speech.settings import TurnSettings
from agent.speech.tts import EngineBase
from agent.speech.vad import FrameClassifier, spectral_flatness
from devkit.eval.wer import normalize
from tests.speech.helpers import load_sample, silence, white_noise


def run(
    audio: Pcm, settings: TurnSettings | None = None, *, agent_speaking: bool = False
) -> list[TurnEvent]:
    detector = TurnDetector(settings)
    events: list[TurnEvent] = []
    for frame in frames(audio):
        events += detector.feed(frame, agent_speaking=agent_speaking)
    return events


def turns(events: list[TurnEvent]) -> list[SpeechEnded]:
    return [e for e in events if isinstance(e, SpeechEnded)]


def test_silence_makes_no_turn() -> None:
    assert run(silence(5)) == []


@pytest.mark.parametrize("level_db", [-40.0, -30.0, -20.0])
def test_steady_white_noise_makes_no_turn(level_db: float) -> None:
    # webrtcvad alone calls this "speech" on every frame at -20 dBFS.
    assert turns(run(white_noise(20, level_db))) == []
    assert turns(run(phone_channel(white_noise(20, level_db), level_db=level_db))) == []


def test_short_click_is_not_a_turn() -> None:
    burst = np.concatenate([silence(1), white_noise(0.1, -10), silence(1)])
    assert run(burst) == []


def test_real_speech_through_phone_is_one_turn_with_preroll(speech_fr: Path) -> None:
    speech, _ = load_sample(speech_fr, "fleurs-fr-005")
    speech = phone_channel(speech)
    audio = np.concatenate([silence(1.0), speech, silence(1.5)])
    # Pauses inside the sentence may announce an eager transcription (SpeechPaused): the
    # turn itself starts once and ends once.
    events = [e for e in run(audio) if not isinstance(e, SpeechPaused)]
    assert [type(e) for e in events] == [SpeechStarted, SpeechEnded]
    start, end = events[0], events[1]
    assert isinstance(start, SpeechStarted) and isinstance(end, SpeechEnded)
    assert end.started_ms == start.at_ms >= 1000
    assert end.ended_ms <= 1000 + speech.size // 16 + 100
    # Pre-roll: the turn's audio starts before the detected start.
    assert end.pcm16k.size >= (end.ended_ms - end.started_ms + 300) * 16
    assert not end.truncated


def test_speech_in_moderate_noise_is_still_detected(speech_fr: Path) -> None:
    speech, _ = load_sample(speech_fr, "fleurs-fr-008")
    speech = set_speech_level(speech, -20.0)
    noisy = np.concatenate([silence(0.5), speech, silence(1.5)])
    noisy = np.clip(
        noisy.astype(np.int32) + white_noise(noisy.size / 16000, -45), -32768, 32767
    ).astype(np.int16)
    ended = turns(run(noisy))
    assert 1 <= len(ended) <= 2
    assert sum(e.ended_ms - e.started_ms for e in ended) > 0.7 * speech.size / 16


@pytest.mark.models
async def test_pico_french_two_sentences_make_two_turns(pico: EngineBase) -> None:
    first = await pico.synthesize("Bonjour, j'ai une fuite d'eau sous l'évier de la cuisine.")
    second = await pico.synthesize("Je suis au douze rue des Lilas à Antibes.")
    audio = np.concatenate(
        [silence(0.5), phone_channel(first), silence(1.5), phone_channel(second), silence(1.0)]
    )
    ended = turns(run(audio))
    assert len(ended) == 2
    assert ended[0].ended_ms < 500 + first.size // 16 + 200 < ended[1].started_ms


def test_max_utterance_cuts_long_turns(speech_fr: Path) -> None:
    speech, _ = load_sample(speech_fr, "fleurs-fr-001")  # 23 s of almost continuous speech
    events = run(phone_channel(speech), TurnSettings(max_utterance_ms=5000))
    ended = turns(events)
    assert ended and ended[0].truncated
    assert all(e.pcm16k.size <= 5000 * 16 for e in ended)


def test_barge_in_while_agent_speaks(speech_fr: Path) -> None:
    speech, _ = load_sample(speech_fr, "fleurs-fr-007")
    audio = np.concatenate([silence(0.5), phone_channel(speech, level_db=-20)])
    detector = TurnDetector()
    events: list[TurnEvent] = []
    for frame in frames(audio):
        events += detector.feed(frame, agent_speaking=True)
        if events:
            break
    assert isinstance(events[0], BargeIn)
    assert isinstance(events[1], SpeechStarted) and events[1].barge_in
    assert detector.barge_in_detected
    # barge_in_min_ms of voiced audio was needed before interrupting.
    assert events[0].at_ms >= 500
    ended = turns(run(audio, agent_speaking=True))
    assert ended and ended[0].barge_in


def test_quiet_echo_does_not_barge_in_but_a_quiet_caller_does(speech_fr: Path) -> None:
    speech, _ = load_sample(speech_fr, "fleurs-fr-007")
    echo = phone_channel(speech, level_db=-46)  # agent's own voice leaking back, attenuated
    assert run(echo, agent_speaking=True) == []
    quiet_caller = phone_channel(speech, level_db=-30)
    assert isinstance(run(quiet_caller, agent_speaking=True)[0], BargeIn)


def test_frame_classifier_rejects_wrong_frame_size() -> None:
    with pytest.raises(ValueError, match="320"):
        FrameClassifier(TurnSettings()).classify(np.zeros(160, dtype=np.int16))


def test_flatness_separates_noise_from_voice() -> None:
    t = np.arange(320) / 16000
    voiced = np.sum([np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 20)], axis=0)
    assert spectral_flatness((voiced * 8000).astype(np.int16)) < 0.2
    assert spectral_flatness(white_noise(0.02, -20)) > 0.35


def test_listener_takes_8k_ulaw_rtp_payloads(speech_fr: Path) -> None:
    """The lead's path: 20 ms μ-law payloads at 8 kHz straight into a Listener."""
    speech, _ = load_sample(speech_fr, "fleurs-fr-004")
    line = ulaw_encode(resample(set_speech_level(speech, -26), 16000, 8000))
    line += ulaw_encode(np.zeros(8000 * 2, dtype=np.int16))  # 2 s of silence after
    listener = Listener(8000)
    events: list[TurnEvent] = []
    for offset in range(0, len(line), 160):
        events += listener.feed(ulaw_decode(line[offset : offset + 160]))
    ended = turns(events)
    assert len(ended) == 1
    assert ended[0].ended_ms - ended[0].started_ms > 0.7 * speech.size / 16


def test_framer_cuts_odd_chunks_into_whole_frames() -> None:
    framer = Framer(320)
    out = framer.push(np.arange(500, dtype=np.int16)) + framer.push(np.arange(500, dtype=np.int16))
    assert [f.size for f in out] == [320, 320, 320]
    assert out[1][0] == 320 and out[2][0] == 140


@pytest.mark.models
async def test_turn_audio_keeps_the_first_word(pico: EngineBase, transcriber: object) -> None:
    """Pre-roll at work: the endpointed turn, transcribed, still starts with "Bonjour"."""
    from agent.speech.stt import WhisperTranscriber

    assert isinstance(transcriber, WhisperTranscriber)
    said = await pico.synthesize("Bonjour, je voudrais un devis pour une salle de bain.")
    audio = np.concatenate([silence(1.0), phone_channel(said), silence(1.0)])
    ended = turns(run(audio))
    assert len(ended) == 1
    text = (await transcriber.transcribe(ended[0].pcm16k)).text
    assert normalize(text)[:1] == ["bonjour"], text
