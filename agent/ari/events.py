"""The ARI events websocket, supervised: connect, resync, read, reconnect with capped backoff.

Asterisk restarts silently drop the app's subscription; one loop owns reconnection so nothing
else has to care. A wrong password is fatal (AriAuthError) instead of a retry storm.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp

from agent.ari.errors import AriAuthError
from agent.ari.models import Event, parse_event
from agent.basic_auth import basic_authorization
from agent.config_core import AriConfig

log = logging.getLogger(__name__)

EventHandler = Callable[[Event], Awaitable[None]]
ConnectedHandler = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Backoff:
    initial_s: float = 0.25
    factor: float = 2.0
    cap_s: float = 5.0
    healthy_after_s: float = 10.0  # a connection that lived this long resets the backoff

    def delays(self) -> Callable[[bool], float]:
        current = [self.initial_s]

        def next_delay(reset: bool) -> float:
            if reset:
                current[0] = self.initial_s
            delay = current[0]
            current[0] = min(self.cap_s, current[0] * self.factor)
            return delay

        return next_delay


class EventStream:
    def __init__(
        self,
        config: AriConfig,
        on_event: EventHandler,
        on_connected: ConnectedHandler,
        backoff: Backoff | None = None,
    ) -> None:
        self.config = config
        self._on_event = on_event
        self._on_connected = on_connected
        self._backoff = backoff or Backoff()
        self.connected = asyncio.Event()
        self.connections = 0

    def _url(self) -> str:
        base = self.config.url.replace("http://", "ws://").replace("https://", "wss://")
        return f"{base}/ari/events?app={self.config.app}&subscribeAll=false"

    async def run(self) -> None:
        """Run until cancelled; raises AriAuthError when Asterisk refuses the credentials."""
        next_delay = self._backoff.delays()
        loop = asyncio.get_running_loop()
        timeout = aiohttp.ClientTimeout(total=None, connect=self.config.connect_timeout_s)
        auth = basic_authorization(self.config.username, self.config.password)
        async with aiohttp.ClientSession(timeout=timeout, headers=auth) as session:
            while True:
                started = loop.time()
                try:
                    await self._session_once(session)
                    reason = "closed by Asterisk"
                except aiohttp.WSServerHandshakeError as exc:
                    if exc.status == 401:
                        raise AriAuthError(
                            "Asterisk refused the ARI credentials (HTTP 401); "
                            "check [ari] username and password",
                            401,
                        ) from exc
                    reason = f"handshake failed: HTTP {exc.status}"
                except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                    reason = f"{type(exc).__name__}: {exc}"
                finally:
                    self.connected.clear()
                healthy = loop.time() - started >= self._backoff.healthy_after_s
                delay = next_delay(healthy)
                log.warning("ARI events %s; reconnecting in %.2f s", reason, delay)
                await asyncio.sleep(delay)

    async def _session_once(self, session: aiohttp.ClientSession) -> None:
        async with session.ws_connect(self._url(), heartbeat=5.0, autoping=True) as ws:
            self.connections += 1
            log.info("ARI events connected (connection #%d)", self.connections)
            await self._on_connected()
            self.connected.set()
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    await self._dispatch(message.data)
                elif message.type in (aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSE):
                    break

    async def _dispatch(self, text: str) -> None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            log.warning("ARI sent a message that is not JSON: %.200s", text)
            return
        if not isinstance(data, dict):
            log.warning("ARI sent a message that is not an object: %.200s", text)
            return
        await self._on_event(parse_event(data))
