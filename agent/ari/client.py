"""ARI REST client: the dozen calls decroche makes, as explicit typed methods over aiohttp."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import aiohttp

from agent.ari.errors import (
    AriAuthError,
    AriConflict,
    AriError,
    AriNotFound,
    AriTimeout,
    AriUnavailable,
)
from agent.ari.models import Bridge, Channel
from agent.basic_auth import basic_authorization
from agent.config_core import AriConfig

Params = Mapping[str, str | int]


class AriClient:
    """One per process; shares a single aiohttp session (connection pooling to Asterisk)."""

    def __init__(self, config: AriConfig, session: aiohttp.ClientSession | None = None) -> None:
        self.config = config
        self._base = f"{config.url}/ari"
        self._headers = basic_authorization(config.username, config.password)
        self._session = session
        self._owns_session = session is None

    async def __aenter__(self) -> AriClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(
                total=self.config.request_timeout_s, connect=self.config.connect_timeout_s
            )
            self._session = aiohttp.ClientSession(timeout=timeout)
            self._owns_session = True
        return self._session

    async def close(self) -> None:
        if self._session is not None and self._owns_session:
            await self._session.close()
        self._session = None

    async def _request(
        self,
        method: str,
        path: str,
        params: Params | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        url = f"{self._base}{path}"
        query = {k: str(v) for k, v in (params or {}).items()}
        try:
            async with self._http().request(
                method, url, params=query, json=body, headers=self._headers
            ) as response:
                if response.status >= 400:
                    raise _error_for(response.status, method, path, await response.text())
                if response.status == 204 or response.content_length == 0:
                    return None
                return await response.json(content_type=None)
        except TimeoutError as exc:
            raise AriTimeout(f"{method} {path}: no answer from Asterisk in time") from exc
        except aiohttp.ClientConnectionError as exc:
            raise AriUnavailable(f"{method} {path}: Asterisk unreachable at {url}: {exc}") from exc

    # ---- asterisk ------------------------------------------------------------------------
    async def asterisk_info(self) -> Mapping[str, Any]:
        info: Mapping[str, Any] = await self._request("GET", "/asterisk/info")
        return info

    async def list_channels(self) -> list[Channel]:
        return [Channel.from_json(c) for c in await self._request("GET", "/channels")]

    # ---- channels ------------------------------------------------------------------------
    async def answer(self, channel_id: str) -> None:
        await self._request("POST", f"/channels/{channel_id}/answer")

    async def ring(self, channel_id: str) -> None:
        """Ringback to the caller while something is being prepared (transfer, prompts)."""
        await self._request("POST", f"/channels/{channel_id}/ring")

    async def hangup(self, channel_id: str, reason: str = "normal") -> None:
        await self._request("DELETE", f"/channels/{channel_id}", {"reason": reason})

    async def continue_in_dialplan(
        self, channel_id: str, context: str, extension: str = "s", priority: int = 1
    ) -> None:
        await self._request(
            "POST",
            f"/channels/{channel_id}/continue",
            {"context": context, "extension": extension, "priority": priority},
        )

    async def get_variable(self, channel_id: str, name: str) -> str:
        result = await self._request("GET", f"/channels/{channel_id}/variable", {"variable": name})
        return str(result.get("value", "")) if result else ""

    async def set_variable(self, channel_id: str, name: str, value: str) -> None:
        await self._request(
            "POST", f"/channels/{channel_id}/variable", {"variable": name, "value": value}
        )

    async def external_media(
        self, channel_id: str, external_host: str, audio_format: str, app: str | None = None
    ) -> Channel:
        """An RTP channel to `external_host` (ip:port); it enters Stasis on its own."""
        params: dict[str, str | int] = {
            "app": app or self.config.app,
            "external_host": external_host,
            "format": audio_format,
            "channelId": channel_id,
            "encapsulation": "rtp",
            "transport": "udp",
            "connection_type": "client",
            "direction": "both",
        }
        return Channel.from_json(await self._request("POST", "/channels/externalMedia", params))

    async def originate(
        self,
        endpoint: str,
        channel_id: str,
        caller_id: str,
        timeout_s: int,
        app_args: str = "",
        variables: Mapping[str, str] | None = None,
    ) -> Channel:
        params: dict[str, str | int] = {
            "endpoint": endpoint,
            "app": self.config.app,
            "appArgs": app_args,
            "channelId": channel_id,
            "callerId": caller_id,
            "timeout": timeout_s,
        }
        body = {"variables": dict(variables)} if variables else None
        return Channel.from_json(await self._request("POST", "/channels", params, body))

    async def play(self, channel_id: str, media: str, playback_id: str) -> None:
        await self._request(
            "POST", f"/channels/{channel_id}/play", {"media": media, "playbackId": playback_id}
        )

    async def stop_playback(self, playback_id: str) -> None:
        await self._request("DELETE", f"/playbacks/{playback_id}")

    async def send_dtmf(self, channel_id: str, digits: str) -> None:
        await self._request("POST", f"/channels/{channel_id}/dtmf", {"dtmf": digits})

    # ---- bridges -------------------------------------------------------------------------
    async def list_bridges(self) -> list[Bridge]:
        """Every bridge Asterisk holds (any app's, and the dialplan's)."""
        return [Bridge.from_json(b) for b in await self._request("GET", "/bridges")]

    async def create_bridge(self, bridge_id: str, bridge_type: str = "mixing") -> str:
        result = await self._request(
            "POST", "/bridges", {"type": bridge_type, "bridgeId": bridge_id}
        )
        return str(result["id"])

    async def add_channel(self, bridge_id: str, channel_id: str) -> None:
        await self._request("POST", f"/bridges/{bridge_id}/addChannel", {"channel": channel_id})

    async def remove_channel(self, bridge_id: str, channel_id: str) -> None:
        await self._request("POST", f"/bridges/{bridge_id}/removeChannel", {"channel": channel_id})

    async def destroy_bridge(self, bridge_id: str) -> None:
        await self._request("DELETE", f"/bridges/{bridge_id}")

    async def record_bridge(
        self, bridge_id: str, name: str, audio_format: str = "wav", max_duration_s: int = 0
    ) -> None:
        """Record the mixed bridge (both sides) into Asterisk's recording folder."""
        await self._request(
            "POST",
            f"/bridges/{bridge_id}/record",
            {
                "name": name,
                "format": audio_format,
                "maxDurationSeconds": max_duration_s,
                "ifExists": "overwrite",
                "beep": "false",
                "terminateOn": "none",
            },
        )


def _error_for(status: int, method: str, path: str, text: str) -> AriError:
    message = f"{method} {path}: HTTP {status} {text.strip()[:200]}"
    if status == 401:
        return AriAuthError(f"{message} (check [ari] username and password)", status)
    if status == 404 or (status == 400 and "not found" in text.lower()):
        # A channel that hung up a moment ago: Asterisk answers some calls (answer, ring,
        # externalMedia) with 400 "Channel not found" rather than 404.
        return AriNotFound(message, status)
    if status in (409, 412, 422):
        return AriConflict(message, status)
    return AriError(message, status)


async def wait_until_ready(client: AriClient, timeout_s: float) -> Mapping[str, Any]:
    """Poll /asterisk/info until it answers (Asterisk starting); auth errors fail at once."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        try:
            return await client.asterisk_info()
        except (AriUnavailable, AriTimeout):
            if asyncio.get_running_loop().time() >= deadline:
                raise
            await asyncio.sleep(0.5)
