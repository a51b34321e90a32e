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
