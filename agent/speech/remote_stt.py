"""Transcribers served by another machine, and the fallback that keeps calls going without it.

`WyomingTranscriber` and `OpenAiTranscriber` implement the Transcriber protocol on one server
each and raise RemoteSpeechError when it fails a turn. `FallbackTranscriber` is what the call
gets (agent.speech.stt_engines): the remote engine while it answers, the box's own engine for
the turns it does not (`fallback = "local"`), or SpeechUnavailableError (`fallback = "none"`),
which sends the caller to the dialplan fallback. One warning per outage (agent.speech.remote).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from agent.speech import openai_client, wyoming_client
from agent.speech.audio import STT_RATE, Pcm
from agent.speech.decoding import DecodePlan, collapse_repeats, echoes_question, plan
from agent.speech.hallucinations import is_hallucination
from agent.speech.hint import Hint
from agent.speech.remote import Outage, RemoteSpeechError, SpeechUnavailableError
from agent.speech.settings import SttSettings
from agent.speech.stt import NO_SPEECH, Transcriber, Transcript

__all__ = ["FallbackTranscriber", "OpenAiTranscriber", "WyomingTranscriber"]

log = logging.getLogger(__name__)

# The local rule for silence (faster-whisper's): <|nospeech|> above NO_SPEECH with a mean
# log-prob under this.
_LOGPROB_FLOOR = -1.0


def _clean(text: str, decoding: DecodePlan) -> str:
    """The remote text with Whisper's loops cut and the prompt's question, given back on
    noise, dropped, as for a local turn (agent.speech.stt)."""
    text = collapse_repeats(text.strip())
    if echoes_question(text, decoding.question) or is_hallucination(text):
        return ""
    return text


# What a protocol does with one turn: (cleaned text, confidence), given the decoding plan and the
# timeout in seconds; raises RemoteSpeechError when the server fails it.
_Read = Callable[[DecodePlan, float], Awaitable[tuple[str, float]]]


async def _remote_turn(
    settings: SttSettings, pcm16k: Pcm, hint: Hint | None, read: _Read
) -> Transcript:
    """The frame every remote protocol shares: silence answered without a request, the same
    decoding plan as a local turn, the configured timeout, the turn timed."""
    seconds = pcm16k.size / STT_RATE
    if pcm16k.size == 0:
        return Transcript("", 0.0, 0.0, settings.language)
    started = time.perf_counter()
    text, confidence = await read(plan(hint, settings, seconds), settings.timeout_ms / 1000)
    elapsed = time.perf_counter() - started
    rtf = elapsed / max(seconds, 1e-6)
    return Transcript(text, seconds, rtf, settings.language, elapsed, confidence)


class WyomingTranscriber:
    """A Wyoming ASR server (wyoming-faster-whisper...). The turn is streamed in 100 ms
    chunks with its language and the question's phrases; the protocol gives back text only,
    so confidence is 1.0 and there are no alternatives."""

    def __init__(self, settings: SttSettings) -> None:
        assert settings.uri is not None  # checked at config load
        self.settings = settings
        self.uri = settings.uri

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        async def read(decoding: DecodePlan, timeout_s: float) -> tuple[str, float]:
            request = wyoming_client.SttRequest(
                self.settings.language,
                names=decoding.phrases,
                terms=self.settings.vocabulary,
                prompt=decoding.prompt,
            )
            text = await wyoming_client.transcribe(self.uri, pcm16k, request, timeout_s)
            return _clean(text, decoding), 1.0

        return await _remote_turn(self.settings, pcm16k, hint, read)


class OpenAiTranscriber:
    """An OpenAI-compatible server: the turn as a WAV with the per-question prompt (the
    question and its phrases, as the local engine is told), `model` and `language`."""

    def __init__(self, settings: SttSettings) -> None:
        assert settings.uri is not None  # checked at config load
        self.settings = settings
        self.uri = settings.uri

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        async def read(decoding: DecodePlan, timeout_s: float) -> tuple[str, float]:
            reading = await openai_client.transcribe(
                self.uri,
                pcm16k,
                model=self.settings.remote_model,
                language=self.settings.language,
                prompt=decoding.prompt,
                timeout_s=timeout_s,
            )
            text, confidence = _clean(reading.text, decoding), 1.0
            if reading.probability is not None:
                confidence = reading.probability * (1.0 - reading.no_speech_prob)
                if reading.no_speech_prob > NO_SPEECH and reading.mean_logprob < _LOGPROB_FLOOR:
                    text = ""
            return text, confidence if text else 0.0

        return await _remote_turn(self.settings, pcm16k, hint, read)


class FallbackTranscriber:
    """The remote engine while its server answers; else `local` for that turn, or
    SpeechUnavailableError when there is none. While the server is down, turns go straight
    to `local` and the server is tried again after a back-off (no restart needed)."""

    def __init__(self, remote: Transcriber, local: Transcriber | None, label: str) -> None:
        self.remote = remote
        self.local = local
        self.outage = Outage(label)

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        local = self.local
        if local is None:
            try:
                return await self._remote(pcm16k, hint, "calls go to the dialplan fallback")
            except RemoteSpeechError as exc:
                raise SpeechUnavailableError(str(exc)) from exc
        if self.outage.worth_trying():
            try:
                return await self._remote(pcm16k, hint, "the local engine hears the turns")
            except RemoteSpeechError:
                pass  # logged once per outage by Outage
        return await local.transcribe(pcm16k, hint)

    async def _remote(self, pcm16k: Pcm, hint: Hint | None, fallback: str) -> Transcript:
        try:
            transcript = await self.remote.transcribe(pcm16k, hint)
        except RemoteSpeechError as exc:
            self.outage.failed(exc, fallback)
            raise
        self.outage.succeeded()
        return transcript
