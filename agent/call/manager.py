"""Routes ARI events to their call, in order: one queue and one task per call."""

from __future__ import annotations

import asyncio
import logging

from agent.ari.errors import AriError, AriNotFound
from agent.ari.models import Channel, ChannelDestroyed, Event, StasisStart
from agent.call.observer import summarize
from agent.call.session import (
    FALLBACK_CONTEXT,
    STORAGE_FAILED,
    CallDeps,
    CallSession,
    HandBack,
)
from agent.store.calls import ClosedCall, utc_now

log = logging.getLogger(__name__)

HAND_BACK_TIMEOUT_S = 5.0  # stopping: how long sessions get to hand their caller back


class CallManager:
    def __init__(self, deps: CallDeps, app: str, max_calls: int) -> None:
        self.deps = deps
        self.app = app
        self.max_calls = max_calls
        self._routes: dict[str, CallSession] = {}
        self._sessions: dict[CallSession, asyncio.Task[None]] = {}
        self.calls_started = 0
        deps.keeper.health.listeners.append(self._storage_lost)

    @property
    def active_calls(self) -> int:
        return len(self._sessions)

    @property
    def sessions(self) -> tuple[CallSession, ...]:
        """The calls in progress, read-only (the call simulator reads the live dialogue)."""
        return tuple(self._sessions)

    def _route(self, channel_id: str, session: CallSession) -> None:
        self._routes[channel_id] = session

    async def dispatch(self, event: Event) -> None:
        channel_id = event.channel_id
        session = self._routes.get(channel_id) if channel_id else None
        if session is not None:
            session.queue.put_nowait(event)
        elif isinstance(event, StasisStart) and not event.channel.is_external_media:
            await self._new_call(event)
        else:
            log.debug("event %s for unknown channel %s ignored", event.type, channel_id)

    async def _new_call(self, event: StasisStart) -> None:
        channel = event.channel
        if len(self._sessions) >= self.max_calls:
            log.warning("call %s over the %d-call cap: to the mobile", channel.id, self.max_calls)
            await self._refuse(channel, "overflow")
            return
        if not self.deps.keeper.health.ok:  # nothing could be kept of this call: the artisan
            log.info("call %s: storage down, to the mobile", channel.id)
            await self._refuse(channel, STORAGE_FAILED)
            return
        session = CallSession(channel, self.deps, self._route)
        self._route(channel.id, session)
        session.queue.put_nowait(event)
        task = asyncio.get_running_loop().create_task(self._run(session), name=f"call-{channel.id}")
        self._sessions[session] = task
        self.calls_started += 1

    async def _run(self, session: CallSession) -> None:
        try:
            await session.run()
        finally:
            for channel_id in [c for c, s in self._routes.items() if s is session]:
                del self._routes[channel_id]
            self._sessions.pop(session, None)

    async def _refuse(self, channel: Channel, outcome: str) -> None:
        """To the mobile at once, then a row so the artisan sees the call in the dashboard
        (spooled if the database refuses it: the hand-back never waits on storage)."""
        started = utc_now()
        await self._hand_back(channel)
        row = ClosedCall(channel.id, channel.caller_number or None, channel.caller_name or None,
                         started, utc_now(), outcome)  # fmt: skip
        self.deps.keeper.write("call row", lambda: self.deps.store.put(row), lambda: row)
        summary = summarize(row, 0)
        log.info(summary.line(), extra={"call": summary.fields()})
        self.deps.observer.call_ended(summary)

    def _storage_lost(self) -> None:
        """Storage failed: every caller goes to the mobile now, what they said is spooled."""
        for session in list(self._sessions):
            if session.active:
                session.queue.put_nowait(HandBack("HandBack", self.app, {}, STORAGE_FAILED, True))

    async def _hand_back(self, channel: Channel) -> None:
        try:
            await self.deps.control.continue_in_dialplan(channel.id, FALLBACK_CONTEXT)
        except AriNotFound:
            log.debug("call %s already gone, nothing to hand back", channel.id)
        except AriError as exc:
            log.error("could not hand call %s back to the dialplan: %s", channel.id, exc)

    async def resync(self) -> None:
        """After (re)connecting: end calls Asterisk forgot, rescue calls nobody owns."""
        channels = await self.deps.control.list_channels()
        alive = {channel.id for channel in channels}
        for session in list(self._sessions):
            if session.channel.id not in alive:
                session.queue.put_nowait(
                    ChannelDestroyed(
                        "ChannelDestroyed", self.app, {}, session.channel, 0, "gone after resync"
                    )
                )
        for channel in channels:
            if channel.id in self._routes or not channel.in_stasis_app(self.app):
                continue
            if channel.is_external_media:
                await self._hangup_orphan(channel)
            else:
                log.warning("orphan call %s (agent restarted?): to the mobile", channel.id)
                await self._hand_back(channel)

    async def _hangup_orphan(self, channel: Channel) -> None:
        try:
            await self.deps.control.hangup(channel.id)
        except AriError as exc:
            log.debug("orphan %s already gone: %s", channel.id, exc)

    def owns(self, channel_id: str) -> bool:
        """A live call of this agent uses the channel (its caller, media or another leg)."""
        return channel_id in self._routes

    async def close(self) -> None:
        """Agent stopping: every caller still here goes to the fallback, not to dead air.

        Each session hands its own caller back (HandBack), so it knows the call went on to
        the mobile and does not end it as a hang-up (no "missed call" texts, outcome
        agent_stopped); a session that does not finish in time is cancelled.
        """
        for session in list(self._sessions):
            if session.active:  # a caller who already left must not ring the mobile
                session.queue.put_nowait(HandBack("HandBack", self.app, {}))
        tasks = list(self._sessions.values())
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=HAND_BACK_TIMEOUT_S)
            for task in late:
                task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
