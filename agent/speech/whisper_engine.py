"""The loaded Whisper model and the one worker every call decodes on, owned by one object.

`wiring` builds one `WhisperEngine` per process and every transcriber shares it (no module
cache: a second engine is a second model in memory, which is what one asks for by building
one). Closing the engine lets the decodes in progress finish and stops its worker.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from agent.speech.paths import whisper_dir
from agent.speech.settings import SttSettings
from agent.speech.whisper_batch import (
    GATHER_S,
    MAX_BATCH,
    DecodeBatcher,
    DecodeRequest,
    WhisperRunner,
)
from agent.speech.whisper_direct import Decoded, DirectWhisper

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

__all__ = ["KNOWN_MODELS", "ModelNotFoundError", "WhisperEngine", "resolve_model"]

log = logging.getLogger(__name__)
T = TypeVar("T")

# Sizes faster-whisper knows how to download (for the error message and the installer).
KNOWN_MODELS = ("tiny", "base", "small", "medium", "large-v3", "large-v3-turbo", "turbo")


class ModelNotFoundError(FileNotFoundError):
    """The configured speech model is not installed; the message says what to run."""


def resolve_model(settings: SttSettings) -> Path | str:
    """A local CTranslate2 model folder, or the bare name when a download was allowed."""
    raw = Path(settings.model).expanduser()
    if raw.is_absolute() or "/" in settings.model or settings.model.startswith("."):
        if (raw / "model.bin").is_file():
            return raw
        raise ModelNotFoundError(f"Whisper model folder {raw} has no model.bin")
    local = whisper_dir(settings.models_dir, settings.model)
    if (local / "model.bin").is_file():
        return local
    if settings.allow_download:
        return settings.model
    hint = (
        "run `make models`"
        if settings.model == "base"
        else (f"run `decroche models install --whisper {settings.model}` (needs internet)")
    )
    raise ModelNotFoundError(
        f"Whisper model {settings.model!r} is not installed in {local}: {hint}"
    )


def load_model(settings: SttSettings) -> WhisperModel:
    """Load the Whisper model the settings name (seconds: build one engine per process)."""
    source = resolve_model(settings)
    if not settings.allow_download:
        # Belt and braces: nothing below may reach the network at run time.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from faster_whisper import WhisperModel

    started = time.perf_counter()
    model = WhisperModel(
        str(source),
        device="cpu",
        compute_type=settings.compute_type,
        cpu_threads=settings.cpu_threads,
        num_workers=settings.workers,
        download_root=str(settings.models_dir / "whisper" / "hub"),
        local_files_only=not settings.allow_download,
    )
    log.info(
        "loaded Whisper %s (%s) in %.2f s",
        source,
        settings.compute_type,
        time.perf_counter() - started,
    )
    return model


class WhisperEngine:
    """One loaded model, its direct decoder and the worker that batches every call's turns.

    `settings` choose the model, compute type, threads and workers; the per-call choices
    (language, vocabulary, towns) stay with each transcriber."""

    def __init__(
        self,
        settings: SttSettings,
        model: WhisperModel | None = None,
        *,
        max_batch: int = MAX_BATCH,
        gather_s: float = GATHER_S,
        batch_encode: bool = False,
    ) -> None:
        self.model = model if model is not None else load_model(settings)
        self.language = settings.language
        self.direct = DirectWhisper(self.model, settings.language)
        self._batcher = DecodeBatcher(
            WhisperRunner(self.direct, batch_encode=batch_encode),
            workers=settings.workers,
            max_batch=max_batch,
            gather_s=gather_s,
        )

    def decode(self, request: DecodeRequest) -> Future[Decoded]:
        """Queue one decode; it may share the encoder and generate calls of other turns."""
        return self._batcher.submit(request)

    def run(self, fn: Callable[..., T], *args: object) -> Future[T]:
        """Run `fn` on the worker, between batches (long recordings)."""
        return self._batcher.call(fn, *args)

    @property
    def batch_sizes(self) -> Counter[int]:
        """Batches decoded so far, by number of turns."""
        return self._batcher.sizes

    def close(self) -> None:
        self._batcher.close()
