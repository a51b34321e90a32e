"""The calendar service a config asks for (None when [calendar] has no url)."""

from __future__ import annotations

from agent.calendar.caldav_client import CaldavCalendar
from agent.calendar.service import CalendarService
from agent.calendar.settings import CalendarSettings
from agent.config_core import BusinessConfig
from agent.dialogue.hours import OpeningHours

__all__ = ["build_calendar"]


def build_calendar(settings: CalendarSettings, business: BusinessConfig) -> CalendarService | None:
    if not settings.enabled:
        return None
    hours = OpeningHours.from_business(business)
    return CalendarService(settings, hours, CaldavCalendar(settings, hours.tz))
