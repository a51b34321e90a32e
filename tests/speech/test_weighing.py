"""Readings weighed against the audio with the real Whisper (DirectWhisper.score)."""

from __future__ import annotations

import numpy as np
import pytest

from agent.speech.audio import Pcm, phone_channel, resample
from agent.speech.hint import Hint
from agent.speech.rescoring import RescoringTranscriber
from agent.speech.stt import WhisperTranscriber
from agent.speech.tts import EngineBase
from tests.speech.helpers import silence

pytestmark = pytest.mark.models


async def _spoken(pico: EngineBase, text: str) -> Pcm:
    speech = resample(await pico.synthesize(text), pico.sample_rate, 16000)
    return phone_channel(np.concatenate([silence(0.3), speech, silence(0.3)]))


async def test_the_number_said_is_the_likeliest_reading(
    transcriber: WhisperTranscriber, pico: EngineBase
) -> None:
    audio = await _spoken(pico, "J'habite au 15 rue Victor Hugo.")
    texts = [f"J'habite au {n} rue Victor Hugo." for n in (15, 50, 5, 75)]
    scores = await transcriber.score_texts(audio, Hint("street", "street"), texts)
    assert len(scores) == 4 and all(s < 0 for s in scores)
    assert max(range(4), key=scores.__getitem__) == 0, scores


async def test_the_rescoring_ear_returns_the_reading_chosen(
    transcriber: WhisperTranscriber, pico: EngineBase
) -> None:
    audio = await _spoken(pico, "Rue Victor Hugo, au 15.")
    offered = ("Rue Victor Hugo, au 50.", "Rue Victor Hugo, au 15.", "Rue Victor Hugo, au 5.")
    hint = Hint("street", "street", rescore=lambda hypotheses: offered)
    got = await RescoringTranscriber(transcriber, transcriber).transcribe(audio, hint)
    assert got.text == "Rue Victor Hugo, au 15.", got
    assert got.alternatives  # what was heard stays behind
