"""Attended transfer to the artisan's mobile: ring, whisper a summary, bridge only on "1".

The caller hears French ringback meanwhile. A mobile's voicemail never gets the caller: it
cannot press 1, so the call comes back to the agent as "no_answer".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from agent.ari.errors import AriError
from agent.ari.models import ChannelDestroyed, ChannelDtmfReceived, Event, StasisStart
from agent.call.context import CallContext
from agent.call.media_leg import MediaLeg, quietly
from agent.config_core import CallConfig, MediaConfig
from agent.dialogue import TransferOutcome
from agent.media.codecs import Pcm
from agent.media.rtp_stream import Playback, RtpStream

log = logging.getLogger(__name__)

# The longest a holding message may still play once the transfer is over (a quick "busy").
HOLDING_MAX_S = 10.0
# The longest the artisan, having pressed 1, waits for the caller to finish what they are
# asked while the mobile rings (the street, then maybe a spelling): an answer or two and
# their transcription. Past it the bridge is made; the words said so far still count.
CALLER_READY_MAX_S = 15.0
# Another question put while the artisan holds (the spelling, once the street is heard) gets
# this long to be answered and heard, within ARTISAN_HOLD_MAX_S of the artisan's "1": cut at
# CALLER_READY_MAX_S, a spelling asked late was bridged after three letters ("S-C-R-N").
CALLER_ASKED_AGAIN_S = 12.0
ARTISAN_HOLD_MAX_S = 25.0
ARTISAN_HOLD = "Un instant, votre client finit de donner ses coordonnées."

# Q.850 causes Asterisk reports when an originated call never answered.
CAUSE_OUTCOMES: dict[int, TransferOutcome] = {
    17: "busy",
    18: "no_answer",
    19: "no_answer",
    21: "rejected",
    16: "no_answer",
}


def french_ringback(sample_rate: int) -> Pcm:
    """One cadence of the French ringback tone: 440 Hz, 1.5 s on, 3.5 s off."""
    on = np.arange(int(sample_rate * 1.5)) / sample_rate
    tone = (np.sin(2 * np.pi * 440 * on) * 3000).astype(np.int16)
    return np.concatenate([tone, np.zeros(int(sample_rate * 3.5), dtype=np.int16)])


@dataclass(eq=False)
class CallerTurn:
    """The caller's side of a transfer asked over: `ready` once they are done answering what
    they were asked while the mobile rings; `asked_at`, the loop time another question was
    last put to them (the bridge waits for that answer too, bounded)."""

    ready: asyncio.Event = field(default_factory=asyncio.Event)
    asked_at: float | None = None


class AttendedTransfer:
    def __init__(
        self, call: CallContext, config: CallConfig, media: MediaConfig, trunk_endpoint: str
    ) -> None:
        self.call = call
        self.config = config
        self.media = media
        self.trunk_endpoint = trunk_endpoint
        self.mobile_id = f"{call.channel.id}-mobile"
        self.leg = MediaLeg(call.control, self.mobile_id, call.codec)
        call.adopt_channel(self.mobile_id)
        call.adopt_channel(self.leg.media_channel_id)
        self._artisan_stream: RtpStream | None = None  # the artisan's ear, once answered
        self._tone: Playback | None = None  # the ringback queued for the caller, once started

    async def run(
        self,
        target: str,
        summary: str,
        accept_prompt: str,
        holding: Sequence[Playback] = (),
        caller: CallerTurn | None = None,
    ) -> TransferOutcome:
        """`holding`: what the caller is still hearing (the holding message); the mobile
        rings meanwhile, the ringback follows it, and a quick failure does not cut it.
        `caller`: what the caller was asked while the mobile rings; the ringback waits for
        their answer, and so does the bridge (bounded)."""
        ready = caller.ready if caller is not None else None
        ringing = asyncio.get_running_loop().create_task(self._ringback(ready))
        outcome: TransferOutcome = "failed"
        try:
            outcome = await self._ring_and_accept(target, summary, accept_prompt)
            if outcome == "answered" and caller is not None:
                outcome = await self._hold_artisan(caller)
        except asyncio.CancelledError:
            holding = ()  # the caller left: nothing to wait for them to hear
            await self.leg.close()  # the whisper's bridge and RTP go too
            raise
        finally:
            ringing.cancel()
            await asyncio.gather(ringing, return_exceptions=True)
            pending = [p.done for p in holding if not p.done.done()]
            if pending:
                await asyncio.wait(pending, timeout=HOLDING_MAX_S)
            if outcome == "answered" or (self._tone is not None and not self._tone.done.done()):
                # Put through: the agent falls silent; failed: the ringback stops, and what
                # the agent is saying meanwhile ("Merci. Ne quittez pas.") is heard to its end.
                self.call.stream.cancel_all()
        if outcome != "answered":
            await quietly(self.call.control.hangup(self.mobile_id))
        await self.leg.close()
        if outcome == "answered":
            try:
                await self.call.control.add_channel(
                    f"{self.call.channel.id}-bridge", self.mobile_id
                )
            except AriError as exc:
                log.error("transfer bridge failed: %s", exc)
                await quietly(self.call.control.hangup(self.mobile_id))
                return "failed"
        return outcome

    async def _ringback(self, after: asyncio.Event | None) -> None:
        if after is not None:
            await after.wait()  # no tone over the caller's answer
        tone = french_ringback(self.call.codec.sample_rate)
        while True:
            self._tone = self.call.stream.play(tone)
            await self._tone.done

    async def _hold_artisan(self, caller: CallerTurn) -> TransferOutcome:
        """The artisan took the call while the caller is still answering: tell them, and
        bridge when the caller is done (or at the hold's bound, whatever they say);
        "rejected" if the artisan hangs up or presses 2 meanwhile."""
        if caller.ready.is_set():
            return "answered"
        if self._artisan_stream is not None:
            rate = self.call.codec.sample_rate
            self._artisan_stream.cancel_all()  # pressed 1 mid-summary: not "Appuyez sur 1" again
            self._artisan_stream.play(await self.call.voice.render(ARTISAN_HOLD, rate))
        self.call.note("system", "le mobile attend la fin de la réponse de l'appelant")
        loop = asyncio.get_running_loop()
        held_since = loop.time()
        ready = loop.create_task(caller.ready.wait())
        leg: asyncio.Task[Event] | None = None
        try:
            while not ready.done():
                deadline = _hold_deadline(held_since, caller.asked_at)
                if loop.time() >= deadline:
                    break
                leg = loop.create_task(self.call.legs.get())
                await asyncio.wait({ready, leg}, timeout=deadline - loop.time(),
                                   return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
                if not leg.done():
                    leg.cancel()  # a Queue.get cancelled before its item loses nothing
                    await asyncio.gather(leg, return_exceptions=True)
                elif self._artisan_declined(leg.result()):
                    return "rejected"
        finally:
            ready.cancel()
            if leg is not None:
                leg.cancel()  # the caller hung up meanwhile: no reader left on the legs
        return "answered"

    def _artisan_declined(self, event: Event) -> bool:
        """The held artisan hung up, or pressed another key than 1 (2: declined, as during
        the summary)."""
        if isinstance(event, ChannelDtmfReceived) and event.channel_id == self.mobile_id:
            return event.digit != "1"
        return isinstance(event, ChannelDestroyed) and event.channel_id == self.mobile_id

    async def _ring_and_accept(
        self, target: str, summary: str, accept_prompt: str
    ) -> TransferOutcome:
        try:
            await self.call.control.originate(
                f"PJSIP/{target}@{self.trunk_endpoint}",
                self.mobile_id,
                caller_id=self.call.caller_number or "decroche",
                timeout_s=self.config.transfer_ring_s,
                app_args="transfer",
            )
        except AriError as exc:
            log.error("could not ring the mobile %s: %s", target, exc)
            return "failed"
        events = self._events(self.config.transfer_ring_s + 5)
        async for event in events:
            if isinstance(event, ChannelDestroyed) and event.channel_id == self.mobile_id:
                return CAUSE_OUTCOMES.get(event.cause, "failed")
            if isinstance(event, StasisStart) and event.channel_id == self.mobile_id:
                return await self._whisper_and_wait(summary, accept_prompt)
        return "no_answer"

    async def _whisper_and_wait(self, summary: str, accept_prompt: str) -> TransferOutcome:
        """The artisan answered: play the summary on their leg only, wait for 1."""
        try:
            await self.leg.open(
                lambda _samples: None, self.media.rtp_bind_host, self.media.rtp_advertise_host
            )
        except AriError:
            return "no_answer"
        voice, rate = self.call.voice, self.call.codec.sample_rate
        whisper = await voice.render(f"{summary} {accept_prompt}", rate)
        events = self._events(self.config.transfer_accept_s + len(whisper) / rate)
        async for event in events:
            if isinstance(event, StasisStart) and event.channel_id == self.leg.media_channel_id:
                stream = await self.leg.media_ready()
                stream.play(whisper)
                self._artisan_stream = stream
                self.call.note("system", "résumé joué au mobile", summary=summary)
            elif isinstance(event, ChannelDtmfReceived) and event.channel_id == self.mobile_id:
                if event.digit == "1":
                    return "answered"
                return "rejected"
            elif isinstance(event, ChannelDestroyed) and event.channel_id == self.mobile_id:
                return "rejected"
        return "no_answer"

    async def _events(self, timeout_s: float) -> AsyncIterator[Event]:
        deadline = asyncio.get_running_loop().time() + timeout_s
        while asyncio.get_running_loop().time() < deadline:
            event: Event | None = None
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow the caller's hang-up
            # (the task's cancel) when a leg event arrives in the same loop turn.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(deadline):
                    event = await self.call.legs.get()
            if event is not None:
                yield event


def _hold_deadline(held_since: float, asked_at: float | None) -> float:
    """When the held artisan is bridged whatever the caller is saying: CALLER_READY_MAX_S
    after their "1", later for a question put meanwhile, never past ARTISAN_HOLD_MAX_S."""
    deadline = held_since + CALLER_READY_MAX_S
    if asked_at is not None:
        deadline = max(deadline, asked_at + CALLER_ASKED_AGAIN_S)
    return min(deadline, held_since + ARTISAN_HOLD_MAX_S)
