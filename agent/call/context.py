"""What a conversation sees of its call: caller audio in, speech out, DTMF, hang up."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from agent.ari.models import Channel
from agent.call.ports import Voice
from agent.media.codecs import Codec, Pcm
from agent.media.rtp_stream import Playback, RtpStream

AUDIO_QUEUE_FRAMES = 1500  # 30 s of 20 ms frames: a stalled consumer never grows memory


@dataclass
class CallContext:
    channel: Channel
    codec: Codec
    stream: RtpStream
    voice: Voice
    audio: asyncio.Queue[Pcm] = field(
        default_factory=lambda: asyncio.Queue(maxsize=AUDIO_QUEUE_FRAMES)
    )
    dtmf: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    transcript: list[dict[str, Any]] = field(default_factory=list)
    answered_at: float = field(default_factory=time.monotonic)

    @property
    def caller_number(self) -> str:
        return self.channel.caller_number

    def push_audio(self, samples: Pcm) -> None:
        if self.audio.full():
            self.audio.get_nowait()  # drop the oldest frame, keep the latest speech
        self.audio.put_nowait(samples)

    def note(self, speaker: str, text: str, **extra: Any) -> None:
        at_ms = int((time.monotonic() - self.answered_at) * 1000)
        self.transcript.append({"speaker": speaker, "text": text, "at_ms": at_ms, **extra})

    async def say(self, text: str, *, wait: bool = True) -> Playback:
        """Speak to the caller; returns the playback (heard_ms tells how much was heard)."""
        samples = await self.voice.render(text, self.codec.sample_rate)
        playback = self.stream.play(samples)
        self.note("agent", text)
        if wait:
            await playback.done
        return playback

    def play(self, samples: Pcm) -> Playback:
        return self.stream.play(samples)


class Conversation(Protocol):
    """The behaviour of the agent on one call; returns the call's outcome."""

    async def run(self, call: CallContext) -> str: ...


class GreetAndListen:
    """Greets the caller with the business greeting, then listens until they hang up."""

    def __init__(self, greeting: str) -> None:
        self.greeting = greeting

    async def run(self, call: CallContext) -> str:
        await call.say(self.greeting)
        while True:
            await call.audio.get()
