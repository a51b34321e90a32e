"""`[calendar]`: where the artisan's CalDAV agenda is, and how visits are laid out in it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlparse

from agent.calendar.model import BOOK_FOR, BookFor
from agent.config_reader import ConfigError, TableReader

__all__ = ["CalendarSettings"]


@dataclass(frozen=True)
class CalendarSettings:
    url: str = ""  # empty: no calendar, calls end as callback leads as before
    username: str = ""
    password: str = ""  # an app password (iCloud, Google, Nextcloud all issue them)
    calendar: str = ""  # the calendar's display name when `url` is the server or a principal
    slot_minutes: int = 60
    buffer_minutes: int = 30  # travel between two visits, kept free on both sides
    days_ahead: int = 14
    proposals: int = 2
    book_for: BookFor = "non_urgent"  # urgent calls keep the transfer
    lead_minutes: int = 120  # no visit sooner than this after the call
    # The dashboard as the artisan reaches it (https://...): each event links to its call.
    link_base: str = ""
    timeout_s: float = 4.0  # per search or booking: the caller waits on the line meanwhile

    @property
    def enabled(self) -> bool:
        return bool(self.url) and self.book_for != "none"

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None) -> CalendarSettings:
        r = TableReader("calendar", table)
        d = cls()
        url = r.text("url", d.url)
        settings = cls(
            url=url,
            username=r.text("username", d.username),
            password=r.text("password", d.password),
            calendar=r.text("calendar", d.calendar),
            slot_minutes=r.integer("slot_minutes", d.slot_minutes, low=15, high=8 * 60),
            buffer_minutes=r.integer("buffer_minutes", d.buffer_minutes, low=0, high=4 * 60),
            days_ahead=r.integer("days_ahead", d.days_ahead, low=1, high=90),
            proposals=r.integer("proposals", d.proposals, low=1, high=3),
            book_for=cast(BookFor, r.text("book_for", d.book_for, choices=BOOK_FOR)),
            lead_minutes=r.integer("lead_minutes", d.lead_minutes, low=0, high=7 * 24 * 60),
            link_base=r.text("link_base", d.link_base),
            timeout_s=r.number("timeout_s", d.timeout_s, low=0.5, high=30),
        )
        r.finish()
        if url:
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise ConfigError(f"calendar.url: {url!r} is not an http(s) URL")
            if not settings.username or not settings.password:
                missing = "username" if not settings.username else "password"
                raise ConfigError(f"calendar.{missing}: missing (the calendar needs a login)")
        return settings
