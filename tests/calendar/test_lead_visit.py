"""The booked visit survives the lead store (migration 0007) and shows on the dashboard."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from agent.leads.model import Lead
from agent.leads.store import SqliteLeadStore
from agent.store.db import connect

PARIS = ZoneInfo("Europe/Paris")


def test_visit_and_note_round_trip(tmp_path: Path) -> None:
    store = SqliteLeadStore(connect(tmp_path / "db.sqlite"))
    start, end = datetime(2026, 12, 1, 14, tzinfo=PARIS), datetime(2026, 12, 1, 15, tzinfo=PARIS)
    booked = store.save(Lead("callback_needed", problem="fuite", visit_start=start, visit_end=end))
    failed = store.save(Lead("callback_needed", problem="devis", booking_note="agenda trop lent"))
    got = store.get(booked).lead
    assert got.visit_start == start and got.visit_end == end
    assert store.get(failed).lead.booking_note == "agenda trop lent"
    assert store.get(failed).lead.visit_start is None
