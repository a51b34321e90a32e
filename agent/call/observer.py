"""What the call layer tells the outside about its calls (metrics, the per-call log line).

A narrow port: the call logic reports facts (a call started, a turn took so long, a transfer
ended so) to a `CallObserver`; the Prometheus side (agent/metrics) implements it. Nothing
here imports prometheus or aiohttp.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from agent.store.calls import ClosedCall


@dataclass(frozen=True)
class CallSummary:
    """One call, closed: what the summary log line and the call metrics are made of."""

    channel_id: str
    call_id: int
    caller: str | None
    duration_s: float
    outcome: str
    answered: bool
    urgent: bool | None  # None: no lead was taken (hang-up at the greeting, hand-back...)
    transferred: bool
    lead_id: int | None
    turns: int
    median_turn_ms: float | None

    def line(self) -> str:
        """The one log line of the call (key=value, the caller's number masked at INFO by
        the log filter of agent/logs.py)."""
        urgency = {None: "-", True: "urgent", False: "normal"}[self.urgent]
        median = "-" if self.median_turn_ms is None else f"{self.median_turn_ms:.0f}"
        return (
            f"call {self.channel_id} summary: id={self.call_id} duration_s={self.duration_s:.1f}"
            f" outcome={self.outcome} urgency={urgency}"
            f" transferred={'yes' if self.transferred else 'no'}"
            f" lead={self.lead_id if self.lead_id is not None else '-'} turns={self.turns}"
            f" median_turn_ms={median} caller={self.caller or '-'}"
        )

    def fields(self) -> dict[str, object]:
        """The same as structured fields (the JSON log format writes them as they are)."""
        return {
            "channel_id": self.channel_id, "call_id": self.call_id, "caller": self.caller,
            "duration_s": round(self.duration_s, 1), "outcome": self.outcome,
            "answered": self.answered, "urgent": self.urgent, "transferred": self.transferred,
            "lead_id": self.lead_id, "turns": self.turns, "median_turn_ms": self.median_turn_ms,
        }  # fmt: skip


class CallObserver(Protocol):
    def call_answered(self) -> None:
        """The agent answered a call (a call refused at the door is only `call_ended`)."""
        ...

    def turn(self, latency_s: float, stt_s: float) -> None:
        """One caller turn: end of speech -> reply queued, and the transcription's share."""
        ...

    def transfer(self, outcome: str) -> None: ...

    def call_ended(self, summary: CallSummary) -> None: ...


class NoObserver:
    """Nobody listening (tests, the demo's in-process agents without metrics)."""

    def call_answered(self) -> None:
        pass

    def turn(self, latency_s: float, stt_s: float) -> None:
        pass

    def transfer(self, outcome: str) -> None:
        pass

    def call_ended(self, summary: CallSummary) -> None:
        pass


@dataclass
class CallStats:
    """Filled during one call by the session and the conversation, read at its end."""

    observer: CallObserver = field(default_factory=NoObserver)
    turn_ms: list[float] = field(default_factory=list)
    urgent: bool | None = None
    lead_id: int | None = None
    transferred: bool = False
    _turn_started: float | None = field(default=None, repr=False)
    _stt_s: float = field(default=0.0, repr=False)

    def turn_heard(self, started: float, stt_s: float) -> None:
        """The caller's turn (ended at `started`, monotonic) is transcribed; the latency is
        taken when the reply is queued (`replied`), or dropped if the turn gets none."""
        self._turn_started, self._stt_s = started, stt_s

    def replied(self) -> None:
        if self._turn_started is None:
            return
        latency = time.monotonic() - self._turn_started
        self._turn_started = None
        self.turn_ms.append(latency * 1000)
        self.observer.turn(latency, self._stt_s)

    def transfer(self, outcome: str) -> None:
        # "blind": handed to the dialplan's mobile leg, which the agent does not see answer.
        self.transferred = self.transferred or outcome in ("answered", "blind")
        self.observer.transfer(outcome)

    @property
    def median_turn_ms(self) -> float | None:
        return round(statistics.median(self.turn_ms), 1) if self.turn_ms else None


def summarize(closed: ClosedCall, call_id: int, stats: CallStats | None = None) -> CallSummary:
    """The closed call as its summary (`stats` None: refused at the door, no conversation)."""
    stats = stats or CallStats()
    return CallSummary(
        channel_id=closed.channel_id,
        call_id=call_id,
        caller=closed.caller_number,
        duration_s=_seconds_between(closed.started_at, closed.ended_at),
        outcome=closed.outcome,
        answered=closed.answered_at is not None,
        urgent=stats.urgent,
        transferred=stats.transferred,
        lead_id=stats.lead_id,
        # Spoken turns only: silences and keys pressed are noted without a duration.
        turns=sum(1 for e in closed.transcript if e.get("speaker") == "caller" and "seconds" in e),
        median_turn_ms=stats.median_turn_ms,
    )


def _seconds_between(start: str, end: str) -> float:
    try:
        return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    except ValueError:  # not ISO: the line still goes out
        return 0.0
