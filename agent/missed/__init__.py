"""Calls nobody answered while the agent was down, found in Asterisk's CDR and texted once.

When the agent is not connected, `Stasis()` fails and the dialplan sends the caller to
`decroche-fallback` (the artisan's mobile, then voicemail). Those calls never reach the agent,
so nobody would text anyone. At start, and then every `scan_interval_s`, the scanner reads the
CDR lines Asterisk appended to Master.csv, and for each fallback call the mobile did not answer
queues the dialogue's own missed-call SMS (caller if on a mobile, and the artisan), once.

    scanner = build_scanner(config, outbox)             # outbox: the agent's SmsOutbox
    scanner.start()                                     # scans now, then periodically
    ...
    await scanner.stop()

Never imports aiohttp or ARI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent.missed.cdr import CdrFormatError, CdrRow, parse_line, parse_lines
from agent.missed.classify import MissedCall, classify, group_by_call
from agent.missed.notify import MissedCallTexts
from agent.missed.scanner import MissedCallScanner, ScanResult
from agent.missed.settings import MissedSettings, default_cdr_path, sandbox_cdr_path
from agent.missed.store import MissedStore
from agent.missed.tail import CdrReadError
from agent.sms.base import SmsQueue
from agent.store.db import connect

if TYPE_CHECKING:  # agent.config reads [missed] with this package's settings
    from agent.config import Config

__all__ = [
    "CdrFormatError",
    "CdrReadError",
    "CdrRow",
    "MissedCall",
    "MissedCallScanner",
    "MissedCallTexts",
    "MissedSettings",
    "MissedStore",
    "ScanResult",
    "SmsQueue",
    "build_scanner",
    "classify",
    "default_cdr_path",
    "group_by_call",
    "parse_line",
    "parse_lines",
    "sandbox_cdr_path",
]


def build_scanner(config: Config, outbox: SmsQueue) -> MissedCallScanner:
    """The scanner for this config, on its own database connection."""
    texts = MissedCallTexts(config.business, config.dialogue)
    return MissedCallScanner(config.missed, MissedStore(connect(config.database)), outbox, texts)
