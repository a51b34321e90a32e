"""Whisper on real French speech through the phone channel, and on Pico's French."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from agent.speech.audio import phone_channel
from agent.speech.settings import SttSettings
from agent.speech.stt import ModelNotFoundError, WhisperTranscriber, resolve_model
from agent.speech.tts import EngineBase
from devkit.eval.wer import normalize, wer
from tests.speech.helpers import load_sample

pytestmark = pytest.mark.models


async def test_phone_speech_contains_key_words(
    transcriber: WhisperTranscriber, speech_fr: Path
) -> None:
    speech, reference = load_sample(speech_fr, "fleurs-fr-005")
    result = await transcriber.transcribe(phone_channel(speech))
    words = set(normalize(result.text))
    assert {"perdu", "contrôle", "voiture", "course"} <= words, result.text
    assert wer(reference, result.text) < 0.6
    assert result.language == "fr"
    assert result.seconds == pytest.approx(speech.size / 16000)
    assert 0 < result.rtf < 2.0  # ~0.2 on 2 cores


async def test_pico_french_is_understood_by_whisper(
    transcriber: WhisperTranscriber, pico: EngineBase
) -> None:
    text = "Bonjour, j'ai une fuite d'eau dans la salle de bain, pouvez-vous venir demain matin ?"
    audio = phone_channel(await pico.synthesize(text))
    result = await transcriber.transcribe(audio)
    words = set(normalize(result.text))
    # "fuite" itself comes out as "site" through the phone band without vocabulary biasing.
    assert {"eau", "salle", "bain", "venir", "demain", "matin"} <= words, result.text


async def test_vocabulary_biases_trade_words_and_towns(
    transcriber: WhisperTranscriber, pico: EngineBase
) -> None:
    text = "Mon chauffe-eau ne marche plus, j'habite au quinze rue Victor Hugo à Vallauris."
    audio = phone_channel(await pico.synthesize(text))
    biased = transcriber.sharing(
        SttSettings(vocabulary=("chauffe-eau", "disjoncteur"), towns=("Antibes", "Vallauris"))
    )
    assert biased.model is transcriber.model
    result = await biased.transcribe(audio)
    # Unbiased, base (beam 1) hears "chafou" and "Valourais" here (measured).
    assert {"chauffe", "eau", "vallauris", "marche"} <= set(normalize(result.text)), result.text


async def test_concurrent_calls_share_one_model(
    transcriber: WhisperTranscriber, speech_fr: Path
) -> None:
    speech, _ = load_sample(speech_fr, "fleurs-fr-008")
    clip = phone_channel(speech)[: 16000 * 3]
    other = transcriber.sharing(SttSettings())
    assert other.model is transcriber.model  # one engine, one model
    results = await asyncio.gather(*(transcriber.transcribe(clip) for _ in range(3)))
    assert len({r.text for r in results}) == 1  # temperature-0 decoding is deterministic


async def test_empty_audio_is_an_empty_transcript(transcriber: WhisperTranscriber) -> None:
    result = await transcriber.transcribe(np.zeros(0, dtype=np.int16))
    assert result.text == "" and result.seconds == 0


def test_missing_model_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="make models"):
        resolve_model(SttSettings(models_dir=tmp_path))
    with pytest.raises(ModelNotFoundError, match="--whisper small"):
        resolve_model(SttSettings(model="small", models_dir=tmp_path))
    with pytest.raises(ModelNotFoundError, match=r"no model\.bin"):
        resolve_model(SttSettings(model=str(tmp_path)))
    assert (
        resolve_model(SttSettings(model="small", models_dir=tmp_path, allow_download=True))
        == "small"
    )
