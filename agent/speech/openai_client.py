"""OpenAI-compatible `POST {uri}/audio/transcriptions` (faster-whisper-server, speaches, vLLM):
one multipart upload per turn (a WAV, `model`, `language`, `prompt`), bounded in time.

`response_format=verbose_json` asks for the segments' scores where the server has them, so a
remote turn gets a confidence like a local one; a server that only gives `text` is read too.
Every failure is a RemoteSpeechError (agent.speech.remote decides what follows).
"""

from __future__ import annotations

import asyncio
import io
import json
import math
import wave
from dataclasses import dataclass
from typing import Any

import aiohttp
import numpy as np

from agent.speech.audio import STT_RATE, Pcm
from agent.speech.remote import RemoteSpeechError

__all__ = ["Reading", "transcribe", "wav_bytes"]


@dataclass(frozen=True)
class Reading:
    text: str
    # exp(mean token log-prob) of the segments; None when the server gave no segments.
    probability: float | None = None
    # The highest <|nospeech|> probability of the segments (0 when none given).
    no_speech_prob: float = 0.0
    mean_logprob: float = 0.0


def wav_bytes(pcm16k: Pcm, rate: int = STT_RATE) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.asarray(pcm16k, dtype="<i2").tobytes())
    return out.getvalue()


def _form(pcm16k: Pcm, model: str, language: str, prompt: str | None) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("file", wav_bytes(pcm16k), filename="turn.wav", content_type="audio/wav")
    form.add_field("model", model)
    form.add_field("language", language)
    form.add_field("response_format", "verbose_json")
    form.add_field("temperature", "0")
    if prompt:
        form.add_field("prompt", prompt)
    return form


async def transcribe(
    uri: str, pcm16k: Pcm, *, model: str, language: str, prompt: str | None, timeout_s: float
) -> Reading:
    url = uri.rstrip("/") + "/audio/transcriptions"
    try:
        async with (
            asyncio.timeout(timeout_s),
            aiohttp.ClientSession() as session,
            session.post(url, data=_form(pcm16k, model, language, prompt)) as answer,
        ):
            body = await answer.read()
            status = answer.status
    except TimeoutError as exc:
        raise RemoteSpeechError(f"{url}: no answer within {timeout_s * 1000:.0f} ms") from exc
    except (aiohttp.ClientError, OSError) as exc:
        raise RemoteSpeechError(f"{url}: {type(exc).__name__}: {exc}") from exc
    if status != 200:
        raise RemoteSpeechError(f"{url}: HTTP {status}: {body[:200]!r}")
    return parse(body, url)


def parse(body: bytes, url: str = "server") -> Reading:
    """The text and scores of a JSON or verbose_json answer; RemoteSpeechError otherwise."""
    try:
        data: Any = json.loads(body)
    except ValueError as exc:
        raise RemoteSpeechError(f"{url}: answer is not JSON: {body[:80]!r}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise RemoteSpeechError(f"{url}: answer has no text: {body[:80]!r}")
    segments = data.get("segments")
    if not isinstance(segments, list) or not segments:
        return Reading(data["text"])
    try:
        weights = [max(len(s.get("tokens") or ()), 1) for s in segments]
        logprob = sum(float(s["avg_logprob"]) * w for s, w in zip(segments, weights, strict=True))
        mean = logprob / sum(weights)
        no_speech = max(float(s.get("no_speech_prob", 0.0)) for s in segments)
    except (KeyError, TypeError, ValueError, AttributeError):
        return Reading(data["text"])  # segments without scores: the text alone
    return Reading(data["text"], math.exp(mean), no_speech, mean)
