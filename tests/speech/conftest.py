"""Fixtures of the speech tests: real models (skipped, with the reason, only when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.speech.settings import SttSettings, TtsSettings
from agent.speech.stt import WhisperTranscriber
from agent.speech.tts import EngineBase
from agent.speech.tts_engines import create
from devkit.eval.wer import SPEECH_FR
from devkit.install.models import models_status


def _require_models() -> None:
    status = models_status()
    if status.missing:
        pytest.skip(f"speech models absent ({', '.join(status.missing)}): run `make models`")


@pytest.fixture(scope="session")
def transcriber() -> WhisperTranscriber:
    _require_models()
    return WhisperTranscriber(SttSettings())


@pytest.fixture(scope="session")
def pico() -> EngineBase:
    _require_models()
    return create("pico", TtsSettings())


@pytest.fixture(scope="session")
def speech_fr() -> Path:
    if not any(SPEECH_FR.glob("*.ogg")):
        pytest.skip(f"no French speech samples in {SPEECH_FR}")
    return SPEECH_FR


@pytest.fixture(autouse=True)
def _models_marker(request: pytest.FixtureRequest) -> None:
    """Tests marked `models` skip (with the reason) only when `decroche models status` says
    the models are absent; `make test` installs them first, so in CI they run."""
    if request.node.get_closest_marker("models") is not None:
        _require_models()
