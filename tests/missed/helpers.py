"""A scanner on a temporary database, with the real outbox and the local SMS sender."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from agent.config import load_config
from agent.dialogue.settings import DialogueSettings
from agent.missed import MissedCallScanner, MissedCallTexts, MissedSettings, MissedStore
from agent.sms.outbox import OutboxRow, SmsOutbox
from agent.sms.providers import LocalSender
from agent.store.db import connect

# The sample calls' day: they are fresh, not past max_age_h.
SAMPLE_NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


@dataclass
class Rig:
    scanner: MissedCallScanner
    outbox: SmsOutbox
    store: MissedStore

    def queued(self) -> list[OutboxRow]:
        return self.outbox.rows()


def make_rig(
    cdr_path: Path,
    database: Path,
    clock: Callable[[], datetime] = lambda: SAMPLE_NOW,
    dialogue: DialogueSettings | None = None,
) -> Rig:
    config = load_config()
    outbox = SmsOutbox(connect(database), LocalSender())
    store = MissedStore(connect(database))
    texts = MissedCallTexts(config.business, dialogue or DialogueSettings())
    settings = MissedSettings(cdr_path=cdr_path, scan_interval_s=1.0)
    return Rig(MissedCallScanner(settings, store, outbox, texts, clock), outbox, store)
