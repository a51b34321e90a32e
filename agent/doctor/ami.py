"""A short AMI session over panoramisk for the doctor's read-only actions.

panoramisk reconnects on its own after a failure or a close (call_later(reconnect_timeout));
the doctor wants one attempt, so the delay is set beyond any run and the loop ends first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from panoramisk import Manager
from panoramisk.message import Message

NEVER_S = 24 * 3600  # panoramisk's reconnect delay: longer than any doctor run
_quiet = logging.Logger("agent.doctor.ami", level=logging.CRITICAL + 1)


class AmiError(Exception):
    """AMI unreachable, login refused, or an action answered with an error."""

    def __init__(self, message: str, *, refused: bool = False) -> None:
        super().__init__(message)
        self.refused = refused  # credentials or permissions, not the network


class AmiSession:
    def __init__(self, manager: Manager, where: str) -> None:
        self._manager = manager
        self.where = where

    @classmethod
    async def open(
        cls, host: str, port: int, username: str, secret: str, timeout_s: float
    ) -> AmiSession:
        manager = Manager(
            host=host, port=port, username=username, secret=secret, events="off",
            ping_delay=NEVER_S, reconnect_timeout=NEVER_S, log=_quiet,
            loop=asyncio.get_running_loop(),
        )  # fmt: skip
        where = f"{host}:{port}"
        try:
            # Shielded: cancelling panoramisk's connect task would raise in its own callback.
            await asyncio.wait_for(asyncio.shield(manager.connect()), timeout_s)
            login = manager.authenticated_future
            reply = await asyncio.wait_for(login, timeout_s) if login is not None else None
        except (OSError, TimeoutError) as exc:
            manager.close()
            said = f"{type(exc).__name__}: {exc}"
            raise AmiError(f"AMI does not answer at {where} ({said})") from None
        if reply is None or not reply.success:
            manager.close()
            said = reply.message if reply is not None else "no login answer"
            raise AmiError(f"AMI at {where} refused user {username!r}: {said}", refused=True)
        return cls(manager, where)

    async def action(self, name: str, timeout_s: float, **fields: str) -> list[Message]:
        """The action's events (the leading Response removed); AmiError on an error answer."""
        future = self._manager.send_action({"Action": name, **fields})
        answer = await asyncio.wait_for(future, timeout_s)
        messages: Sequence[Message] = answer if isinstance(answer, list) else [answer]
        head = messages[0]
        if head.response and not head.success:
            refused = "permission" in str(head.message).lower()
            raise AmiError(f"AMI {name}: {head.message}", refused=refused)
        return [m for m in messages if m.event]

    async def getvar(self, variable: str, timeout_s: float) -> str | None:
        """A global dialplan variable, None when unset."""
        future = self._manager.send_action({"Action": "Getvar", "Variable": variable})
        answer: Any = await asyncio.wait_for(future, timeout_s)
        if not isinstance(answer, Mapping) or answer.get("Response") != "Success":
            return None
        value = answer.get("Value")
        return str(value) if value not in (None, "", "(null)") else None

    async def close(self) -> None:
        self._manager.close()
