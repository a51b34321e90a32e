"""Opening hours and holidays in the business's timezone: is it open, and when does it reopen.

The clock is injected (aware datetimes), so closing phrases are testable at any hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agent.config_core import BusinessConfig

__all__ = ["OpeningHours", "speak_time", "when_words"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
LOOKAHEAD_DAYS = 15  # long enough for a closed fortnight plus a holiday


@dataclass(frozen=True)
class OpeningHours:
    tz: ZoneInfo
    spans: dict[int, tuple[time, time]]  # weekday (0 = Monday) -> (open, close); absent = closed
    holidays: frozenset[date]
    known: bool  # False when no hours are configured: we then promise no time

    @classmethod
    def from_business(cls, business: BusinessConfig) -> OpeningHours:
        spans: dict[int, tuple[time, time]] = {}
        for day, span in business.hours.items():
            if span == "closed":
                continue
            start, end = span.split("-")
            spans[WEEKDAYS.index(day)] = (time.fromisoformat(start), time.fromisoformat(end))
        holidays = frozenset(date.fromisoformat(d) for d in business.holidays)
        return cls(ZoneInfo(business.timezone), spans, holidays, known=bool(business.hours))

    def local(self, now: datetime) -> datetime:
        return now.astimezone(self.tz)

    def _span(self, day: date) -> tuple[time, time] | None:
        if day in self.holidays:
            return None
        return self.spans.get(day.weekday())

    def is_open(self, now: datetime) -> bool:
        here = self.local(now)
        span = self._span(here.date())
        return span is not None and span[0] <= here.time().replace(tzinfo=None) < span[1]

    def next_opening(self, now: datetime) -> datetime | None:
        """The next time the business opens after `now` (local time), None if not within 15 d."""
        here = self.local(now)
        for offset in range(LOOKAHEAD_DAYS):
            day = here.date() + timedelta(days=offset)
            span = self._span(day)
            if span is None:
                continue
            opening = datetime.combine(day, span[0], self.tz)
            if opening > here:
                return opening
        return None


def speak_time(moment: datetime) -> str:
    """08:00 -> '8 h', 13:30 -> '13 h 30' (what a French speaker says, and TTS reads well)."""
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def when_words(now: datetime, opening: datetime) -> str:
    """'ce matin', 'cet après-midi', 'demain matin', 'lundi', 'lundi 12' ... relative to now."""
    days = (opening.date() - now.astimezone(opening.tzinfo).date()).days
    morning = opening.hour < 12
    if days == 0:
        return "ce matin" if morning else "cet après-midi"
    if days == 1:
        return "demain matin" if morning else "demain après-midi"
    name = DAY_NAMES[opening.weekday()]
    return name if days < 7 else f"{name} {opening.day}"
