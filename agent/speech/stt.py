"""Speech to text: the `Transcriber` protocol and its faster-whisper implementation.

The Whisper model is loaded once per process and shared by every call; inference runs in a
small bounded thread pool so concurrent calls queue instead of oversubscribing the cores.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from agent.speech.audio import STT_RATE, Pcm, to_float
from agent.speech.decoding import (
    DecodePlan,
    collapse_repeats,
    drop_cut_repeat,
    echoes_question,
    plan,
)
from agent.speech.hallucinations import is_hallucination, is_hint_echo
from agent.speech.hint import Hint
from agent.speech.paths import whisper_dir
from agent.speech.settings import SttSettings
from agent.speech.whisper_direct import (
    FULL_WINDOW,
    Decoded,
    DirectWhisper,
    Hypothesis,
    WindowRule,
)

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = logging.getLogger(__name__)

FloatAudio = npt.NDArray[np.float32]

# Sizes faster-whisper knows how to download (for the error message and the installer).
KNOWN_MODELS = ("tiny", "base", "small", "medium", "large-v3", "large-v3-turbo", "turbo")
# Longer audio (a file, not a turn: turns are cut at 15 s) goes through faster-whisper's
# timestamped windows. Measured on 115 s of speech-fr: 315 words heard for 306 said, WER
# 0.54; cutting it at pauses into 12-22 s pieces decoded like turns lost whole sentences
# (281 words, WER 0.58): without timestamps Whisper may end a long window early. Up to 25 s
# the direct path still leaves 5 s of padding in the 30 s window.
LONG_AUDIO_S = 25.0
# Encoder window of a turn: max(2 x audio, audio + 3 s, 6 s), at most 30 s. Measured with
# `python -m agent.speech.decode_eval` through the phone channel, variants interleaved:
# speech-fr (7-23 s) WER 0.402 as the 30 s window, median 1.32 s against 1.89 s per clip;
# 28 short Pico answers WER 0.336 against 0.356, 0.40 s against 1.23 s. Tighter windows
# (audio + 2 s, floor 4 s) loop and lose words (speech-fr 0.467).
WINDOW_RULE = WindowRule(margin_s=3.0, floor_s=6.0, scale=2.0)
# Below this confidence a transcript made only of the prompt's phrases is taken as noise:
# measured on line noise under town/street hints at most 0.22, on bare spoken answers at
# least 0.44 ("Toulouse, Balma").
ECHO_CONFIDENCE = 0.35
# faster-whisper's silence rule: <|nospeech|> above 0.6 with a mean log-prob under -1.
NO_SPEECH = 0.6
LOGPROB_FLOOR = -1.0
# A turn whose readings are all punctuation ("? ? ? ?") is still speech when <|nospeech|> is
# under this: Pico answers cut by the endpointing through μ-law at most 0.21 (a "Oui." read
# as "? ? ? ?" 0.14), line noise under every hint at least 0.45. Such a turn is "unclear",
# not noise: the caller said something and must be asked again, not left in silence.
UNCLEAR_NO_SPEECH = 0.3


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
    # Speech was heard but no word could be read (`text` is empty): not noise.
    unclear: bool = False


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
        self._direct = DirectWhisper(self.model, settings.language)
        # The turn window rule (the evaluation compares others by changing these).
        self.window_rule = WINDOW_RULE

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self.transcribe_sync, pcm16k, hint)

    def transcribe_sync(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        """Blocking transcription (the CLI and benches use it directly)."""
        seconds = pcm16k.size / STT_RATE
        if pcm16k.size == 0:
            return Transcript("", 0.0, 0.0, self.settings.language)
        started = time.perf_counter()
        audio = to_float(np.asarray(pcm16k, dtype=np.int16))
        decoding = plan(hint, self.settings, seconds)
        unclear = False
        if seconds > LONG_AUDIO_S:
            text, confidence, alternatives = self._long(audio, decoding)
        else:
            text, confidence, alternatives, unclear = self._turn(audio, decoding)
        elapsed = time.perf_counter() - started
        return Transcript(
            text,
            seconds,
            elapsed / max(seconds, 1e-6),
            self.settings.language,
            elapsed,
            confidence,
            alternatives,
            unclear,
        )

    def _turn(self, audio: FloatAudio, decoding: DecodePlan) -> _Read:
        """One caller turn: a window fitted to the audio, n-best with scores."""
        mel = self._direct.features(audio)
        window = self.window_rule.frames(mel.shape[-1])
        decoded = self._decode(mel, window, decoding)
        if window < FULL_WINDOW and _loops(decoded.hypotheses[0], decoding):
            # Short windows loop more often ("J'habite à Colomiers. J'habite à Colomiers."):
            # the 30 s window, trained on, usually ends the sentence where the speech ends.
            decoded = self._decode(mel, FULL_WINDOW, decoding)
        read = _read(decoded, decoding)
        if not read[0] and _speech_given_back(decoded, decoding):
            # Speech was there but the question came back: decode once more without it,
            # and never take such a turn for silence (the caller did answer).
            retry = decoding.without_question()
            text, confidence, alternatives, _ = _read(self._decode(mel, window, retry), retry)
            return text, confidence, alternatives, not text
        return read

    def _decode(self, mel: FloatAudio, window: int, decoding: DecodePlan) -> Decoded:
        return self._direct.decode(
            mel,
            window=window,
            prompt=decoding.prompt,
            beam_size=decoding.beam_size,
            num_hypotheses=decoding.num_hypotheses,
            max_new_tokens=decoding.max_new_tokens,
        )

    def _long(self, audio: FloatAudio, decoding: DecodePlan) -> tuple[str, float, tuple[str, ...]]:
        """A recording longer than one window: faster-whisper's own 30 s windows, which seek
        on the timestamps it predicts, so no word is lost at a window edge and no per-turn
        token budget applies (each window may use Whisper's whole 448 positions)."""
        segments, _ = self.model.transcribe(
            audio,
            language=self.settings.language,
            beam_size=self.settings.beam_size,
            hotwords=decoding.prompt,
            condition_on_previous_text=False,
            without_timestamps=False,
            temperature=0.0,
            vad_filter=False,
        )
        texts: list[str] = []
        logprob, tokens = 0.0, 0
        for segment in segments:  # lazy: decoding happens here, in the worker thread
            if segment.text.strip() and not is_hallucination(segment.text):
                texts.append(segment.text.strip())
            logprob += segment.avg_logprob * len(segment.tokens)
            tokens += len(segment.tokens)
        confidence = math.exp(logprob / tokens) if tokens else 0.0
        return " ".join(texts), confidence, ()


def _speech_given_back(decoded: Decoded, decoding: DecodePlan) -> bool:
    """The likeliest reading is the prompt's question or an invention while <|nospeech|>
    says speech: measured 0.02 on "Gérard Lemoine." read as "C'est à quel nom ?" (Pico
    through μ-law), against at least 0.45 on line noise under every hint."""
    best = collapse_repeats(decoded.hypotheses[0].text)
    given_back = echoes_question(best, decoding.question) or is_hallucination(best)
    return given_back and decoded.no_speech_prob < UNCLEAR_NO_SPEECH


def _loops(best: Hypothesis, decoding: DecodePlan) -> bool:
    """The decoder ran out of budget or repeated itself."""
    return best.tokens >= decoding.max_new_tokens or collapse_repeats(best.text) != best.text


def _clean(hypothesis: Hypothesis, decoding: DecodePlan) -> str:
    text = collapse_repeats(hypothesis.text)
    return drop_cut_repeat(text) if hypothesis.tokens >= decoding.max_new_tokens else text


# (text, confidence, alternatives, unclear)
_Read = tuple[str, float, tuple[str, ...], bool]


def _read(decoded: Decoded, decoding: DecodePlan) -> _Read:
    """(text, confidence, alternatives, unclear) from the n-best: loops cut, inventions
    dropped, speech without a readable word told apart from noise."""
    cleaned = [_clean(h, decoding) for h in decoded.hypotheses]
    best, best_text = decoded.hypotheses[0], cleaned[0]
    if decoded.no_speech_prob > NO_SPEECH and best.avg_logprob < LOGPROB_FLOOR:
        return "", 0.0, (), False  # Whisper's own silence rule (faster-whisper's defaults)
    if not any(c.isalnum() for c in best_text):
        # Punctuation only ("? ? ? ?" for a garbled "Oui."): speech or noise by <|nospeech|>.
        return "", 0.0, (), decoded.no_speech_prob < UNCLEAR_NO_SPEECH
    if is_hallucination(best_text) or echoes_question(best_text, decoding.question):
        # The likeliest reading is an invention or the prompt given back: nothing was said.
        return "", 0.0, (), False
    # Noise that the prompt talked into words ("Cugnaux." on line hiss) has token
    # probabilities like a mumbled answer (0.3-0.5) but a high <|nospeech|> probability
    # (0.45-0.73 measured, against at most 0.10 on Pico answers through μ-law): both count.
    confidence = best.probability * (1.0 - decoded.no_speech_prob)
    if is_hint_echo(best_text, decoding.phrases) and confidence < ECHO_CONFIDENCE:
        # Noise answered with the prompt's own words ("Villeurbanne, Villeurbanne").
        return "", confidence, (), False
    texts = [
        text
        for text in cleaned
        if not is_hallucination(text) and not echoes_question(text, decoding.question)
    ]
    distinct = tuple(dict.fromkeys(texts))
    return distinct[0], confidence, distinct[1:], False
