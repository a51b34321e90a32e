"""One call: its own ordered event queue and task; sets up media, runs the conversation.

Whatever goes wrong inside the conversation, the caller is handed back to the dialplan's
fallback (artisan's mobile, then voicemail): never dead air.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import numpy as np

from agent.ari.errors import AriError, AriNotFound
from agent.ari.models import (
    Channel,
    ChannelDestroyed,
    ChannelDtmfReceived,
    ChannelHangupRequest,
    Event,
    StasisEnd,
    StasisStart,
)
from agent.call.context import CallContext, Conversation
from agent.call.ports import CallControl, Voice
from agent.media.codecs import Codec, Pcm
from agent.media.rtp_stream import RtpStream
from agent.store.calls import AudioTotals, CallStore

log = logging.getLogger(__name__)

FALLBACK_CONTEXT = "decroche-fallback"
MEDIA_SETUP_TIMEOUT_S = 5.0
VOICE_RMS = 200.0  # frames louder than this count as the caller's voice (line noise is lower)


@dataclass(frozen=True)
class CallDeps:
    control: CallControl
    store: CallStore
    voice: Voice
    codec: Codec
    rtp_bind_host: str
    rtp_advertise_host: str
    new_conversation: Callable[[Channel], Conversation]


@dataclass(frozen=True)
class ConversationEnded(Event):
    outcome: str = ""
    failed: bool = False


@dataclass(frozen=True)
class SetupTimedOut(Event):
    pass


class CallSession:
    def __init__(
        self, channel: Channel, deps: CallDeps, route: Callable[[str, CallSession], None]
    ) -> None:
        self.channel = channel
        self.deps = deps
        self._route = route
        self.queue: asyncio.Queue[Event] = asyncio.Queue()
        self.media_channel_id = f"{channel.id}-media"
        self.bridge_id = f"{channel.id}-bridge"
        self.outcome = "caller_hangup"
        self.voice_in_ms = 0
        self._stream: RtpStream | None = None
        self._context: CallContext | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._done = False

    # ---- event loop of the call ----------------------------------------------------------
    async def run(self) -> None:
        try:
            while not self._done:
                await self._handle(await self.queue.get())
        finally:
            await self._teardown()

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, event: Event) -> None:
        is_caller = event.channel_id == self.channel.id
        if isinstance(event, StasisStart):
            if is_caller:
                await self._start()
            elif event.channel_id == self.media_channel_id:
                await self._media_ready()
        elif isinstance(event, ChannelDtmfReceived) and self._context is not None:
            self._context.dtmf.put_nowait(event.digit)
        elif isinstance(event, (StasisEnd, ChannelDestroyed, ChannelHangupRequest)) and is_caller:
            self._done = True
        elif isinstance(event, ChannelDestroyed) and event.channel_id == self.media_channel_id:
            log.warning(
                "call %s: media channel vanished; handing back to the dialplan", self.channel.id
            )
            await self._fall_back("media_lost")
        elif isinstance(event, ConversationEnded):
            await self._conversation_ended(event)
        elif isinstance(event, SetupTimedOut) and self._context is None:
            log.error(
                "call %s: no media channel after %.0f s", self.channel.id, MEDIA_SETUP_TIMEOUT_S
            )
            await self._fall_back("media_setup_failed")

    async def _start(self) -> None:
        control, deps = self.deps.control, self.deps
        deps.store.create(self.channel.id, self.channel.caller_number, self.channel.caller_name)
        self._route(self.media_channel_id, self)
        try:
            await control.answer(self.channel.id)
            deps.store.mark_answered(self.channel.id)
            self._stream = await RtpStream.open(deps.codec, self._on_audio, deps.rtp_bind_host)
            await control.create_bridge(self.bridge_id)
            await control.add_channel(self.bridge_id, self.channel.id)
            # The RTP channel enters Stasis on its own; it joins the bridge on its StasisStart.
            await control.external_media(
                self.media_channel_id,
                f"{deps.rtp_advertise_host}:{self._stream.local_port}",
                deps.codec.name,
            )
        except AriNotFound:
            self._done = True  # the caller hung up while we were answering
            return
        self._spawn(self._setup_watchdog(), f"watchdog-{self.channel.id}")

    async def _setup_watchdog(self) -> None:
        await asyncio.sleep(MEDIA_SETUP_TIMEOUT_S)
        self.queue.put_nowait(SetupTimedOut("SetupTimedOut", "", {}))

    async def _media_ready(self) -> None:
        control, stream = self.deps.control, self._stream
        assert stream is not None
        try:
            await control.add_channel(self.bridge_id, self.media_channel_id)
            host = await control.get_variable(self.media_channel_id, "UNICASTRTP_LOCAL_ADDRESS")
            port = await control.get_variable(self.media_channel_id, "UNICASTRTP_LOCAL_PORT")
        except AriNotFound:
            self._done = True
            return
        stream.start_sending((host, int(port)))
        self._context = CallContext(self.channel, self.deps.codec, stream, self.deps.voice)
        self._spawn(self._converse(self._context), f"conversation-{self.channel.id}")

    def _on_audio(self, samples: Pcm) -> None:
        rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if len(samples) else 0.0
        if rms > VOICE_RMS:
            self.voice_in_ms += len(samples) * 1000 // self.deps.codec.sample_rate
        if self._context is not None:
            self._context.push_audio(samples)

    async def _converse(self, context: CallContext) -> None:
        conversation = self.deps.new_conversation(self.channel)
        try:
            outcome = await conversation.run(context)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("call %s: conversation failed", self.channel.id)
            self.queue.put_nowait(
                ConversationEnded("ConversationEnded", "", {}, "agent_error", failed=True)
            )
            return
        self.queue.put_nowait(ConversationEnded("ConversationEnded", "", {}, outcome))

    async def _conversation_ended(self, event: ConversationEnded) -> None:
        if event.failed:
            await self._fall_back(event.outcome)
            return
        self.outcome = event.outcome
        with contextlib.suppress(AriNotFound):  # the caller may have hung up first
            await self.deps.control.hangup(self.channel.id)
        self._done = True

    async def _fall_back(self, outcome: str) -> None:
        """Give the caller back to the dialplan: mobile, then voicemail."""
        self.outcome = outcome
        try:
            await self.deps.control.continue_in_dialplan(self.channel.id, FALLBACK_CONTEXT)
        except AriError as exc:
            log.error("call %s: fallback failed: %s", self.channel.id, exc)
        self._done = True

    async def _teardown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        stream, control = self._stream, self.deps.control
        await _quietly(control.hangup(self.media_channel_id))
        await _quietly(control.destroy_bridge(self.bridge_id))
        audio_in_ms = out_ms = 0
        if stream is not None:
            await stream.close()
            rate = self.deps.codec.sample_rate
            audio_in_ms = stream.stats.samples_in * 1000 // rate
            out_ms = stream.stats.packets_out * 20
        transcript = self._context.transcript if self._context else []
        self.deps.store.finish(
            self.channel.id,
            self.outcome,
            AudioTotals(audio_in_ms, self.voice_in_ms, out_ms),
            transcript,
        )
        log.info("call %s ended: %s", self.channel.id, self.outcome)


async def _quietly(request: Awaitable[None]) -> None:
    """Cleanup that may race the caller's hangup or an Asterisk restart."""
    try:
        await request
    except AriError as exc:
        log.debug("cleanup skipped: %s", exc)
