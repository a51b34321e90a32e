"""In-process stand-ins for the call layer's ports: Asterisk (CallControl), the voice, the
RTP stream, Whisper (Transcriber), the lead store and the SMS outbox, plus a clock that jumps.

Nothing here loads a model or talks to Asterisk: a whole call (CallSession + Receptionist +
AttendedTransfer) runs in the test's event loop. The only real I/O is the session's own RTP
socket on 127.0.0.1, which sends to the discard port.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest

from agent.ari.errors import AriError
from agent.ari.models import Channel, ChannelEvent, Event, StasisEnd, StasisStart
from agent.call.context import CallContext, Conversation
from agent.call.observer import CallObserver, NoObserver
from agent.call.receptionist import Receptionist, ReceptionistDeps
from agent.call.session import CallDeps, CallSession
from agent.config import BusinessConfig, CallConfig, MediaConfig
from agent.dialogue import DialogueSettings, Understander
from agent.leads.model import Lead
from agent.leads.store import LeadStore
from agent.media.codecs import ULAW, Pcm
from agent.media.rtp_stream import Playback, RtpStream
from agent.sms.base import SmsQueue
from agent.speech.hint import Hint
from agent.speech.settings import TurnSettings
from agent.speech.stt import Transcriber, Transcript
from agent.store.calls import CallStore
from agent.store.db import connect
from agent.store.keeper import Keeper

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


# ---- a whole call ----------------------------------------------------------------------------
@dataclass
class Harness:
    session: CallSession
    control: FakeControl
    store: CallStore
    runner: asyncio.Task[None] | None = None

    @property
    def context(self) -> CallContext:
        context = self.session._context
        assert context is not None, "media is not up yet"
        return context

    async def start_call(self) -> CallContext:
        """Caller enters, media channel enters: the conversation is running."""
        self.session.queue.put_nowait(event(StasisStart, CALLER_ID))
        media = self.session.media_channel_id
        self.session.queue.put_nowait(event(StasisStart, media, "UnicastRTP/127.0.0.1:9"))
        await until(lambda: self.session.conversation is not None, "the conversation to start")
        return self.context

    def run(self) -> asyncio.Task[None]:
        self.runner = asyncio.get_running_loop().create_task(self.session.run())
        return self.runner

    def send(self, event: Event) -> None:
        self.session.queue.put_nowait(event)

    def hang_up(self) -> None:
        self.send(event(StasisEnd, CALLER_ID))

    def say(self, audio: Pcm) -> None:
        """The caller's audio arrives, frame by frame, faster than real time."""
        for frame in frames(audio):
            self.context.push_audio(frame)

    def notes(self, speaker: str) -> list[str]:
        return [n["text"] for n in self.context.transcript if n["speaker"] == speaker]

    async def ended(self, timeout_s: float = 5.0) -> None:
        """The session is over and left nothing running behind it."""
        assert self.runner is not None
        await asyncio.wait_for(self.runner, timeout_s)
        assert not self.session._tasks
        left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert left == [], f"tasks still running after the call: {left}"


async def until(ready: Callable[[], object], what: str, timeout_s: float = 5.0) -> None:
    """Wait (real time, in small steps) for `ready()`; fail naming `what` otherwise."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not ready():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


def harness(
    tmp_path: Path,
    conversation: Conversation | Callable[[Channel], Conversation],
    grace_s: float = 0.3,
    recordings: bool = True,
    store: CallStore | None = None,
    keeper: Keeper | None = None,
    voice: FakeVoice | None = None,
    observer: CallObserver | None = None,
) -> Harness:
    control = FakeControl()
    store = store or CallStore(connect(tmp_path / "db.sqlite"))
    new_conversation = conversation if callable(conversation) else lambda _c: conversation
    deps = CallDeps(
        control=control,
        store=store,
        voice=voice or FakeVoice(),
        codec=ULAW,
        rtp_bind_host="127.0.0.1",
        rtp_advertise_host="127.0.0.1",
        new_conversation=cast(Callable[[Channel], Conversation], new_conversation),
        recordings_dir=tmp_path / "recordings" if recordings else None,
        conversation_grace_s=grace_s,
        hangup_save_s=2.0,
        keeper=keeper or Keeper(),
        observer=observer or NoObserver(),
    )
    channel = Channel(CALLER_ID, "PJSIP/caller", "Ring", caller_number=CALLER_NUMBER)
    session = CallSession(channel, deps, lambda _id, _s: None)
    control.emit = session.queue.put_nowait  # adopted legs' events reach the session
    return Harness(session, control, store)


def receptionist_deps(**changes: Any) -> ReceptionistDeps:
    """The receptionist's dependencies for in-process tests: the demo plumber, default
    settings, no model, no store; `changes` puts in the fakes a test needs."""
    deps = ReceptionistDeps(
        business=BusinessConfig("Plomberie Martin", "plombier", ARTISAN),
        dialogue=DialogueSettings(),
        call=CallConfig(),
        media=MediaConfig(),
        turn=TurnSettings(),
        understander=cast(Understander, None),
        transcriber=cast(Transcriber, None),
        leads=cast(LeadStore, None),
        sms=cast(SmsQueue, None),
        clock=datetime.now,
    )
    return dataclasses.replace(deps, **changes)


def receptionist_call(
    tmp_path: Path,
    deps: ReceptionistDeps,
    voice: FakeVoice | None = None,
    observer: CallObserver | None = None,
) -> Harness:
    """A CallSession running the real Receptionist on `deps` (its fakes)."""
    return harness(
        tmp_path,
        lambda channel: Receptionist(deps, channel, ULAW.sample_rate),
        grace_s=1.0,
        recordings=False,
        voice=voice,
        observer=observer,
    )


async def started_call(
    tmp_path: Path,
    deps: ReceptionistDeps,
    voice: FakeVoice | None = None,
    asterisk: Callable[[FakeControl], None] | None = None,
) -> Harness:
    """A receptionist call running, the caller and media in: the greeting is under way.
    `asterisk` sets up FakeControl first (the mobile's side, a request that fails...)."""
    call = receptionist_call(tmp_path, deps, voice)
    if asterisk is not None:
        asterisk(call.control)
    call.run()
    await call.start_call()
    return call


def stored(deps: ReceptionistDeps) -> tuple[Leads, Outbox]:
    """What the call left behind: the fake lead store and SMS outbox of `talking_deps`."""
    return cast(Leads, deps.leads), cast(Outbox, deps.sms)


def fake_stream(call: CallContext) -> FakeStream:
    return cast(FakeStream, call.stream)


def context(channel: Channel, call_id: int = 12, voice: FakeVoice | None = None) -> CallContext:
    """A CallContext on fakes, for driving a Receptionist or a transfer without a session."""
    return CallContext(
        channel, call_id, ULAW, cast(RtpStream, FakeStream()), voice or FakeVoice(),
        FakeControl(), lambda _id: None,
    )  # fmt: skip


OPEN_DAY = datetime(2026, 3, 10, 10, 0)  # a Tuesday morning: the business is open


def talking_deps(
    understander: Understander, transcriber: ScriptedTranscriber, **changes: Any
) -> ReceptionistDeps:
    """The real dialogue on the plumber of TOWNS, hearing `transcriber`'s script; the
    lead store and the SMS outbox are fakes (`deps.leads`, `deps.sms`)."""
    return receptionist_deps(
        business=BusinessConfig("Plomberie Martin", "plombier", ARTISAN, towns=TOWNS),
        understander=understander,
        transcriber=transcriber,
        leads=Leads(),
        sms=Outbox(),
        clock=lambda: OPEN_DAY,
        **changes,
    )


# One caller turn: a breath, a second of speech, then the silence that ends the turn.
TURN = np.concatenate([silence(0.3), voiced(1.0), silence(1.0)])


async def answer(call: Harness, next_question: str) -> None:
    """Once the agent has finished speaking, the caller says one turn; wait for the agent
    to say `next_question`."""
    await until(lambda: not call.context.stream.speaking, "the agent to finish speaking")
    asked = call.notes("agent").count(next_question)
    call.say(TURN)
    await until(lambda: call.notes("agent").count(next_question) > asked, repr(next_question))
