"""The agent's /metrics and /health endpoints in process: the queues read from a real
database, /health naming what is wrong, the [metrics] table checked at load."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiohttp
import pytest
from prometheus_client import CollectorRegistry

from agent.config import load_config
from agent.config_reader import ConfigError
from agent.metrics.registry import CallMetrics
from agent.metrics.server import HealthProbe, MetricsServer
from agent.metrics.settings import MetricsSettings
from agent.store.db import connect


def _outbox_row(conn: sqlite3.Connection, key: str, status: str) -> None:
    conn.execute(
        "INSERT INTO sms_outbox (idem_key, recipient, body, kind, status, next_attempt_at,"
        " created_at) VALUES (?, '+33698765432', 'x', 'caller_recap', ?, 0, '2026-11-30')",
        (key, status),
    )


async def _get(port: int, path: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{port}{path}"
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def test_sms_by_status_and_queue_depths_come_from_the_database(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite")
    for key, status in (("a", "pending"), ("b", "pending"), ("c", "sent"), ("d", "failed")):
        _outbox_row(conn, key, status)
    conn.commit()
    metrics = CallMetrics(CollectorRegistry())
    metrics.watch_queues(conn)
    server = MetricsServer(MetricsSettings(port=0), metrics, HealthProbe(lambda: True,
                                                                         lambda: True))  # fmt: skip
    assert await server.start() and server.port
    try:
        code, text = await _get(server.port, "/metrics")
        _outbox_row(conn, "e", "pending")
        conn.commit()
        _, later = await _get(server.port, "/metrics")
    finally:
        await server.stop()
    assert code == 200
    assert 'decroche_sms{status="pending"} 2.0' in text
    assert 'decroche_sms{status="sent"} 1.0' in text
    assert 'decroche_sms{status="failed"} 1.0' in text
    assert 'decroche_queue_depth{queue="sms_outbox"} 2.0' in text
    assert 'decroche_queue_depth{queue="webhook"} 0.0' in text
    assert 'decroche_queue_depth{queue="sms_outbox"} 3.0' in later  # read at each scrape


@pytest.mark.parametrize(("ari", "storage"), [(False, True), (True, False)])
async def test_health_is_503_naming_what_is_down(ari: bool, storage: bool) -> None:
    probe = HealthProbe(lambda: ari, lambda: storage)
    server = MetricsServer(MetricsSettings(port=0), CallMetrics(CollectorRegistry()), probe)
    assert await server.start() and server.port
    try:
        status, body = await _get(server.port, "/health")
    finally:
        await server.stop()
    assert status == 503
    assert f'"ari_connected": {str(ari).lower()}' in body
    assert f'"storage_ok": {str(storage).lower()}' in body


async def test_a_port_already_taken_leaves_the_agent_running() -> None:
    first = MetricsServer(MetricsSettings(port=0), CallMetrics(CollectorRegistry()),
                          HealthProbe(lambda: True, lambda: True))  # fmt: skip
    assert await first.start() and first.port
    second = MetricsServer(MetricsSettings(port=first.port), CallMetrics(CollectorRegistry()),
                           HealthProbe(lambda: True, lambda: True))  # fmt: skip
    try:
        assert await second.start() is False
    finally:
        await second.stop()
        await first.stop()


def test_the_metrics_table_is_checked_at_load() -> None:
    assert load_config().metrics == MetricsSettings(enabled=True, bind="127.0.0.1", port=9464)
    assert load_config(None, {"metrics": {"port": 0}}).metrics.port == 0
    with pytest.raises(ConfigError, match=r"metrics\.port"):
        load_config(None, {"metrics": {"port": 70000}})
    with pytest.raises(ConfigError, match=r"\[metrics\] unknown key\(s\): prot"):
        load_config(None, {"metrics": {"prot": 9000}})
