"""Typed calendar failures; each maps to one `Fault` the dialogue understands."""

from __future__ import annotations

from agent.calendar.model import Fault

__all__ = [
    "CalendarAuthError",
    "CalendarError",
    "CalendarTimeout",
    "CalendarUnreachable",
    "CalendarWriteError",
    "SlotTaken",
]


class CalendarError(RuntimeError):
    fault: Fault = "unreachable"


class CalendarUnreachable(CalendarError):
    """No answer: refused connection, unknown host, a calendar that does not exist."""

    fault: Fault = "unreachable"


class CalendarTimeout(CalendarError):
    """The server took longer than calendar.timeout_s (a caller is waiting on the line)."""

    fault: Fault = "timeout"


class CalendarAuthError(CalendarError):
    """The username or the app password was refused."""

    fault: Fault = "auth"


class CalendarWriteError(CalendarError):
    """The server refused the new event."""

    fault: Fault = "write_failed"


class SlotTaken(CalendarError):
    """Between the offer and the booking, someone (another call, the artisan) took it."""

    fault: Fault = "slot_taken"
