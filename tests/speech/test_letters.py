"""A spelled name heard again with only letters allowed (agent.speech.letters)."""

from __future__ import annotations

import asyncio
import re

import numpy as np
import pytest

from agent.speech.audio import Pcm, phone_channel, resample
from agent.speech.hint import Hint
from agent.speech.letters import LettersTranscriber
from agent.speech.stt import WhisperTranscriber
from agent.speech.tts import EngineBase
from tests.speech.helpers import ScriptedEngine as Engine
from tests.speech.helpers import silence

AUDIO = np.ones(1600, dtype=np.int16)


def test_a_spelling_is_heard_again_letters_only_and_both_readings_are_kept() -> None:
    engine = Engine([("Celle-ci.", ("C'est si.",)), ("P-E-T-I-T", ("P-U-T-I-T", ""))])
    got = asyncio.run(LettersTranscriber(engine).transcribe(AUDIO, Hint("spell", "spell")))
    first, second = engine.hints
    assert first == Hint("spell", "spell") and second == Hint("spell", "spell", letters_only=True)
    assert (got.text, got.alternatives) == ("Celle-ci.", ("C'est si.",))
    assert got.letters == ("P-E-T-I-T", "P-U-T-I-T")
    assert got.elapsed_s == 0.4 and got.confidence == 0.4  # the free reading's


@pytest.mark.parametrize("hint", [None, Hint("name", "name"), Hint("phone", "phone")])
def test_other_answers_are_heard_once(hint: Hint | None) -> None:
    engine = Engine([("Dupont.", ())])
    got = asyncio.run(LettersTranscriber(engine).transcribe(AUDIO, hint))
    assert len(engine.hints) == 1 and got.letters == ()


def test_silence_is_not_heard_again() -> None:
    engine = Engine([("", ())])
    asyncio.run(LettersTranscriber(engine).transcribe(AUDIO, Hint("spell", "spell")))
    assert len(engine.hints) == 1


@pytest.mark.models
async def test_the_real_whisper_writes_only_letters_when_told_to(
    transcriber: WhisperTranscriber, pico: EngineBase
) -> None:
    speech = resample(await pico.synthesize("Alors, P, E, T, I, T."), pico.sample_rate, 16000)
    audio: Pcm = phone_channel(np.concatenate([silence(0.3), speech, silence(0.3)]))
    got = await LettersTranscriber(transcriber).transcribe(audio, Hint("spell", "spell"))
    assert got.text and got.letters, got
    allowed = re.compile(r"(?i)(?:[a-zéèêëïîôç]|deux|double|alors|c|est|comme|euh|voilà)")
    for reading in got.letters:
        words = [w for w in re.split(r"[\s,.\-']+", reading) if w]
        assert words and all(allowed.fullmatch(w) for w in words), reading
