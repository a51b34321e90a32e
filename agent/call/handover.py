"""Handing an urgent caller to the artisan, beside the receptionist's loop.

The transfer runs as its own task so the receptionist goes on hearing the caller while the
mobile rings: the street is asked meanwhile (agent.dialogue, `asking_while_ringing`), and the
bridge waits until the caller is done answering (`CallerTurn`, bounded in the transfer).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from agent.ari.models import ChannelDestroyed
from agent.call.context import CallContext
from agent.call.session import FALLBACK_CONTEXT
from agent.call.transfer import AttendedTransfer, CallerTurn
from agent.config_core import CallConfig, MediaConfig
from agent.dialogue import Transfer, TransferOutcome
from agent.media.rtp_stream import Playback

__all__ = ["Handover"]


class Handover:
    def __init__(
        self, config: CallConfig, media: MediaConfig, trunk_endpoint: str, accept_prompt: str
    ) -> None:
        self.config = config
        self.media = media
        self.trunk_endpoint = trunk_endpoint
        self.accept_prompt = accept_prompt
        self.transferred = False  # the caller is with the artisan (bridged, or the dialplan's)
        self._task: asyncio.Task[TransferOutcome] | None = None
        self._caller = CallerTurn()
        self._asking = False  # the caller was asked something as the mobile started ringing

    @property
    def ringing(self) -> bool:
        """A transfer is under way (its outcome not yet taken)."""
        return self._task is not None

    def start(
        self, call: CallContext, action: Transfer, holding: Sequence[Playback], asking: bool
    ) -> None:
        """Ring the mobile while `holding` (what the caller is hearing) plays; `asking`:
        the caller was just asked something, and the bridge waits for the answer."""
        self._caller = CallerTurn()
        self._asking = asking
        caller = self._caller if asking else None
        self._task = asyncio.get_running_loop().create_task(
            self._run(call, action, holding, caller)
        )

    def asked_again(self) -> None:
        """Another question was put to the caller while the mobile rings (the spelling after
        the street): an artisan already holding waits for that answer too (bounded)."""
        if self.ringing and self._asking:
            self._caller.asked_at = asyncio.get_running_loop().time()

    def outcome(self, caller_busy: bool) -> TransferOutcome | None:
        """The transfer's outcome once it is over (given once); until then, whether the
        caller is still answering (`caller_busy`) is passed on to the transfer. A transfer
        that failed while the caller was answering waits for the answer: it is the street
        asked, and the agent must not talk over it with the next question."""
        task = self._task
        if task is None:
            return None
        if not caller_busy:
            self._caller.ready.set()
        if not task.done() or (caller_busy and self._caller_ready_awaited(task)):
            return None
        self._task = None
        return task.result()

    def _caller_ready_awaited(self, task: asyncio.Task[TransferOutcome]) -> bool:
        """A failed transfer whose question is still being answered."""
        return self._asking and task.result() != "answered"

    async def stop(self) -> None:
        """The call is over: a transfer still running is cancelled (the mobile, an adopted
        channel, is hung up with the call)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def bridge_ended(self, call: CallContext) -> None:
        """Caller and artisan talk; the call ends when the artisan hangs up."""
        while True:
            event = await call.legs.get()
            if isinstance(event, ChannelDestroyed) and event.channel.id.endswith("-mobile"):
                return

    async def _run(
        self,
        call: CallContext,
        action: Transfer,
        holding: Sequence[Playback],
        caller: CallerTurn | None,
    ) -> TransferOutcome:
        mode = self.config.transfer_mode
        if mode != "attended" and holding:
            await asyncio.gather(*(p.done for p in holding))  # the holding message first
        if mode == "off":
            return "failed"
        if mode == "blind":  # the dialplan rings the mobile, then voicemail: no accept step
            await call.control.continue_in_dialplan(call.channel.id, FALLBACK_CONTEXT)
            call.note("system", "transfert direct vers le mobile")
            call.stats.transfer("blind")
            self.transferred = True
            return "answered"
        transfer = AttendedTransfer(call, self.config, self.media, self.trunk_endpoint)
        result = await transfer.run(
            action.target, action.summary_for_artisan, self.accept_prompt, holding, caller
        )
        call.note("system", f"transfert vers le mobile: {result}")
        call.stats.transfer(result)
        self.transferred = result == "answered"
        return result
