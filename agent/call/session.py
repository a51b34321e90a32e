"""One call: its own ordered event queue and task; sets up media, runs the conversation.

Whatever goes wrong inside the conversation, the caller is handed back to the dialplan's
fallback (artisan's mobile, then voicemail): never dead air.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from agent.call.media_leg import MediaLeg, quietly
from agent.call.observer import CallObserver, CallStats, NoObserver, summarize
from agent.call.ports import CallControl, Voice
from agent.media.codecs import Codec, Pcm, rms
from agent.media.recorder import StereoRecorder
from agent.store.calls import AudioTotals, CallStore, ClosedCall, utc_now
from agent.store.keeper import Keeper

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
    recordings_dir: Path | None = None  # None: calls are not recorded
    # Teardown bounds: the conversation gets this long to end once cancelled (a task that
    # ignores its cancel is abandoned, not awaited), then saving what the caller said gets
    # `hangup_save_s`. Whatever happens, the call row is closed afterwards.
    conversation_grace_s: float = 5.0
    hangup_save_s: float = 30.0
    # Call-time writes go through the keeper: what the database refuses is spooled.
    keeper: Keeper = field(default_factory=Keeper)
    # Told of answers, turns, transfers and each call's summary (the metrics endpoint).
    observer: CallObserver = field(default_factory=NoObserver)


@dataclass(frozen=True)
class ConversationEnded(Event):
    outcome: str = ""
    failed: bool = False


@dataclass(frozen=True)
class SetupTimedOut(Event):
    pass


@dataclass(frozen=True)
class HandBack(Event):
    """The caller goes to the fallback now (mobile, then voicemail): the agent is stopping,
    or storage failed.

    Not a hang-up: the caller is still on the line and about to reach the artisan, so the
    conversation's hang-up ending (its "missed call" texts) must not run. If nobody answers
    there, the missed-call scanner texts both sides from the CDR, as for any fallback call.
    `keep`: what was understood so far is saved as a lead all the same (no texts).
    """

    outcome: str = "agent_stopped"
    keep: bool = False


STORAGE_FAILED = "storage_failed"


class CallSession:
    def __init__(
        self, channel: Channel, deps: CallDeps, route: Callable[[str, CallSession], None]
    ) -> None:
        self.channel = channel
        self.deps = deps
        self._route = route
        self.queue: asyncio.Queue[Event] = asyncio.Queue()
        self.leg = MediaLeg(deps.control, channel.id, deps.codec)
        self.outcome = "caller_hangup"
        self.voice_in_ms = 0
        self.call_id = 0
        self._context: CallContext | None = None
        self._conversation: Conversation | None = None
        self._conversation_over = False
        self._other_legs: set[str] = set()
        self._recorder = StereoRecorder(deps.codec.sample_rate) if deps.recordings_dir else None
        self._tasks: set[asyncio.Task[None]] = set()
        self._done = False
        self._started_at = utc_now()
        self._answered_at: str | None = None
        self._recording_saved: str | None = None
        self._keep_on_hand_back = False
        self.stats = CallStats(deps.observer)

    @property
    def active(self) -> bool:
        """False once the caller has left or the call was handed on (teardown under way)."""
        return not self._done

    @property
    def conversation(self) -> Conversation | None:
        """The conversation running on this call, once media is up (read-only)."""
        return self._conversation

    @property
    def media_channel_id(self) -> str:
        return self.leg.media_channel_id

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
        channel_id = event.channel_id
        if channel_id in self._other_legs and self._context is not None:
            self._context.legs.put_nowait(event)
        elif isinstance(event, StasisStart):
            if channel_id == self.channel.id:
                await self._start()
            elif channel_id == self.media_channel_id:
                await self._media_ready()
        elif isinstance(event, ChannelDtmfReceived) and self._context is not None:
            self._context.dtmf.put_nowait(event.digit)
        elif isinstance(event, (StasisEnd, ChannelDestroyed, ChannelHangupRequest)):
            if channel_id == self.channel.id:
                self._done = True
            elif isinstance(event, ChannelDestroyed) and channel_id == self.media_channel_id:
                log.warning("call %s: media channel vanished", self.channel.id)
                await self._fall_back("media_lost")
        elif isinstance(event, ConversationEnded):
            await self._conversation_ended(event)
        elif isinstance(event, HandBack):
            if event.keep and self._context is not None and self._context.closing:
                # The lead is kept (spooled) and the caller hears the goodbye: no ringing
                # of the mobile after "au revoir".
                log.info("call %s: storage lost while closing, no hand-back", self.channel.id)
                return
            self._keep_on_hand_back = event.keep
            await self._fall_back(event.outcome)
        elif isinstance(event, SetupTimedOut) and self._context is None:
            log.error(
                "call %s: no media channel after %.0f s", self.channel.id, MEDIA_SETUP_TIMEOUT_S
            )
            await self._fall_back("media_setup_failed")

    async def _start(self) -> None:
        deps = self.deps
        channel = self.channel
        call_id = deps.keeper.attempt(
            "call row", lambda: deps.store.create(channel.id, channel.caller_number,
                                                  channel.caller_name)
        )  # fmt: skip
        if call_id is None:  # no row, no lead to keep it: the artisan takes the call
            await self._fall_back(STORAGE_FAILED)
            return
        self.call_id = call_id
        self._route(self.media_channel_id, self)
        try:
            await deps.control.answer(channel.id)
            self._answered_at = utc_now()
            deps.observer.call_answered()
            if not deps.keeper.try_write("call row", lambda: deps.store.mark_answered(channel.id)):
                await self._fall_back(STORAGE_FAILED)
                return
            await self.leg.open(self._on_audio, deps.rtp_bind_host, deps.rtp_advertise_host)
        except AriNotFound:
            self._done = True  # the caller hung up while we were answering
            return
        except AriError as exc:
            log.error("call %s: media setup failed: %s", self.channel.id, exc)
            await self._fall_back("media_setup_failed")
            return
        self._spawn(self._setup_watchdog(), f"watchdog-{self.channel.id}")

    async def _setup_watchdog(self) -> None:
        await asyncio.sleep(MEDIA_SETUP_TIMEOUT_S)
        self.queue.put_nowait(SetupTimedOut("SetupTimedOut", "", {}))

    async def _media_ready(self) -> None:
        try:
            stream = await self.leg.media_ready()
        except AriNotFound:
            self._done = True
            return
        if self._recorder is not None:
            stream.on_sent = self._recorder.agent
        self._context = CallContext(
            self.channel,
            self.call_id,
            self.deps.codec,
            stream,
            self.deps.voice,
            self.deps.control,
            self._adopt,
        )
        self._context.stats = self.stats
        recording = self._recording_path()
        self._context.recording_path = str(recording) if recording else None
        self._context.clips_dir = self.deps.recordings_dir if recording else None
        self._spawn(self._converse(self._context), f"conversation-{self.channel.id}")

    def _adopt(self, channel_id: str) -> None:
        self._other_legs.add(channel_id)
        self._route(channel_id, self)

    def _on_audio(self, samples: Pcm) -> None:
        if rms(samples) > VOICE_RMS:
            self.voice_in_ms += len(samples) * 1000 // self.deps.codec.sample_rate
        if self._recorder is not None:
            self._recorder.caller(samples)
        if self._context is not None:
            self._context.push_audio(samples)

    async def _converse(self, context: CallContext) -> None:
        self._conversation = self.deps.new_conversation(self.channel)
        try:
            outcome = await self._conversation.run(context)
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
        self._conversation_over = True
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
        self._conversation_over = True
        try:
            await self.deps.control.continue_in_dialplan(self.channel.id, FALLBACK_CONTEXT)
        except AriError as exc:
            log.error("call %s: fallback failed: %s", self.channel.id, exc)
        self._done = True

    async def _teardown(self) -> None:
        context = self._context
        try:
            await self._stop_tasks()
            await self._save_hung_up()
            for channel_id in list(self._other_legs):
                await quietly(self.deps.control.hangup(channel_id))
            await self.leg.close()
            self._save_recording()
        except Exception:  # edge: whatever fails here, the call row must still be closed
            log.exception("call %s: teardown failed", self.channel.id)
        finally:
            self._finish(context)

    async def _stop_tasks(self) -> None:
        """Cancel the conversation and helpers; wait for them, but only so long."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if not tasks:
            return
        _, stuck = await asyncio.wait(tasks, timeout=self.deps.conversation_grace_s)
        for task in stuck:
            log.error(
                "call %s: %s still running %.0f s after the hang-up: abandoned",
                self.channel.id,
                task.get_name(),
                self.deps.conversation_grace_s,
            )
            task.cancel()

    async def _save_hung_up(self) -> None:
        """The caller left before the conversation ended: keep the lead and SMS. Handed
        back for a storage fault: keep the lead only (the caller is reaching the artisan)."""
        context, conversation = self._context, self._conversation
        if context is None or conversation is None:
            return
        handed_back = self._keep_on_hand_back
        if self._conversation_over and not handed_back:
            return
        context.handed_back = handed_back
        try:
            async with asyncio.timeout(self.deps.hangup_save_s):
                outcome = await conversation.caller_hung_up(context)
                self.outcome = self.outcome if handed_back else outcome or self.outcome
        except Exception:  # TimeoutError included: the row is closed all the same
            log.exception("call %s: saving the hung-up call failed", self.channel.id)
            self.outcome = "agent_error"

    def _finish(self, context: CallContext | None) -> None:
        """Close the row; a row never written (storage failed at the door) is written whole,
        and one the database refuses now goes to the spool."""
        closed = self._closed(context)
        store = self.deps.store

        def close() -> None:
            if self.call_id:
                store.finish(closed.channel_id, closed.outcome, closed.audio,
                             list(closed.transcript))  # fmt: skip
            else:
                store.put(closed)

        self.deps.keeper.write("call row", close, lambda: closed)
        summary = summarize(closed, self.call_id, self.stats)
        log.info(summary.line(), extra={"call": summary.fields()})
        self.deps.observer.call_ended(summary)

    def _closed(self, context: CallContext | None) -> ClosedCall:
        stream = self.leg.stream
        audio_in_ms = out_ms = 0
        if stream is not None:
            audio_in_ms = stream.stats.samples_in * 1000 // self.deps.codec.sample_rate
            out_ms = stream.stats.packets_out * 20
        return ClosedCall(
            channel_id=self.channel.id,
            caller_number=self.channel.caller_number or None,
            caller_name=self.channel.caller_name or None,
            started_at=self._started_at,
            ended_at=utc_now(),
            outcome=self.outcome,
            answered_at=self._answered_at,
            audio=AudioTotals(audio_in_ms, self.voice_in_ms, out_ms),
            recording_path=self._recording_saved,
            transcript=tuple(context.transcript) if context else (),
        )

    def _recording_path(self) -> Path | None:
        if self._recorder is None or self.deps.recordings_dir is None or not self.call_id:
            return None
        name = f"call-{self.call_id:06d}-{self.channel.id.replace('.', '-')}.wav"
        return self.deps.recordings_dir / name

    def _save_recording(self) -> None:
        path = self._recording_path()
        if self._recorder is not None and path is not None:
            try:
                self._recorder.write(path)
            except OSError as exc:  # a full disk loses the recording, not the call row
                log.error("call %s: recording not saved: %s", self.channel.id, exc)
                return
            self._recording_saved = str(path)  # the spooled row keeps it if the next fails
            store = self.deps.store
            self.deps.keeper.try_write(
                "recording path", lambda: store.set_recording(self.channel.id, str(path))
            )
