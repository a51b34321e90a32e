"""MissedCallScanner: on start, then every scan_interval_s, texts the calls nobody answered.

A scan reads the CDR lines appended since the checkpoint, groups them by call, and for each
call that went to the fallback unanswered (see classify.py): enqueues the caller's and the
artisan's missed-call SMS in the durable outbox, then records the call, then moves the
checkpoint. A crash anywhere in between repeats work that is idempotent (outbox idem_key,
missed_calls primary key), never loses a call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from agent.missed.cdr import CdrRow, parse_lines
from agent.missed.classify import MissedCall, classify, group_by_call, is_decroche_row
from agent.missed.notify import MissedCallTexts, idem_key
from agent.missed.settings import MissedSettings
from agent.missed.store import MissedStore
from agent.missed.tail import CdrReadError, read_new_lines
from agent.sms.base import SmsQueue
from nlp.phone_numbers import InvalidPhoneNumber

__all__ = ["MissedCallScanner", "ScanResult"]

log = logging.getLogger(__name__)


@dataclass
class ScanResult:
    lines: int = 0
    bad_lines: list[str] = field(default_factory=list)
    missed: list[MissedCall] = field(default_factory=list)  # newly recorded this scan
    sms_queued: int = 0
    restarted: bool = False  # the CDR file was rotated or truncated since the last scan
    file_missing: bool = False


class MissedCallScanner:
    def __init__(
        self,
        settings: MissedSettings,
        store: MissedStore,
        outbox: SmsQueue,
        texts: MissedCallTexts,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self._store = store
        self._outbox = outbox
        self._texts = texts
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._last_error: str | None = None

    # ---- one scan (blocking: file + SQLite; run() calls it in a thread) -------------------
    def scan_once(self) -> ScanResult:
        """Process everything appended since the last scan. Raises CdrReadError."""
        result = ScanResult()
        path = self.settings.cdr_path
        while True:
            chunk = read_new_lines(path, self._store.checkpoint(path))
            if chunk is None:
                result.file_missing = True
                return result
            result.restarted |= chunk.restarted
            result.lines += len(chunk.lines)
            rows = [r for r in parse_lines(chunk.lines, result.bad_lines) if is_decroche_row(r)]
            self._handle(rows, result)
            self._store.save_checkpoint(path, chunk.checkpoint)
            if not chunk.more:
                return result

    def _handle(self, rows: list[CdrRow], result: ScanResult) -> None:
        for uniqueid, call_rows in group_by_call(rows).items():
            call = classify(call_rows)
            if call is None or self._store.known(uniqueid):
                continue
            queued, skipped = self._notify(call)
            if self._store.record(call, queued, skipped):
                result.missed.append(call)
                result.sms_queued += queued

    def _notify(self, call: MissedCall) -> tuple[int, str | None]:
        """Enqueue the texts; (how many were new, why none were sent when skipped)."""
        if call.ended_at < self._clock() - timedelta(hours=self.settings.max_age_h):
            return 0, "too_old"
        queued = 0
        for message in self._texts.messages(call):
            try:
                queued += self._outbox.enqueue(
                    idem_key(call, message), message.recipient, message.text, message.kind
                )
            except InvalidPhoneNumber as exc:  # the dialogue already filters; belt and braces
                log.warning("missed call %s: no SMS to %s: %s", call.uniqueid, message.kind, exc)
        return queued, None

    # ---- lifecycle ------------------------------------------------------------------------
    async def run(self) -> None:
        """Scan now (the agent just came back: calls missed while it was down), then every
        scan_interval_s (calls the running agent handed back to the fallback) until stop()."""
        while not self._stop.is_set():
            await self._scan_logged()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.settings.scan_interval_s)

    async def _scan_logged(self) -> None:
        try:
            result = await asyncio.to_thread(self.scan_once)
        except CdrReadError as exc:
            # Logged once per distinct error, not every interval; the next scan retries.
            if str(exc) != self._last_error:
                log.error("missed calls: %s", exc)
            self._last_error = str(exc)
            return
        self._last_error = None
        for reason in result.bad_lines[:5]:
            log.warning("missed calls: unreadable CDR %s", reason)
        for call in result.missed:
            log.info(
                "missed call %s from %s (mobile %s, voicemail %s)",
                call.uniqueid, call.caller or "withheld", call.mobile_status or "not dialled",
                "yes" if call.voicemail else "no",
            )  # fmt: skip
        if result.missed:
            log.info("missed calls: %d SMS queued", result.sms_queued)

    def start(self) -> asyncio.Task[None] | None:
        """Start the periodic scan (None when [missed] enabled = false)."""
        if not self.settings.enabled:
            return None
        if self._task is None or self._task.done():
            self._stop.clear()
            self._task = asyncio.get_running_loop().create_task(self.run(), name="missed-calls")
        return self._task

    async def stop(self, grace_s: float = 10.0) -> None:
        """Stop the loop, letting a scan in progress finish (it runs in a thread that a cancel
        would not stop, and the caller may close the database right after)."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=grace_s)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
