"""The agent stopping (SIGTERM) mid-call: the caller is handed to the fallback, and the call is
not ended as a hang-up (no "missed call" texts while the mobile is being rung)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from agent.ari.errors import AriNotFound
from agent.ari.models import Channel, ChannelDestroyed, StasisStart
from agent.call.context import CallContext
from agent.call.manager import CallManager
from agent.call.session import FALLBACK_CONTEXT, CallDeps
from agent.media.codecs import Pcm, codec_by_name
from agent.store.calls import CallStore
from agent.store.db import connect

CALLER = Channel("1700000000.1", "PJSIP/trunk-00000001", "Up", caller_number="0612345678")


@dataclass
class FakeControl:
    """Asterisk as the call layer sees it: records requests, knows which channels exist."""

    requests: list[tuple[str, ...]] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)

    async def _do(self, *request: str) -> None:
        self.requests.append(request)
        if len(request) > 1 and request[1] in self.gone:
            raise AriNotFound(f"{request[0]} {request[1]}: Channel not found", 404)

    async def answer(self, channel_id: str) -> None:
        await self._do("answer", channel_id)

    async def ring(self, channel_id: str) -> None:
        await self._do("ring", channel_id)

    async def hangup(self, channel_id: str, reason: str = "normal") -> None:
        await self._do("hangup", channel_id)

    async def continue_in_dialplan(
        self, channel_id: str, context: str, extension: str = "s", priority: int = 1
    ) -> None:
        await self._do("continue", channel_id, context)

    async def get_variable(self, channel_id: str, name: str) -> str:
        return "127.0.0.1" if name.endswith("ADDRESS") else "9"

    async def external_media(
        self, channel_id: str, external_host: str, audio_format: str, app: str | None = None
    ) -> Channel:
        await self._do("externalMedia", channel_id)
        return Channel(channel_id, "UnicastRTP/127.0.0.1:9-0x1", "Down")

    async def originate(
        self,
        endpoint: str,
        channel_id: str,
        caller_id: str,
        timeout_s: int,
        app_args: str = "",
        variables: dict[str, str] | None = None,
    ) -> Channel:
        raise AssertionError("no transfer in these tests")

    async def create_bridge(self, bridge_id: str, bridge_type: str = "mixing") -> str:
        await self._do("createBridge", bridge_id)
        return bridge_id

    async def add_channel(self, bridge_id: str, channel_id: str) -> None:
        await self._do("addChannel", bridge_id, channel_id)

    async def remove_channel(self, bridge_id: str, channel_id: str) -> None:
        await self._do("removeChannel", bridge_id, channel_id)

    async def destroy_bridge(self, bridge_id: str) -> None:
        await self._do("destroyBridge", bridge_id)

    async def list_channels(self) -> list[Channel]:
        return []


class SilentVoice:
    async def render(self, text: str, sample_rate: int) -> Pcm:
        return np.zeros(sample_rate // 10, dtype=np.int16)


@dataclass
class RecordingConversation:
    """Talks until cancelled; records whether the call was ended as a hang-up."""

    started: asyncio.Event = field(default_factory=asyncio.Event)
    hung_up: int = 0

    async def run(self, call: CallContext) -> str:
        self.started.set()
        await asyncio.Event().wait()
        return "completed"

    async def caller_hung_up(self, call: CallContext) -> str | None:
        self.hung_up += 1  # the receptionist texts "missed call" to both sides here
        return "callback_needed"


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[tuple[CallManager, FakeControl, CallStore]]:
    control = FakeControl()
    store = CallStore(connect(tmp_path / "calls.sqlite3"))
    conversation = RecordingConversation()
    deps = CallDeps(control=control, store=store, voice=SilentVoice(),
                    codec=codec_by_name("ulaw"), rtp_bind_host="127.0.0.1",
                    rtp_advertise_host="127.0.0.1",
                    new_conversation=lambda channel: conversation)  # fmt: skip
    manager = CallManager(deps, "decroche", max_calls=4)
    manager.conversation = conversation  # type: ignore[attr-defined]
    yield manager, control, store
    await manager.close()


async def _call_in_progress(manager: CallManager) -> RecordingConversation:
    await manager.dispatch(StasisStart("StasisStart", "decroche", {}, CALLER))
    media = Channel(f"{CALLER.id}-media", "UnicastRTP/127.0.0.1:9-0x1", "Up")
    for _ in range(100):
        if manager.owns(media.id):
            break
        await asyncio.sleep(0.01)
    await manager.dispatch(StasisStart("StasisStart", "decroche", {}, media))
    conversation: RecordingConversation = manager.conversation  # type: ignore[attr-defined]
    await asyncio.wait_for(conversation.started.wait(), 2)
    return conversation


async def test_stopping_hands_the_caller_back_without_ending_it_as_a_hang_up(setup) -> None:
    manager, control, store = setup
    conversation = await _call_in_progress(manager)
    await asyncio.wait_for(manager.close(), 10)
    assert control.requests.count(("continue", CALLER.id, FALLBACK_CONTEXT)) == 1
    assert conversation.hung_up == 0  # no "missed call" texts: the mobile is taking the call
    record = store.get(CALLER.id)
    assert record is not None and record.outcome == "agent_stopped"
    # Its media is cleaned up, the caller channel is not hung up (it is ringing the mobile).
    assert ("hangup", f"{CALLER.id}-media") in control.requests
    assert ("hangup", CALLER.id) not in control.requests
    assert ("destroyBridge", f"{CALLER.id}-bridge") in control.requests
    assert manager.active_calls == 0


async def test_a_caller_who_hung_up_just_before_the_stop_is_still_a_hang_up(setup) -> None:
    manager, control, store = setup
    conversation = await _call_in_progress(manager)
    control.gone.add(CALLER.id)
    # The hang-up is queued before the stop: the session ends it as a hang-up first.
    await manager.dispatch(ChannelDestroyed("ChannelDestroyed", "decroche", {}, CALLER, 16))
    await asyncio.wait_for(manager.close(), 10)
    assert conversation.hung_up == 1
    assert not any(r[0] == "continue" for r in control.requests)
    record = store.get(CALLER.id)
    assert record is not None and record.outcome == "callback_needed"
