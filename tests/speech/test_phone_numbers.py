"""A callback number said by voice is read through the phone line (issue 8 item 7)."""

from __future__ import annotations

import numpy as np
import pytest

from agent.speech.audio import phone_channel, resample
from agent.speech.hint import Hint
from agent.speech.stt import WhisperTranscriber
from agent.speech.tts import EngineBase
from nlp.phone import phone_with_confidence
from nlp.phone_numbers import as_e164
from tests.speech.helpers import silence

pytestmark = pytest.mark.models


async def test_pairs_said_in_words_are_read(
    transcriber: WhisperTranscriber, pico: EngineBase
) -> None:
    said = "Zéro sept, cinquante-six, quarante-sept, trente-huit, vingt-neuf."
    speech = resample(await pico.synthesize(said), pico.sample_rate, 16000)
    line = phone_channel(np.concatenate([silence(0.3), speech, silence(0.3)]))
    result = await transcriber.transcribe(line, Hint("phone", "phone"))
    number, confidence = phone_with_confidence(result.text, result.alternatives)
    assert as_e164(number) == "+33756473829", result
    assert confidence > 0.0
