"""Speech to text: the `Transcriber` protocol and its faster-whisper implementation.

The Whisper model is loaded once per process and shared by every call; inference runs in a
small bounded thread pool so concurrent calls queue instead of oversubscribing the cores.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from agent.speech.audio import STT_RATE, Pcm, to_float
from agent.speech.hint import Hint
from agent.speech.paths import whisper_dir
from agent.speech.settings import SttSettings

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = logging.getLogger(__name__)

# Sizes faster-whisper knows how to download (for the error message and the installer).
KNOWN_MODELS = ("tiny", "base", "small", "medium", "large-v3", "large-v3-turbo", "turbo")
# Whisper's prompt holds ~224 tokens; keep the vocabulary hint well under that.
_MAX_PROMPT_CHARS = 400
# Fast French speech is ~7 tokens/s; the cap (with the prompt) stays under Whisper's 448.
_TOKENS_PER_SECOND = 10
_MAX_NEW_TOKENS = 200


class ModelNotFoundError(FileNotFoundError):
    """The configured speech model is not installed; the message says what to run."""


@dataclass(frozen=True)
class Transcript:
    text: str
    seconds: float  # audio duration
    rtf: float  # processing time / audio duration
    language: str
    elapsed_s: float = 0.0
    # How sure the engine is of `text`, 0..1 (mean token probability of the best hypothesis);
    # 1.0 when the engine gives no score.
    confidence: float = 1.0
    # Other hypotheses, best first, `text` not repeated (n-best where the engine has it).
    alternatives: tuple[str, ...] = ()


class Transcriber(Protocol):
    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript: ...


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


def build_prompt(settings: SttSettings) -> tuple[str | None, str | None]:
    """(initial_prompt, hotwords) from business vocabulary and town names.

    Whisper continues the style of its prompt, so a short French phrase listing the expected
    words biases spelling of trade terms and places without inventing content.
    """
    words = [w.strip() for w in (*settings.vocabulary, *settings.towns) if w.strip()]
    hotwords = ", ".join(dict.fromkeys(words))[:_MAX_PROMPT_CHARS] or None
    return settings.initial_prompt, hotwords


_Key = tuple[str, str, int, int]
_models: dict[_Key, WhisperModel] = {}
_pools: dict[_Key, ThreadPoolExecutor] = {}
_models_lock = threading.Lock()


def _key(settings: SttSettings) -> _Key:
    source = resolve_model(settings)
    return (str(source), settings.compute_type, settings.cpu_threads, settings.workers)


def load_model(settings: SttSettings) -> WhisperModel:
    """Load (once per process) the Whisper model the settings name."""
    key = _key(settings)
    with _models_lock:
        if key not in _models:
            if not settings.allow_download:
                # Belt and braces: nothing below may reach the network at run time.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from faster_whisper import WhisperModel

            started = time.perf_counter()
            _models[key] = WhisperModel(
                key[0],
                device="cpu",
                compute_type=settings.compute_type,
                cpu_threads=settings.cpu_threads,
                num_workers=settings.workers,
                download_root=str(settings.models_dir / "whisper" / "hub"),
                local_files_only=not settings.allow_download,
            )
            log.info(
                "loaded Whisper %s (%s) in %.2f s",
                key[0],
                settings.compute_type,
                time.perf_counter() - started,
            )
        return _models[key]


def _shared_pool(key: _Key, workers: int) -> ThreadPoolExecutor:
    """One bounded pool per loaded model: every call's transcriber queues on the same
    `workers` threads, so N concurrent calls never run more than `workers` inferences."""
    with _models_lock:
        if key not in _pools:
            _pools[key] = ThreadPoolExecutor(workers, thread_name_prefix="whisper")
        return _pools[key]


class WhisperTranscriber:
    """faster-whisper behind the Transcriber protocol. Construct once, share across calls."""

    def __init__(self, settings: SttSettings, model: WhisperModel | None = None) -> None:
        self.settings = settings
        if model is None:
            self.model, key = load_model(settings), _key(settings)
        else:  # an injected model (tests, benches) gets its own bounded pool
            self.model, key = model, (f"injected:{id(model)}", "", 0, settings.workers)
        self._pool = _shared_pool(key, settings.workers)
        self._prompt, self._hotwords = build_prompt(settings)

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self.transcribe_sync, pcm16k, hint)

    def transcribe_sync(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        """Blocking transcription (the CLI and benches use it directly)."""
        seconds = pcm16k.size / STT_RATE
        if pcm16k.size == 0:
            return Transcript("", 0.0, 0.0, self.settings.language)
        started = time.perf_counter()
        segments, info = self.model.transcribe(
            to_float(np.asarray(pcm16k, dtype=np.int16)),
            language=self.settings.language,
            beam_size=self.settings.beam_size,
            initial_prompt=self._prompt,
            hotwords=self._hotwords,
            condition_on_previous_text=False,
            without_timestamps=True,
            # No temperature fallback: on phone audio the low-confidence check often fires and
            # the sampled retry doubles latency for no better text (same WER on speech-fr).
            # Runaway repetition is bounded by the token cap instead.
            temperature=0.0,
            max_new_tokens=min(_MAX_NEW_TOKENS, int(seconds * _TOKENS_PER_SECOND) + 20),
            vad_filter=False,  # turns are already endpointed
        )
        # The generator is lazy: decoding happens here, inside the worker thread.
        text = " ".join(segment.text.strip() for segment in segments).strip()
        elapsed = time.perf_counter() - started
        return Transcript(text, seconds, elapsed / max(seconds, 1e-6), info.language, elapsed)
