"""Wyoming protocol requests (Home Assistant's voice servers: wyoming-faster-whisper,
wyoming-piper...), through the `wyoming` package: one connection per request, bounded in time.

Every failure (refused, reset, too slow, closed early, an answer that is not the protocol's)
is a RemoteSpeechError; what to do about it is the engines' business (agent.speech.remote).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import numpy as np
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.event import Event
from wyoming.tts import Synthesize, SynthesizeVoice

from agent.speech.audio import STT_RATE, Pcm
from agent.speech.remote import RemoteSpeechError, tcp_address

__all__ = ["SttRequest", "synthesize", "transcribe"]

# 100 ms of 16 kHz audio per chunk: the turn streams in pieces, as a microphone would send it.
CHUNK_SAMPLES = 1600
_WIDTH = 2  # int16

# What a broken server or a garbage answer raises inside the wyoming package (a JSON header
# that is not an object raises AttributeError there, a missing field KeyError...).
_BROKEN = (
    OSError,
    EOFError,
    TimeoutError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
)


@dataclass(frozen=True)
class SttRequest:
    language: str
    # Closed-set phrases worth biasing towards (the protocol's `transcript_names`) and the
    # trade words (`transcript_terms`); servers that do not support them ignore them.
    names: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    # The per-question prompt, in `context` (the protocol has no prompt field; a server may
    # read it, wyoming-faster-whisper uses its own --initial-prompt instead).
    prompt: str | None = None


@contextlib.asynccontextmanager
async def _connected(uri: str, timeout_s: float) -> AsyncIterator[AsyncTcpClient]:
    """A connection whose whole exchange must end within `timeout_s`."""
    try:
        host, port = tcp_address(uri)
    except ValueError as exc:
        raise RemoteSpeechError(str(exc)) from exc
    try:
        async with asyncio.timeout(timeout_s):
            client = AsyncTcpClient(host, port)
            await client.connect()
            try:
                yield client
            finally:
                await client.disconnect()
    except TimeoutError as exc:
        raise RemoteSpeechError(f"{uri}: no answer within {timeout_s * 1000:.0f} ms") from exc
    except RemoteSpeechError:
        raise
    except _BROKEN as exc:
        raise RemoteSpeechError(f"{uri}: {type(exc).__name__}: {exc}") from exc


async def _next(client: AsyncTcpClient, uri: str) -> Event:
    event = await client.read_event()
    if event is None:  # closed, or a line that is not JSON (the package reads both as None)
        raise RemoteSpeechError(f"{uri}: connection closed or unreadable answer")
    if Error.is_type(event.type):
        raise RemoteSpeechError(f"{uri}: server error: {Error.from_event(event).text}")
    return event


async def transcribe(uri: str, pcm16k: Pcm, request: SttRequest, timeout_s: float) -> str:
    """The server's text for one turn of 16 kHz audio, streamed in 100 ms chunks."""
    context = {"prompt": request.prompt} if request.prompt else None
    ask = Transcribe(
        language=request.language,
        context=context,
        transcript_names=list(request.names) or None,
        transcript_terms=list(request.terms) or None,
    )
    audio = np.asarray(pcm16k, dtype="<i2").tobytes()
    step = CHUNK_SAMPLES * _WIDTH
    async with _connected(uri, timeout_s) as client:
        await client.write_event(ask.event())
        await client.write_event(AudioStart(STT_RATE, _WIDTH, 1).event())
        for start in range(0, len(audio), step):
            chunk = AudioChunk(STT_RATE, _WIDTH, 1, audio[start : start + step])
            await client.write_event(chunk.event())
        await client.write_event(AudioStop().event())
        while True:
            event = await _next(client, uri)
            if Transcript.is_type(event.type):
                text = Transcript.from_event(event).text
                if not isinstance(text, str):
                    raise RemoteSpeechError(f"{uri}: transcript is not text: {text!r}")
                return text
            # Other events (transcript-start, streaming chunks) precede the final transcript.


async def synthesize(uri: str, text: str, voice: str | None, timeout_s: float) -> tuple[Pcm, int]:
    """(int16 samples, rate) of `text` from the audio chunks the server streams back; mono
    (a first channel is kept)."""
    ask = Synthesize(text=text, voice=SynthesizeVoice(name=voice) if voice else None)
    pieces: list[Pcm] = []
    rate = 0
    async with _connected(uri, timeout_s) as client:
        await client.write_event(ask.event())
        while True:
            event = await _next(client, uri)
            if AudioStop.is_type(event.type):
                break
            if AudioChunk.is_type(event.type):
                samples, chunk_rate = _samples(AudioChunk.from_event(event), uri)
                if rate and chunk_rate != rate:
                    raise RemoteSpeechError(f"{uri}: rate changed mid-answer")
                rate = chunk_rate
                pieces.append(samples)
    if not pieces:
        raise RemoteSpeechError(f"{uri}: no audio for {text[:40]!r}")
    return np.concatenate(pieces), rate


def _samples(chunk: AudioChunk, uri: str) -> tuple[Pcm, int]:
    if chunk.width != _WIDTH or chunk.channels < 1 or chunk.rate < 4000:
        raise RemoteSpeechError(
            f"{uri}: unsupported audio ({chunk.rate} Hz, {chunk.width * 8}-bit, "
            f"{chunk.channels} channels)"
        )
    data = chunk.audio[: len(chunk.audio) // (_WIDTH * chunk.channels) * _WIDTH * chunk.channels]
    samples = np.frombuffer(data, dtype="<i2").astype(np.int16)
    if chunk.channels > 1:
        samples = samples.reshape(-1, chunk.channels)[:, 0].copy()
    return samples, chunk.rate
