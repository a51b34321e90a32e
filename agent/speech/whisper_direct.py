"""Whisper driven directly through CTranslate2: n-best, scores and a window fitted to the audio.

faster-whisper's `transcribe` returns one hypothesis and always pads the log-mel features to a
30 s window. For a caller's turn we want several hypotheses (to match them against the towns
and streets of the area), a per-hypothesis score (the confidence of the field) and an encoder
input only as long as the audio needs (the encoder cost grows with the window: 785 ms for 30 s
against 120 ms for 10 s on 2 threads). The prompt, the suppressed tokens and the feature
extraction are built exactly as faster-whisper 1.2 builds them (`get_prompt`,
`get_suppressed_tokens`, `pad_or_trim`), so the same model gives the same kind of text.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from ctranslate2 import StorageView
    from ctranslate2.models import WhisperGenerationResult
    from faster_whisper import WhisperModel

__all__ = ["FULL", "Decoded", "DirectWhisper", "GenerateOptions", "Hypothesis", "WindowRule"]

# Readings scored in one align call: the decoder runs teacher-forced over each, with the
# vocabulary projection at every token (the cost grows with readings x tokens).
SCORE_BATCH = 16

# One log-mel frame is 10 ms (hop 160 at 16 kHz); Whisper's full window is 3000 frames.
FRAMES_PER_SECOND = 100
FULL_WINDOW = 3000
# Whisper's decoder holds 448 positions: prompt + generated tokens must fit.
MAX_LENGTH = 448
# A prompt longer than this makes base loop on it ("Rue de la Rue de la République, Rue"),
# and it leaves room for the answer.
MAX_PROMPT_TOKENS = 96
# The tokens a letters-only reading may write: one letter, a separator, or a word callers
# spell with. Without these words Whisper wrote "Alors, ..." as "a-l-o-r": `make
# eval-spelling` list names right 53 of 110 from the letters-only reading alone, 63 with them
# (68 and 71 read together with the free reading).
_SPELLING = re.compile(
    r"^\s?(?:[A-Za-zÉÈÊËÏÎÔÇéèêëïîôç]|[,.\-']+|\s|deux|double|alors|c|est|comme|accent"
    r"|aigu|grave|circonflexe|tréma|cédille|trait|union|euh|voilà)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WindowRule:
    """Encoder window for a turn: max(audio x scale, audio + margin, floor), at most 30 s.

    Whisper was trained on 30 s windows padded after the speech; some padding keeps it from
    hurrying or looping at the end, while every second of window costs encoder time."""

    margin_s: float
    floor_s: float
    scale: float = 1.0

    def frames(self, content_frames: int) -> int:
        wanted = max(
            int(content_frames * self.scale),
            content_frames + int(self.margin_s * FRAMES_PER_SECOND),
            int(self.floor_s * FRAMES_PER_SECOND),
        )
        # The encoder halves the frames with a stride-2 convolution: keep the count even.
        return min(FULL_WINDOW, wanted + wanted % 2)


FULL = WindowRule(0.0, FULL_WINDOW / FRAMES_PER_SECOND)


@dataclass(frozen=True)
class Hypothesis:
    text: str
    tokens: int
    # Mean log-probability per token, end-of-text token included (faster-whisper's avg_logprob).
    avg_logprob: float

    @property
    def probability(self) -> float:
        """Geometric mean of the token probabilities, 0..1."""
        return math.exp(self.avg_logprob)


@dataclass(frozen=True)
class GenerateOptions:
    """What one generate call shares across its batch (CTranslate2 takes them per call, and
    the prompts' length too): turns with equal options may share one generate call."""

    prompt_length: int
    beam_size: int
    num_hypotheses: int
    max_length: int
    letters_only: bool = False  # only the spelling alphabet (whisper_direct._SPELLING)

    @classmethod
    def of(
        cls,
        prompt: list[int],
        beam_size: int,
        num_hypotheses: int,
        max_new_tokens: int,
        letters_only: bool = False,
    ) -> GenerateOptions:
        return cls(
            len(prompt),
            beam_size,
            min(num_hypotheses, beam_size),
            min(MAX_LENGTH, len(prompt) + max_new_tokens),
            letters_only,
        )


@dataclass(frozen=True)
class Decoded:
    hypotheses: tuple[Hypothesis, ...]  # best first (beam order)
    no_speech_prob: float  # Whisper's <|nospeech|> probability at the first step
    window_s: float
    elapsed_s: float


class DirectWhisper:
    """Encode + generate on a loaded faster-whisper model, for one language."""

    def __init__(self, model: WhisperModel, language: str) -> None:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self._model = model
        self._tokenizer = Tokenizer(
            model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=language
        )
        # [-1]: the model's default non-speech symbols, plus the task/special tokens.
        self._suppress = list(get_suppressed_tokens(self._tokenizer, [-1]) or ())
        # Built here (~0.15 s over the ~50k tokens), not on a caller's first spelling.
        self._letters_suppress = self._spelling_suppressed()

    def features(self, audio: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Log-mel features (n_mels, frames) of float audio at 16 kHz, unpadded.

        The extractor pads 160 samples and yields one frame more than the audio holds;
        faster-whisper decodes `shape[-1] - 1` content frames, and so do we (that frame
        alone moved speech-fr's WER from 0.40 to 0.44 in the 30 s window)."""
        mel: npt.NDArray[np.float32] = self._model.feature_extractor(audio)
        return mel[:, :-1]

    def prompt_tokens(self, prompt: str | None) -> list[int]:
        """<|startofprev|> prompt <|startoftranscript|><|fr|><|transcribe|><|notimestamps|>,
        the prompt cut to MAX_PROMPT_TOKENS (its start kept: the question and the first
        phrases, ordered by the caller from most to least likely)."""
        tokens: list[int] = []
        text = (prompt or "").strip()
        if text:
            tokens.append(self._tokenizer.sot_prev)
            tokens.extend(self._tokenizer.encode(" " + text)[:MAX_PROMPT_TOKENS])
        tokens.extend(self._tokenizer.sot_sequence)
        tokens.append(self._tokenizer.no_timestamps)
        return tokens

    def decode(
        self,
        mel: npt.NDArray[np.float32],
        *,
        window: int,
        prompt: str | None,
        beam_size: int,
        num_hypotheses: int,
        max_new_tokens: int,
    ) -> Decoded:
        """Decode the first `window` frames of `mel` (zero-padded like faster-whisper)."""
        started = time.perf_counter()
        encoded = self.encode([mel], window)
        tokens = self.prompt_tokens(prompt)
        options = GenerateOptions.of(tokens, beam_size, num_hypotheses, max_new_tokens)
        (result,) = self.generate(encoded, [tokens], options)
        return self.decoded(result, window, time.perf_counter() - started)

    def encode(self, mels: Sequence[npt.NDArray[np.float32]], window: int) -> StorageView:
        """One encoder call for a batch of turns sharing one window: each `mel` is cut or
        zero-padded to `window` frames. The encoder takes no mask, so padding a turn to
        another's window would change its reading: callers batch equal windows only (then
        each row is bit-identical to encoding it alone, checked on CTranslate2 4.8)."""
        import ctranslate2

        rows = [_fitted(mel, window) for mel in mels]
        batch = np.ascontiguousarray(np.stack(rows), dtype=np.float32)
        return self._model.model.encode(ctranslate2.StorageView.from_array(batch))

    def generate(
        self, encoded: StorageView, prompts: list[list[int]], options: GenerateOptions
    ) -> list[WhisperGenerationResult]:
        """One generate call for a batch of encoded turns. CTranslate2 takes one beam size
        and length for the batch and needs <|startoftranscript|> at the same position in
        every prompt, so a batch shares `options` and its prompts one length."""
        results: list[WhisperGenerationResult] = self._model.model.generate(
            encoded,
            prompts,
            beam_size=options.beam_size,
            num_hypotheses=options.num_hypotheses,
            max_length=options.max_length,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self._letters_suppress if options.letters_only else self._suppress,
        )
        return results

    def _spelling_suppressed(self) -> list[int]:
        """The suppressed tokens of a letters-only reading: every text token but a letter,
        the words callers spell with ("deux L", "E accent aigu", "alors, c'est") and
        separators, and the usual ones."""
        tokenizer = self._tokenizer
        text_tokens = range(tokenizer.eot)
        spelling = {i for i in text_tokens if _SPELLING.match(tokenizer.decode([i]))}
        return sorted((set(text_tokens) - spelling) | set(self._suppress))

    def score(
        self, mel: npt.NDArray[np.float32], *, window: int, prompt: str | None, texts: Sequence[str]
    ) -> list[float]:
        """Log-probability of each text as the transcript of the first `window` frames of
        `mel`, teacher-forced with the turn's prompt: which of a closed set of readings the
        audio supports best ("au 42" or "au 40 de"), where free decoding writes what it
        guesses. One encoder pass, shared by every text. CTranslate2's `align` adds
        <|notimestamps|> after the start sequence and scores the text tokens over the text
        vocabulary (no end-of-text term: compare readings of one shape, not lengths)."""
        import ctranslate2

        encoded = np.asarray(self.encode([mel], window))
        start = self.prompt_tokens(prompt)[:-1]  # without <|notimestamps|>
        frames = min(window, mel.shape[-1])
        scores: list[float] = []
        for first in range(0, len(texts), SCORE_BATCH):
            chunk = texts[first : first + SCORE_BATCH]
            tokens = [self._tokenizer.encode(" " + t.strip()) for t in chunk]
            rows = np.ascontiguousarray(np.repeat(encoded, len(chunk), axis=0))
            results = self._model.model.align(
                ctranslate2.StorageView.from_array(rows), start, tokens, frames
            )
            scores += [sum(math.log(max(p, 1e-12)) for p in r.text_token_probs) for r in results]
        return scores

    def decoded(self, result: WhisperGenerationResult, window: int, elapsed: float) -> Decoded:
        hypotheses = tuple(
            self._hypothesis(ids, score)
            for ids, score in zip(result.sequences_ids, result.scores, strict=True)
        )
        seconds = window / FRAMES_PER_SECOND
        return Decoded(hypotheses, float(result.no_speech_prob), seconds, elapsed)

    def _hypothesis(self, ids: list[int], score: float) -> Hypothesis:
        # CTranslate2's score is the cumulated log-prob divided by length ** length_penalty
        # (1.0): undo it and count the end-of-text token, as faster-whisper does.
        cumulated = score * max(len(ids), 1)
        text = self._tokenizer.decode(ids).strip()
        return Hypothesis(text, len(ids), cumulated / (len(ids) + 1))


def _fitted(mel: npt.NDArray[np.float32], window: int) -> npt.NDArray[np.float32]:
    """The first `window` frames of `mel`, zero-padded like faster-whisper's pad_or_trim."""
    segment = mel[:, :window]
    if segment.shape[-1] < window:
        segment = np.pad(segment, ((0, 0), (0, window - segment.shape[-1])))
    return segment
