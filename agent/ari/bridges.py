"""Orphan bridges: reaped when the events websocket (re)connects.

A call's mixing bridge is destroyed by its session's teardown. An agent that was killed
(SIGKILL, OOM, power) never gets there, and Asterisk keeps an empty ARI bridge until it
restarts itself: one leaked per killed call. On every (re)connect, after the calls have been
resynced, the bridges this agent names (`<caller channel id>-bridge`, agent/call/media_leg.py)
that no live call of ours uses are destroyed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from agent.ari.errors import AriError, AriNotFound
from agent.ari.models import Bridge, Channel

__all__ = ["BRIDGE_SUFFIX", "BridgeControl", "is_ours", "orphan_bridges", "reap_orphan_bridges"]

log = logging.getLogger(__name__)

BRIDGE_SUFFIX = "-bridge"  # MediaLeg.bridge_id = f"{channel_id}-bridge"


class BridgeControl(Protocol):
    """What reaping needs of agent.ari.client.AriClient."""

    async def list_bridges(self) -> list[Bridge]: ...
    async def list_channels(self) -> list[Channel]: ...
    async def destroy_bridge(self, bridge_id: str) -> None: ...


def is_ours(bridge: Bridge) -> bool:
    """Made through ARI and named as decroche names a call's bridge."""
    return bridge.made_by_ari and bridge.id.endswith(BRIDGE_SUFFIX) and bridge.id != BRIDGE_SUFFIX


def orphan_bridges(
    bridges: list[Bridge], channels: list[Channel], owns: Callable[[str], bool], app: str
) -> list[Bridge]:
    """Our bridges that no live call of this agent uses.

    A bridge is kept when its call is live here (`owns`: its caller channel, or any channel
    in it), or when a channel in it belongs to another Stasis app: a second decroche on the
    same Asterisk names its bridges the same way, and its calls are none of our business.
    """
    stasis_app = {
        c.id: c.dialplan_app_data.split(",")[0] for c in channels if c.dialplan_app == "Stasis"
    }
    orphans = []
    for bridge in bridges:
        if not is_ours(bridge) or owns(bridge.id.removesuffix(BRIDGE_SUFFIX)):
            continue
        if any(owns(c) for c in bridge.channels):
            continue
        if any(stasis_app.get(c, app) != app for c in bridge.channels):
            continue
        orphans.append(bridge)
    return orphans


async def reap_orphan_bridges(control: BridgeControl, owns: Callable[[str], bool], app: str) -> int:
    """Destroy our orphan bridges; how many went. Never raises: reaping must not stop the
    events connection that calls it (a failure is logged, the next connect tries again)."""
    try:
        bridges = await control.list_bridges()
        channels = await control.list_channels()
    except AriError as exc:
        log.warning("orphan bridges not checked: %s", exc)
        return 0
    reaped = 0
    for bridge in orphan_bridges(bridges, channels, owns, app):
        try:
            await control.destroy_bridge(bridge.id)
        except AriNotFound:
            continue  # its call's teardown got there first
        except AriError as exc:
            log.warning("orphan bridge %s not destroyed: %s", bridge.id, exc)
            continue
        reaped += 1
        log.info(
            "orphan bridge %s destroyed (%d channel(s) in it)", bridge.id, len(bridge.channels)
        )
    return reaped
