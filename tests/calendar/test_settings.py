"""[calendar] is checked at load: a wrong value names its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.calendar.settings import CalendarSettings
from agent.config import ConfigError, parse_config

GOOD = {"url": "https://cloud.example.fr/remote.php/dav", "username": "a", "password": "p",
        "calendar": "Chantiers"}  # fmt: skip


def test_absent_table_means_no_calendar() -> None:
    config = parse_config({}, Path("."))
    assert not config.calendar.enabled


def test_good_table_is_typed() -> None:
    s = parse_config({"calendar": {**GOOD, "slot_minutes": 90, "book_for": "all"}}, Path("."))
    assert s.calendar.enabled and s.calendar.slot_minutes == 90 and s.calendar.book_for == "all"
    assert s.calendar.proposals == 2


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ({"slot_minutes": 0}, "calendar.slot_minutes"),
        ({"slot_minutes": "1h"}, "calendar.slot_minutes"),
        ({"buffer_minutes": -5}, "calendar.buffer_minutes"),
        ({"days_ahead": 400}, "calendar.days_ahead"),
        ({"proposals": 0}, "calendar.proposals"),
        ({"book_for": "urgent_only"}, "calendar.book_for"),
        ({"url": "cloud.example.fr"}, "calendar.url"),
        ({"password": ""}, "calendar.password"),
        ({"slots": 3}, "slots"),
    ],
)
def test_wrong_value_names_the_key(extra: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        CalendarSettings.from_table({**GOOD, **extra})
