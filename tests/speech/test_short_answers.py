"""The shortest answers a caller gives ("oui", "non") must each make one turn on a phone line."""

from __future__ import annotations

import numpy as np
import pytest

from agent.media.codecs import ulaw_decode, ulaw_encode
from agent.speech.audio import resample
from agent.speech.endpointing import Listener, SpeechEnded
from agent.speech.settings import TurnSettings
from agent.speech.tts import EngineBase


@pytest.mark.models
@pytest.mark.parametrize("word", ["Oui.", "Non.", "D'accord.", "Exact."])
async def test_one_word_answer_is_one_turn(pico: EngineBase, word: str) -> None:
    speech = resample(await pico.synthesize(word), pico.sample_rate, 8000)
    line = ulaw_decode(ulaw_encode(speech))  # through a μ-law phone channel
    silence = np.zeros(8000, dtype=np.int16)
    signal = np.concatenate([silence, line, silence, silence])
    listener = Listener(8000, TurnSettings())
    events = []
    for start in range(0, len(signal), 160):
        events += listener.feed(signal[start : start + 160])
    ended = [e for e in events if isinstance(e, SpeechEnded)]
    assert len(ended) == 1, events
    assert 0.1 < ended[0].seconds < 1.5


@pytest.mark.models
async def test_flush_ends_a_turn_cut_by_a_hangup(pico: EngineBase) -> None:
    speech = resample(await pico.synthesize("Je voudrais un devis."), pico.sample_rate, 8000)
    listener = Listener(8000, TurnSettings())
    signal = np.concatenate([np.zeros(4000, dtype=np.int16), speech])  # no trailing silence
    for start in range(0, len(signal), 160):
        assert not [
            e for e in listener.feed(signal[start : start + 160]) if isinstance(e, SpeechEnded)
        ]
    ended = listener.flush()
    assert ended is not None and ended.truncated
    assert ended.seconds > 0.8
    assert listener.flush() is None


@pytest.mark.models
@pytest.mark.parametrize(
    ("said", "expect"),
    [
        ("F, O, U, R, N, I, E, R.", "spell"),
        ("Zéro six, quatre-vingt-quinze, quarante et un, vingt-sept, trente-six.", "phone"),
    ],
)
async def test_spelled_letters_and_phone_pairs_stay_one_turn(
    pico: EngineBase, said: str, expect: str
) -> None:
    """Whole calls went astray when a spelling was cut after its first letter: the rest of
    it was taken as the answer to the next question."""
    speech = resample(await pico.synthesize(said), pico.sample_rate, 8000)
    line = ulaw_decode(ulaw_encode(speech))
    silence = np.zeros(8000, dtype=np.int16)
    signal = np.concatenate([silence, line, silence, silence, silence])
    settings = TurnSettings()
    listener = Listener(8000, settings)
    listener.detector.end_silence_ms = settings.end_silence_for(expect)
    ended = []
    for start in range(0, len(signal), 160):
        ended += [
            e for e in listener.feed(signal[start : start + 160]) if isinstance(e, SpeechEnded)
        ]
    assert len(ended) == 1, [e.seconds for e in ended]
    assert settings.end_silence_for("name") == settings.end_silence_ms
    assert settings.end_silence_for("yes_no", "phone_confirm") == settings.phone_end_silence_ms
