"""ARI: reachable, credentials accepted, the agent's Stasis app registered, version, modules."""

from __future__ import annotations

import re
import time
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp

from agent.ari.client import AriClient
from agent.ari.errors import AriAuthError, AriError, AriTimeout, AriUnavailable
from agent.config_core import AriConfig
from agent.doctor.checks import AriClock, Check, CheckFailed, Context

# Tested on Asterisk 22 (the sandbox); 20 and 21 are the other versions FreePBX 17 installs.
# Older ones are refused: nothing was ever run on them.
MIN_MAJOR = 20
# Stasis and ARI carry the call to the agent, PJSIP the SIP legs, RTP the externalMedia audio.
REQUIRED_MODULES = ("res_ari.so", "res_stasis.so", "app_stasis.so", "chan_pjsip.so",
                    "res_rtp_asterisk.so")  # fmt: skip
TRUNK_MODULES = ("res_pjsip_outbound_registration.so",)


class DoctorAri(AriClient):
    """The agent's ARI client, plus the read-only resources only the doctor reads."""

    async def get(self, path: str) -> Any:
        return await self._request("GET", path)


async def _fetch(ari: AriConfig, path: str) -> Any:
    client = DoctorAri(ari)
    try:
        return await client.get(path)
    finally:
        await client.close()


async def ari_reachable(ctx: Context) -> str:
    """An unauthenticated GET: any HTTP answer from ARI (401 expected) proves it listens."""
    ari = ctx.require_config().ari
    url = f"{ari.url}/ari/asterisk/info"
    timeout = aiohttp.ClientTimeout(total=ari.request_timeout_s, connect=ari.connect_timeout_s)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as http, http.get(url) as response:
            status, date = response.status, response.headers.get("Date")
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise CheckFailed(
            f"nothing answers at {ari.url} ({type(exc).__name__}: {exc})",
            "start Asterisk; check http.conf (enabled = yes, bindaddr, bindport) and [ari] url",
        ) from None
    if status == 404:
        raise CheckFailed(
            f"an HTTP server answers at {ari.url} but not ARI (HTTP 404 on /ari)",
            "load res_ari (modules.conf) and set enabled = yes in ari.conf [general]",
        )
    _keep_clock(ctx, date)
    return f"ARI answers at {ari.url} (HTTP {status} without credentials)"


def _keep_clock(ctx: Context, date: str | None) -> None:
    """Asterisk's HTTP server stamps every answer: the clock check's last resort."""
    if not date:
        return
    try:
        asterisk = parsedate_to_datetime(date).timestamp()
    except (TypeError, ValueError):
        return
    ctx.ari_clock = AriClock(asterisk_epoch=asterisk, local_epoch=time.time())


async def ari_credentials(ctx: Context) -> str:
    ari = ctx.require_config().ari
    try:
        info = await _fetch(ari, "/asterisk/info")
    except AriAuthError:
        raise CheckFailed(
            f"Asterisk refused ARI user {ari.username!r} (HTTP 401)",
            "set [ari] username and password to a user of ari.conf "
            "(decroche pbx render writes ari.conf from this config)",
        ) from None
    except (AriUnavailable, AriTimeout) as exc:
        raise CheckFailed(str(exc), "check that Asterisk is up and [ari] url") from None
    ctx.asterisk_info = info
    return f"user {ari.username!r} accepted"


async def ari_app(ctx: Context) -> str:
    ari = ctx.require_config().ari
    apps = await _get(ari, "/applications")
    names = sorted(str(a.get("name")) for a in apps)
    if ari.app not in names:
        others = f" (registered: {', '.join(names)})" if names else ""
        raise CheckFailed(
            f"no agent is connected as Stasis app {ari.app!r}{others}: calls go to the fallback",
            "start the agent (systemctl start decroche, or decroche run --config FILE); "
            "[ari] app must match the dialplan's Stasis() step",
        )
    return f"Stasis app {ari.app!r} registered: the agent is connected"


async def asterisk_version(ctx: Context) -> str:
    info = ctx.asterisk_info or {}
    version = str(info.get("system", {}).get("version", ""))
    match = re.match(r"(?:certified[/-])?(\d+)\.", version)
    if match is None:
        raise CheckFailed(
            f"Asterisk did not say its version ({version!r})",
            "check `asterisk -rx 'core show version'`",
        )
    if int(match.group(1)) < MIN_MAJOR:
        raise CheckFailed(
            f"Asterisk {version}: decroche needs {MIN_MAJOR} or newer (tested on 22)",
            "upgrade Asterisk (FreePBX: Admin > Asterisk Versions, or fwconsole)",
        )
    return f"Asterisk {version}"


async def asterisk_modules(ctx: Context) -> str:
    config = ctx.require_config()
    modules = await _get(config.ari, "/asterisk/modules")
    running = {str(m.get("name")) for m in modules if str(m.get("status")).lower() == "running"}
    wanted = REQUIRED_MODULES + (TRUNK_MODULES if config.trunk.password else ())
    missing = [name for name in wanted if name not in running]
    if missing:
        raise CheckFailed(
            f"not running: {', '.join(missing)}",
            "load them (asterisk -rx 'module load NAME') and remove any `noload` of them "
            "from modules.conf",
        )
    return f"running: {', '.join(wanted)}"


async def _get(ari: AriConfig, path: str) -> Any:
    try:
        return await _fetch(ari, path)
    except AriError as exc:
        raise CheckFailed(str(exc), "check that Asterisk is up and [ari] url") from None


CHECKS = (
    Check("ari_reachable", "ARI reachable", ari_reachable),
    Check("ari_credentials", "ARI credentials", ari_credentials, ("ari_reachable",)),
    Check("ari_app", "agent's Stasis app registered", ari_app, ("ari_credentials",)),
    Check("asterisk_version", "Asterisk version", asterisk_version, ("ari_credentials",)),
    Check("asterisk_modules", "Asterisk modules", asterisk_modules, ("ari_credentials",)),
)
