"""What a conversation sees of its call: caller audio in, speech out, DTMF, other legs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from agent.ari.models import Channel, Event
from agent.call.observer import CallStats
from agent.call.ports import CallControl, Voice
from agent.media.codecs import Codec, Pcm
from agent.media.rtp_stream import Playback, RtpStream
from agent.speech.stt import Transcript

AUDIO_QUEUE_FRAMES = 1500  # 30 s of 20 ms frames: a stalled consumer never grows memory


@dataclass
class CallContext:
    channel: Channel
    call_id: int
    codec: Codec
    stream: RtpStream
    voice: Voice
    control: CallControl
    # Route another channel's events (the artisan's mobile during a transfer) to `legs`.
    adopt_channel: Callable[[str], None]
    audio: asyncio.Queue[Pcm] = field(
        default_factory=lambda: asyncio.Queue(maxsize=AUDIO_QUEUE_FRAMES)
    )
    dtmf: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    legs: asyncio.Queue[Event] = field(default_factory=asyncio.Queue)
    transcript: list[dict[str, Any]] = field(default_factory=list)
    answered_at: float = field(default_factory=time.monotonic)
    recording_path: str | None = None
    # Where the caller's per-field clips go (the recordings folder); None: recording is off.
    clips_dir: Path | None = None
    # Set by a conversation that handed the caller to someone else (bridged transfer).
    keep_caller_on_end: bool = False
    # Set by the session before `caller_hung_up` when the caller was handed to the fallback
    # (storage failed), not gone: keep what was understood, text nobody.
    handed_back: bool = False
    # Set once the dialogue has ended and its lead is being saved (the goodbye may be
    # playing): a storage fault then no longer hands the caller to the mobile.
    closing: bool = False
    # Turn latencies, urgency, lead, transfer: the call's summary line and metrics.
    stats: CallStats = field(default_factory=CallStats)

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

    def note_heard(self, text: str, heard: Transcript, seconds: float, **extra: Any) -> None:
        """The caller's words, with how sure Whisper was and its other readings: what the
        dialogue read the answer from (a "Non." among them makes an "On..." no clear yes)."""
        others = {"alternatives": list(heard.alternatives)} if heard.alternatives else {}
        self.note("caller", text, seconds=round(seconds, 2), **extra,
                  confidence=round(heard.confidence, 3), **others)  # fmt: skip

    async def speak(self, text: str) -> Playback:
        """Queue speech for the caller and return at once (barge-in can cut it)."""
        samples = await self.voice.render(text, self.codec.sample_rate)
        self.note("agent", text)
        return self.stream.play(samples)

    async def say(self, text: str) -> Playback:
        """Speak and wait until it has been heard (or cut)."""
        playback = await self.speak(text)
        await playback.done
        return playback


class Conversation(Protocol):
    """The behaviour of the agent on one call."""

    async def run(self, call: CallContext) -> str:
        """Runs the call; returns its outcome. Cancelled when the caller hangs up."""
        ...

    async def caller_hung_up(self, call: CallContext) -> str | None:
        """The caller left mid-conversation (the conversation task is already cancelled):
        save what was said and understood; returns the outcome, or None. Also called when
        the caller was handed to the fallback with `call.handed_back` set: no texts then."""
        ...


class GreetAndListen:
    """Greets the caller with the business greeting, then listens until they hang up."""

    def __init__(self, greeting: str) -> None:
        self.greeting = greeting

    async def run(self, call: CallContext) -> str:
        await call.say(self.greeting)
        while True:
            await call.audio.get()

    async def caller_hung_up(self, call: CallContext) -> str | None:
        return None
