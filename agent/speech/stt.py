"""Speech to text: the `Transcriber` protocol and its faster-whisper implementation.

The Whisper model is loaded once per process (a `WhisperEngine`, built by `wiring`) and shared
by every call; its one worker decodes the turns of calls in parallel together, shortest
first (`whisper_batch`), instead of oversubscribing the cores.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass
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
from agent.speech.settings import SttSettings
from agent.speech.whisper_batch import DecodeRequest, TurnAudio
from agent.speech.whisper_direct import FULL_WINDOW, Decoded, Hypothesis, WindowRule
from agent.speech.whisper_engine import (
    ModelNotFoundError,
    WhisperEngine,
    resolve_model,
)

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

__all__ = [
    "ModelNotFoundError",
    "Transcriber",
    "Transcript",
    "WhisperEngine",
    "WhisperTranscriber",
    "resolve_model",
]

log = logging.getLogger(__name__)

FloatAudio = npt.NDArray[np.float32]

# Longer audio (a file, not a turn: turns are cut at 15 s) goes through faster-whisper's
# timestamped windows. Measured on 115 s of speech-fr: 315 words heard for 306 said, WER
# 0.54; cutting it at pauses into 12-22 s pieces decoded like turns lost whole sentences
# (281 words, WER 0.58): without timestamps Whisper may end a long window early. Up to 25 s
# the direct path still leaves 5 s of padding in the 30 s window.
LONG_AUDIO_S = 25.0
# Encoder window of a turn: max(2 x audio, audio + 3 s, 6 s), at most 30 s. Measured with
# `python -m devkit.eval.decode` through the phone channel, variants interleaved:
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
    # A spelled answer heard again with only letters allowed (agent.speech.letters), best
    # first; empty for other answers and engines that cannot constrain their vocabulary.
    letters: tuple[str, ...] = ()


class Transcriber(Protocol):
    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript: ...


class WhisperTranscriber:
    """faster-whisper behind the Transcriber protocol. Share one engine across calls: each
    transcriber built without one loads its own model."""

    def __init__(self, settings: SttSettings, engine: WhisperEngine | None = None) -> None:
        self.settings = settings
        self.engine = engine if engine is not None else WhisperEngine(settings)
        # The turn window rule (the evaluation compares others by changing these).
        self.window_rule = WINDOW_RULE

    @property
    def model(self) -> WhisperModel:
        return self.engine.model

    def sharing(self, settings: SttSettings) -> WhisperTranscriber:
        """Another set-up (vocabulary, towns, beam) on the same model and worker."""
        return WhisperTranscriber(settings, self.engine)

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        if pcm16k.size == 0:
            return Transcript("", 0.0, 0.0, self.settings.language)
        started = time.perf_counter()
        audio, decoding = self._prepare(pcm16k, hint)
        if audio.size / STT_RATE > LONG_AUDIO_S:
            read = await asyncio.wrap_future(self.engine.run(self._long, audio, decoding))
        else:
            steps = _turn(self._turn_audio(audio), decoding, self.window_rule)
            read = await _drive(steps, self.engine)
        return self._transcript(read, audio.size / STT_RATE, started)

    def transcribe_sync(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        """Blocking transcription (the CLI and benches use it directly); not from the
        worker thread itself."""
        if pcm16k.size == 0:
            return Transcript("", 0.0, 0.0, self.settings.language)
        started = time.perf_counter()
        audio, decoding = self._prepare(pcm16k, hint)
        if audio.size / STT_RATE > LONG_AUDIO_S:
            read = self.engine.run(self._long, audio, decoding).result()
        else:
            steps = _turn(self._turn_audio(audio), decoding, self.window_rule)
            read = _drive_sync(steps, self.engine)
        return self._transcript(read, audio.size / STT_RATE, started)

    async def score_texts(
        self, pcm16k: Pcm, hint: Hint | None, texts: Sequence[str]
    ) -> list[float]:
        """Log-probability of each text as what was said in `pcm16k` under the turn's prompt
        (`DirectWhisper.score`), on the worker between batches."""
        audio, decoding = self._prepare(pcm16k, hint)
        mel = self.engine.direct.features(audio)
        window = self.window_rule.frames(mel.shape[-1])
        score = functools.partial(
            self.engine.direct.score, mel, window=window, prompt=decoding.prompt, texts=texts
        )
        return await asyncio.wrap_future(self.engine.run(score))

    def _prepare(self, pcm16k: Pcm, hint: Hint | None) -> tuple[FloatAudio, DecodePlan]:
        audio = to_float(np.asarray(pcm16k, dtype=np.int16))
        return audio, plan(hint, self.settings, audio.size / STT_RATE)

    def _turn_audio(self, audio: FloatAudio) -> TurnAudio:
        return TurnAudio(audio, self.engine.direct.features)

    def _transcript(self, read: _Read, seconds: float, started: float) -> Transcript:
        text, confidence, alternatives, unclear = read
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

    def _long(self, audio: FloatAudio, decoding: DecodePlan) -> _Read:
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
        return " ".join(texts), confidence, (), False


# A turn's decodes, as requests to the engine: the first, and the retries it may need.
_Steps = Generator[DecodeRequest, Decoded, "_Read"]


def _turn(turn: TurnAudio, decoding: DecodePlan, rule: WindowRule) -> _Steps:
    """One caller turn: a window fitted to the audio, n-best with scores."""
    window = rule.frames(turn.frames)
    decoded = yield DecodeRequest(turn, window, decoding)
    if window < FULL_WINDOW and _loops(decoded.hypotheses[0], decoding):
        # Short windows loop more often ("J'habite à Colomiers. J'habite à Colomiers."):
        # the 30 s window, trained on, usually ends the sentence where the speech ends.
        log.debug(
            "loop in %d frames, decoding the full window: %r", window, decoded.hypotheses[0].text
        )
        decoded = yield DecodeRequest(turn, FULL_WINDOW, decoding)
    read = _read(decoded, decoding)
    if not read[0] and _speech_given_back(decoded, decoding):
        # Speech was there but the question came back: decode once more without it,
        # and never take such a turn for silence (the caller did answer).
        retry = decoding.without_question()
        again = yield DecodeRequest(turn, window, retry)
        text, confidence, alternatives, _ = _read(again, retry)
        return text, confidence, alternatives, not text
    return read


async def _drive(steps: _Steps, engine: WhisperEngine) -> _Read:
    """Run a turn's decodes on the engine's worker, awaiting each without blocking the loop."""
    try:
        request = next(steps)
        while True:
            request = steps.send(await asyncio.wrap_future(engine.decode(request)))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def _drive_sync(steps: _Steps, engine: WhisperEngine) -> _Read:
    try:
        request = next(steps)
        while True:
            request = steps.send(engine.decode(request).result())
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def _speech_given_back(decoded: Decoded, decoding: DecodePlan) -> bool:
    """The likeliest reading is the prompt's question or an invention while <|nospeech|>
    says speech: measured 0.02 on "Gérard Lemoine." read as "C'est à quel nom ?" (Pico
    through μ-law), against at least 0.45 on line noise under every hint."""
    best = collapse_repeats(decoded.hypotheses[0].text)
    given_back = echoes_question(best, decoding.question) or is_hallucination(best)
    return given_back and decoded.no_speech_prob < UNCLEAR_NO_SPEECH


def _loops(best: Hypothesis, decoding: DecodePlan) -> bool:
    """The decoder ran out of budget or repeated itself, other than by a whole sentence
    said twice: that copy is cut (`_clean`) without a full-window decode. Four bench calls
    at once gave "Le radiateur de la chambre ne chauffe plus. Le radiateur ..." in the 6 s
    window, and the 30 s re-decode (1.1-2.4 s on this box) took the turn to 3.4 s."""
    if best.tokens >= decoding.max_new_tokens:
        return True
    return collapse_repeats(best.text) != best.text and not _sentence_twice(best.text)


def _sentence_twice(text: str) -> bool:
    """ "S. S." (or "S ! S !"): one whole sentence, given back twice and nothing else."""
    half, rest = len(text) // 2, text.strip()
    first, second = rest[:half].strip(), rest[half:].strip()
    return bool(first) and first == second and first[-1] in ".!?"


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
