"""The agent's metrics: the call layer's facts (through agent.call.observer) as counters and
histograms, and the durable queues read from the database at each scrape.

One registry per agent, not prometheus_client's global one: tests build several agents in
one process, and a scrape must show only this agent's calls.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from agent.call.observer import CallSummary

log = logging.getLogger(__name__)

# Turn latency targets are ~0.4 s (p50) and under 1.5 s (p95): buckets dense around them.
TURN_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)
CALL_BUCKETS = (5.0, 15.0, 30.0, 60.0, 90.0, 120.0, 180.0, 300.0, 600.0)
QUEUES = {"sms_outbox": "sms_outbox", "webhook": "webhook_queue"}


class CallMetrics:
    """Implements agent.call.observer.CallObserver."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.calls = Counter("decroche_calls", "Calls ended, by outcome", ["outcome"], registry=r)
        self.answered = Counter("decroche_calls_answered", "Calls the agent answered", registry=r)
        self.active = Gauge("decroche_calls_active", "Calls the agent holds now", registry=r)
        self.urgent = Counter("decroche_leads_urgent", "Urgent leads taken", registry=r)
        self.turn_latency = Histogram(
            "decroche_turn_latency_seconds",
            "Caller turn: end of speech detected -> reply queued to play",
            buckets=TURN_BUCKETS, registry=r,
        )  # fmt: skip
        self.stt = Histogram(
            "decroche_stt_seconds", "Transcription time of a caller turn",
            buckets=TURN_BUCKETS, registry=r,
        )  # fmt: skip
        self.duration = Histogram(
            "decroche_call_duration_seconds", "Call length", buckets=CALL_BUCKETS, registry=r
        )
        self.transfers = Counter(
            "decroche_transfers", "Transfers to the mobile, by outcome", ["outcome"], registry=r
        )

    # ---- CallObserver ----------------------------------------------------------------------
    def call_answered(self) -> None:
        self.answered.inc()
        self.active.inc()

    def turn(self, latency_s: float, stt_s: float) -> None:
        self.turn_latency.observe(latency_s)
        self.stt.observe(stt_s)

    def transfer(self, outcome: str) -> None:
        self.transfers.labels(outcome).inc()

    def call_ended(self, summary: CallSummary) -> None:
        self.calls.labels(summary.outcome).inc()
        if summary.answered:
            self.active.dec()
            self.duration.observe(summary.duration_s)
        if summary.urgent:
            self.urgent.inc()

    # ---- the database's queues -------------------------------------------------------------
    def watch_queues(self, conn: sqlite3.Connection) -> None:
        """SMS by status and queue depths, counted in the database at each scrape (the
        outbox and webhook workers survive restarts there, so that is the truth)."""
        self.registry.register(QueueCollector(conn))


class QueueCollector(Collector):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def collect(self) -> Iterator[Metric]:
        sms = GaugeMetricFamily("decroche_sms", "SMS in the outbox, by status", labels=["status"])
        depth = GaugeMetricFamily(
            "decroche_queue_depth", "Entries waiting to be delivered", labels=["queue"]
        )
        try:
            for status, count in self.conn.execute(
                "SELECT status, COUNT(*) FROM sms_outbox GROUP BY status"
            ):
                sms.add_metric([str(status)], float(count))
            for name, table in QUEUES.items():
                row = self.conn.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE status = 'pending'"  # fixed table names
                ).fetchone()
                depth.add_metric([name], float(row[0]))
        except sqlite3.Error as exc:  # a scrape must not fail the agent; /health says storage
            log.warning("metrics: queues not read: %s", exc)
            return
        yield sms
        yield depth
