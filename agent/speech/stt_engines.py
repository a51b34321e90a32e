"""Speech-to-text engines by `[stt] engine` name: the one place that builds a Transcriber.

ENGINES is also the list of names `[stt] engine` accepts (agent.config checks it at load): a new
engine is a class implementing agent.speech.stt.Transcriber and one entry here, plus its keys in
agent.speech.settings if it has any. Engines load their models when built, never on import.
"""

from __future__ import annotations

from collections.abc import Callable

from agent.speech.settings import SttSettings
from agent.speech.stt import Transcriber, WhisperTranscriber

__all__ = ["ENGINES", "make_transcriber"]


def _whisper(settings: SttSettings) -> Transcriber:
    return WhisperTranscriber(settings)


ENGINES: dict[str, Callable[[SttSettings], Transcriber]] = {
    "whisper": _whisper,
}


def make_transcriber(settings: SttSettings) -> Transcriber:
    """The configured engine (its name was checked against ENGINES at config load)."""
    return ENGINES[settings.engine](settings)
