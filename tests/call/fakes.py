"""Whole calls in process: a CallSession (and the real Receptionist) on the fakes of the
ports (tests.call.fake_ports), and the steps tests drive them with.

Nothing here loads a model or talks to Asterisk: a whole call (CallSession + Receptionist +
AttendedTransfer) runs in the test's event loop. The only real I/O is the session's own RTP
socket on 127.0.0.1, which sends to the discard port.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import numpy as np

from agent.ari.models import (
    Channel,
    ChannelDtmfReceived,
    Event,
    StasisEnd,
    StasisStart,
)
from agent.call.context import CallContext, Conversation
from agent.call.observer import CallObserver, NoObserver
from agent.call.receptionist import Receptionist
from agent.call.receptionist_deps import ReceptionistDeps
from agent.call.session import CallDeps, CallSession
from agent.config import BusinessConfig, CallConfig, MediaConfig
from agent.dialogue import DialogueSettings, Understander
from agent.leads.store import LeadStore
from agent.media.codecs import ULAW, Pcm
from agent.media.rtp_stream import RtpStream
from agent.sms.base import SmsQueue
from agent.speech.settings import TurnSettings
from agent.speech.stt import Transcriber
from agent.store.calls import CallStore
from agent.store.db import connect
from agent.store.keeper import Keeper
from tests.call.fake_ports import (
    ARTISAN,
    CALLER_ID,
    CALLER_NUMBER,
    TOWNS,
    FakeControl,
    FakeStream,
    FakeVoice,
    Gate,
    JumpingClock,
    Leads,
    Outbox,
    ScriptedTranscriber,
    event,
    frames,
    silence,
    voiced,
)

__all__ = [
    "ARTISAN",
    "CALLER_ID",
    "CALLER_NUMBER",
    "OPEN_DAY",
    "TOWNS",
    "TURN",
    "FakeControl",
    "FakeStream",
    "FakeVoice",
    "Gate",
    "Harness",
    "JumpingClock",
    "Leads",
    "Outbox",
    "ScriptedTranscriber",
    "answer",
    "context",
    "event",
    "fake_stream",
    "frames",
    "harness",
    "receptionist_call",
    "receptionist_deps",
    "silence",
    "started_call",
    "stored",
    "talking_deps",
    "through_read_back",
    "until",
    "voiced",
]


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


async def through_read_back(call: Harness) -> None:
    """The caller gives a name and an address, keeps the caller ID (DTMF 1) and confirms
    the read-back (DTMF 1): the steps every lead call goes through."""
    texts = DialogueSettings()
    await answer(call, texts.ask_name)
    await answer(call, texts.ask_address)
    await answer(call, "Je peux vous rappeler au 06 98 76 54 32 ?")
    call.send(event(ChannelDtmfReceived, CALLER_ID, digit="1"))
    await until(lambda: any(t.startswith("Je récapitule") for t in call.notes("agent")),
                "the read-back")  # fmt: skip
    call.send(event(ChannelDtmfReceived, CALLER_ID, digit="1"))
