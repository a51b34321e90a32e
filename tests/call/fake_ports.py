"""In-process stand-ins for the call layer's ports: Asterisk (CallControl), the voice, the
RTP stream, Whisper (Transcriber), the lead store and the SMS outbox, a clock that jumps, and
the caller's audio. tests.call.fakes builds whole calls on them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from agent.ari.errors import AriError
from agent.ari.models import Channel, ChannelEvent, Event
from agent.leads.model import Lead
from agent.media.codecs import ULAW, Pcm
from agent.media.rtp_stream import Playback
from agent.speech.hint import Hint
from agent.speech.stt import Transcript

CALLER_ID = "chan-1"
CALLER_NUMBER = "0698765432"
ARTISAN = "+33611111111"
TOWNS = ("Lyon", "Villeurbanne", "Bron")

# What Asterisk emits in answer to a request: `React(args)` -> events for the app.
React = Callable[[tuple[Any, ...]], list[Event]]


# ---- Asterisk --------------------------------------------------------------------------------
@dataclass
class FakeControl:
    """CallControl as Asterisk answers it: records every request; `fail` makes one kind of
    request raise; `react` emits events to the app after a request (the mobile answering an
    originate...) through `emit`, one loop turn later, as they come over the websocket."""

    requests: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    fail: dict[str, AriError] = field(default_factory=dict)
    react: dict[str, React] = field(default_factory=dict)
    emit: Callable[[Event], None] | None = None

    async def _note(self, name: str, *args: Any) -> None:
        self.requests.append((name, args))
        error = self.fail.get(name)
        if error is not None:
            raise error
        react, emit = self.react.get(name), self.emit
        if react is not None and emit is not None:
            loop = asyncio.get_running_loop()
            for reply in react(args):
                loop.call_soon(emit, reply)

    async def answer(self, channel_id: str) -> None:
        await self._note("answer", channel_id)

    async def ring(self, channel_id: str) -> None:
        await self._note("ring", channel_id)

    async def hangup(self, channel_id: str, reason: str = "normal") -> None:
        await self._note("hangup", channel_id)

    async def continue_in_dialplan(
        self, channel_id: str, context: str, extension: str = "s", priority: int = 1
    ) -> None:
        await self._note("continue", channel_id, context)

    async def get_variable(self, channel_id: str, name: str) -> str:
        return "127.0.0.1" if name.endswith("ADDRESS") else "9"  # discard port

    async def external_media(
        self, channel_id: str, external_host: str, audio_format: str, app: str | None = None
    ) -> Channel:
        await self._note("external_media", channel_id)
        return Channel(channel_id, f"UnicastRTP/{external_host}", "Up")

    async def originate(
        self,
        endpoint: str,
        channel_id: str,
        caller_id: str,
        timeout_s: int,
        app_args: str = "",
        variables: dict[str, str] | None = None,
    ) -> Channel:
        await self._note("originate", channel_id, endpoint, timeout_s)
        return Channel(channel_id, endpoint, "Down")

    async def create_bridge(self, bridge_id: str, bridge_type: str = "mixing") -> str:
        await self._note("create_bridge", bridge_id)
        return bridge_id

    async def add_channel(self, bridge_id: str, channel_id: str) -> None:
        await self._note("add_channel", bridge_id, channel_id)

    async def remove_channel(self, bridge_id: str, channel_id: str) -> None:
        await self._note("remove_channel", bridge_id, channel_id)

    async def destroy_bridge(self, bridge_id: str) -> None:
        await self._note("destroy_bridge", bridge_id)

    async def list_channels(self) -> list[Channel]:
        return []

    def called(self, name: str) -> list[tuple[Any, ...]]:
        return [args for n, args in self.requests if n == name]

    def on(self, channel_id: str) -> list[tuple[str, tuple[Any, ...]]]:
        """The requests about one channel, in order (what the caller's line went through)."""
        return [(n, args) for n, args in self.requests if args and args[0] == channel_id]


def event(
    kind: type[ChannelEvent], channel_id: str, name: str = "PJSIP/caller", **fields: Any
) -> ChannelEvent:
    channel = Channel(channel_id, name, "Up", caller_number=CALLER_NUMBER)
    return kind(kind.__name__, "decroche", {}, channel, **fields)


# ---- voice and stream ------------------------------------------------------------------------
@dataclass
class FakeVoice:
    """Renders silence as long as the text would be said (`ms_per_char`, at least `min_ms`);
    keeps the texts it was asked for."""

    ms_per_char: int = 0
    min_ms: int = 100
    rendered: list[str] = field(default_factory=list)

    async def render(self, text: str, sample_rate: int) -> Pcm:
        self.rendered.append(text)
        ms = max(self.min_ms, len(text) * self.ms_per_char)
        return np.zeros(sample_rate * ms // 1000, dtype=np.int16)


SilentVoice = FakeVoice  # 100 ms whatever the text


class FakeStream:
    """The outgoing half of an RtpStream without the clock: playbacks stay queued until the
    test says they were heard (`played`, `hear`); `cancel_all` cuts them as barge-in does."""

    def __init__(self) -> None:
        self.playing: list[Playback] = []

    @property
    def speaking(self) -> bool:
        return any(not p.done.done() for p in self.playing)

    def play(self, samples: Pcm) -> Playback:
        playback = Playback(samples, ULAW.sample_rate)
        self.playing.append(playback)
        return playback

    def cancel_all(self) -> list[Playback]:
        cut = [p for p in self.playing if not p.done.done()]
        for playback in cut:
            playback._finish(interrupted=True)
        return cut

    def played(self) -> None:
        """Everything queued was heard to the end."""
        for playback in self.playing:
            if not playback.done.done():
                playback.sent = playback.samples.size
                playback._finish(interrupted=False)

    def hear(self, ms: int) -> None:
        """The caller heard the first `ms` of what is playing."""
        for playback in self.playing:
            if not playback.done.done():
                heard = min(ms, playback.duration_ms)
                playback.sent = heard * playback.sample_rate // 1000
                ms -= heard


QuietStream = FakeStream  # nothing is ever heard unless the test says so


# ---- Whisper ---------------------------------------------------------------------------------
Said = str | Transcript


@dataclass
class ScriptedTranscriber:
    """Whisper's stand-in. A sequence script: the n-th transcription returns script[n]; a
    mapping: the text keyed by the audio's sample levels (silence not counted). Records
    each request's levels and hint; `hold(n)` makes the n-th wait until released;
    `fail` is raised instead of transcribing (a crashed engine)."""

    script: Sequence[Said] | Mapping[frozenset[int], Said] = ()
    confidence: float = 0.9
    fail: Exception | None = None
    heard: list[tuple[frozenset[int], Hint | None]] = field(default_factory=list)
    holds: dict[int, Gate] = field(default_factory=dict)

    @property
    def hints(self) -> list[Hint | None]:
        return [hint for _, hint in self.heard]

    def hold(self, n: int) -> Gate:
        self.holds[n] = Gate()
        return self.holds[n]

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        levels = frozenset(int(v) for v in np.unique(pcm16k) if v)
        n = len(self.heard)
        self.heard.append((levels, hint))
        gate = self.holds.get(n)
        if gate is not None:
            gate.entered.set()
            await gate.opened.wait()
        if self.fail is not None:
            raise self.fail
        said = self.script[levels] if isinstance(self.script, Mapping) else self.script[n]
        if isinstance(said, Transcript):
            return said
        return Transcript(said, pcm16k.size / 16000, 0.1, "fr", confidence=self.confidence)


@dataclass
class Gate:
    entered: asyncio.Event = field(default_factory=asyncio.Event)
    opened: asyncio.Event = field(default_factory=asyncio.Event)


# ---- storage ---------------------------------------------------------------------------------
@dataclass
class Leads:
    """The lead store: keeps what is saved."""

    saved: list[Lead] = field(default_factory=list)

    def save(self, lead: Lead) -> int:
        self.saved.append(lead)
        return len(self.saved)


@dataclass
class Outbox:
    """The SMS queue: keeps (recipient, kind, text) in order."""

    queued: list[tuple[str, str, str]] = field(default_factory=list)

    def enqueue(self, idem_key: str, recipient: str, text: str, kind: str) -> bool:
        self.queued.append((recipient, kind, text))
        return True

    @property
    def kinds(self) -> list[str]:
        return [kind for _, kind, _ in self.queued]


# ---- clock -----------------------------------------------------------------------------------
class JumpingClock:
    """time.monotonic, which the event loop and the call layer both read, plus `advance`:
    every timer due within the jump fires at the next loop turn, without waiting for it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._real = time.monotonic
        self.offset = 0.0
        monkeypatch.setattr(time, "monotonic", self.monotonic)

    def monotonic(self) -> float:
        return self._real() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


# ---- audio of the caller ---------------------------------------------------------------------
def voiced(seconds: float, rate: int = ULAW.sample_rate, f0: float = 140.0) -> Pcm:
    """A vowel-like sound (harmonics, syllable-rate envelope) the VAD takes for speech."""
    t = np.arange(int(rate * seconds)) / rate
    top = int(rate / 2 / f0)
    harmonics = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, top))
    return (harmonics * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t)) * 3000).astype(np.int16)


def silence(seconds: float, rate: int = ULAW.sample_rate) -> Pcm:
    return np.zeros(int(rate * seconds), dtype=np.int16)


def frames(audio: Pcm, rate: int = ULAW.sample_rate) -> list[Pcm]:
    size = rate // 50
    return [audio[i : i + size] for i in range(0, audio.size - size + 1, size)]
