"""Speech-to-text engines by `[stt] engine` name: the one place that builds a Transcriber.

ENGINES is also the list of names `[stt] engine` accepts (agent.config checks it at load): a new
engine is a class implementing agent.speech.stt.Transcriber and one entry here, plus its keys in
agent.speech.settings if it has any. Engines load their models when built, never on import.

"whisper" (also spelled "local") is faster-whisper on this box. "wyoming" and "openai" are a
speech server elsewhere (`uri`), wrapped in a FallbackTranscriber: with `fallback = "local"`
the box's own Whisper is loaded too and hears the turns the server fails.
"""

from __future__ import annotations

from collections.abc import Callable

from agent.speech.settings import SttSettings
from agent.speech.stt import Transcriber, WhisperEngine, WhisperTranscriber

__all__ = ["ENGINES", "make_transcriber"]

# Builds an engine from its settings, on `engine` (a loaded Whisper shared by several
# transcribers in one process) where the engine runs Whisper locally.
Build = Callable[[SttSettings, WhisperEngine | None], Transcriber]


def _whisper(settings: SttSettings, engine: WhisperEngine | None) -> Transcriber:
    return WhisperTranscriber(settings, engine)


def _fallback(settings: SttSettings, engine: WhisperEngine | None) -> Transcriber | None:
    return WhisperTranscriber(settings, engine) if settings.fallback == "local" else None


# Remote engines import their clients when built: loading the config (which checks engine
# names against ENGINES) imports no network code.
def _wyoming(settings: SttSettings, engine: WhisperEngine | None) -> Transcriber:
    from agent.speech.remote_stt import FallbackTranscriber, WyomingTranscriber

    label = f"Wyoming STT server {settings.uri}"
    return FallbackTranscriber(WyomingTranscriber(settings), _fallback(settings, engine), label)


def _openai(settings: SttSettings, engine: WhisperEngine | None) -> Transcriber:
    from agent.speech.remote_stt import FallbackTranscriber, OpenAiTranscriber

    label = f"OpenAI-compatible STT server {settings.uri}"
    return FallbackTranscriber(OpenAiTranscriber(settings), _fallback(settings, engine), label)


ENGINES: dict[str, Build] = {
    "whisper": _whisper,
    "local": _whisper,
    "wyoming": _wyoming,
    "openai": _openai,
}


def make_transcriber(settings: SttSettings, engine: WhisperEngine | None = None) -> Transcriber:
    """The configured engine (its name was checked against ENGINES at config load)."""
    return ENGINES[settings.engine](settings, engine)
