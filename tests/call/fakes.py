"""In-process stand-ins for Asterisk (ARI control) and the voice, to drive a CallSession."""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import numpy as np

from agent.ari.models import Channel, ChannelEvent, StasisEnd, StasisStart
from agent.call.context import CallContext, Conversation
from agent.call.receptionist import ReceptionistDeps
from agent.call.session import CallDeps, CallSession
from agent.config import BusinessConfig, CallConfig, MediaConfig
from agent.dialogue import DialogueSettings, Understander
from agent.leads.store import LeadStore
from agent.media.codecs import ULAW, Pcm
from agent.sms.base import SmsQueue
from agent.speech.settings import TurnSettings
from agent.speech.stt import Transcriber
from agent.store.calls import CallStore
from agent.store.db import connect
from agent.store.keeper import Keeper

CALLER_ID = "chan-1"


@dataclass
class FakeControl:
    """Records every request; the RTP peer is a port nobody listens on."""

    requests: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    async def _note(self, name: str, *args: Any) -> None:
        self.requests.append((name, args))

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
        await self._note("originate", channel_id)
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


class SilentVoice:
    async def render(self, text: str, sample_rate: int) -> Pcm:
        return np.zeros(sample_rate // 10, dtype=np.int16)


def event(kind: type[ChannelEvent], channel_id: str, name: str = "PJSIP/caller") -> ChannelEvent:
    channel = Channel(channel_id, name, "Up", caller_number="0698765432")
    return kind(kind.__name__, "decroche", {}, channel)


@dataclass
class Harness:
    session: CallSession
    control: FakeControl
    store: CallStore

    async def start_call(self) -> CallContext:
        """Caller enters, media channel enters: the conversation is running."""
        self.session.queue.put_nowait(event(StasisStart, CALLER_ID))
        media = self.session.media_channel_id
        self.session.queue.put_nowait(event(StasisStart, media, "UnicastRTP/127.0.0.1:9"))
        for _ in range(200):
            if self.session._context is not None and self.session._conversation is not None:
                return self.session._context
            await asyncio.sleep(0.01)
        raise AssertionError("the conversation never started")

    def hang_up(self) -> None:
        self.session.queue.put_nowait(event(StasisEnd, CALLER_ID))


def harness(
    tmp_path: Path,
    conversation: Conversation,
    grace_s: float = 0.3,
    recordings: bool = True,
    store: CallStore | None = None,
    keeper: Keeper | None = None,
) -> Harness:
    control = FakeControl()
    store = store or CallStore(connect(tmp_path / "db.sqlite"))
    deps = CallDeps(
        control=control,
        store=store,
        voice=SilentVoice(),
        codec=ULAW,
        rtp_bind_host="127.0.0.1",
        rtp_advertise_host="127.0.0.1",
        new_conversation=lambda _channel: conversation,
        recordings_dir=tmp_path / "recordings" if recordings else None,
        conversation_grace_s=grace_s,
        hangup_save_s=2.0,
        keeper=keeper or Keeper(),
    )
    channel = Channel(CALLER_ID, "PJSIP/caller", "Ring", caller_number="0698765432")
    return Harness(CallSession(channel, deps, lambda _id, _s: None), control, store)


class QuietStream:
    """An RTP stream that plays nothing: the receptionist's speech goes nowhere."""

    speaking = False

    def cancel_all(self) -> list[Any]:
        return []


def receptionist_deps(**changes: Any) -> ReceptionistDeps:
    """The receptionist's dependencies for in-process tests: the demo plumber, default
    settings, no model, no store; `changes` puts in the fakes a test needs."""
    deps = ReceptionistDeps(
        business=BusinessConfig("Plomberie Martin", "plombier", "+33611111111"),
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
