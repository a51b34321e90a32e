"""A scripted caller conversation: answer each agent turn with a line of speech."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.call.ports import Voice
from devkit.caller.caller import SipCaller


@dataclass
class Exchange:
    said: str
    spoke_at: float
    ended_at: float
    agent_replied_at: float | None = None

    @property
    def turn_ms(self) -> float | None:
        """End of the caller's speech to the first agent audio the caller heard."""
        if self.agent_replied_at is None:
            return None
        return (self.agent_replied_at - self.ended_at) * 1000


@dataclass
class ScriptResult:
    greeting_ms: float | None
    exchanges: list[Exchange] = field(default_factory=list)
    hung_up_by_agent: bool = False

    @property
    def turn_ms(self) -> list[float]:
        return [e.turn_ms for e in self.exchanges if e.turn_ms is not None]


async def run_script(
    call: SipCaller,
    voice: Voice,
    lines: Sequence[str],
    *,
    quiet_s: float = 1.2,
    reply_timeout_s: float = 30.0,
) -> ScriptResult:
    """Wait for the agent's greeting, then say each line after the agent's turn ends."""
    first = await call.wait_for_agent_turn(
        call.answered_at, quiet_s=quiet_s, timeout_s=reply_timeout_s
    )
    result = ScriptResult(None if first is None else (first - call.invite_at) * 1000)
    for line in lines:
        if call.hung_up_by_remote.is_set():
            break
        speech = await voice.render(line, 8000)
        spoke_at = time.monotonic()
        await call.say(speech).done
        exchange = Exchange(line, spoke_at, time.monotonic())
        result.exchanges.append(exchange)
        exchange.agent_replied_at = await call.wait_for_agent_turn(
            exchange.ended_at, quiet_s=quiet_s, timeout_s=reply_timeout_s
        )
    result.hung_up_by_agent = call.hung_up_by_remote.is_set()
    return result
