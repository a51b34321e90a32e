"""`decroche run`: the agent service. Connects to ARI and takes every call of its app."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agent.area import AreaFileError
from agent.ari.bridges import reap_orphan_bridges
from agent.ari.client import AriClient, wait_until_ready
from agent.ari.errors import AriAuthError, AriError
from agent.ari.events import EventStream
from agent.ari.models import Channel
from agent.call.context import Conversation
from agent.call.manager import CallManager
from agent.call.session import CallDeps
from agent.config import Config, ConfigError, load_config
from agent.logs import add_log_options, configure_logging
from agent.media.codecs import codec_by_name
from agent.metrics.registry import CallMetrics
from agent.metrics.server import HealthProbe, MetricsServer
from agent.speech.stt import ModelNotFoundError, Transcriber
from agent.speech.tts import TtsUnavailableError
from agent.store.db import MigrationError, connect
from agent.voice import SpeechVoice
from agent.wiring import Services, build_receptionist_factory, build_services, build_voice

log = logging.getLogger("decroche")


class StorageError(Exception):
    """The data dir cannot hold the database or the recordings (read-only, full, a file...)."""


def check_storage(config: Config) -> None:
    """Fail at start, in one line, rather than at the first call's first write."""
    where = config.database
    try:
        conn = connect(config.database)
        try:
            # A database file that opens but cannot be written (read-only folder or file)
            # only fails here, not at open.
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        if config.call.recording and config.call.recordings_dir is not None:
            where = config.call.recordings_dir
            where.mkdir(parents=True, exist_ok=True)
            probe = where / ".decroche-write-test"
            probe.write_bytes(b"")
            probe.unlink()
    except (OSError, sqlite3.Error, MigrationError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StorageError(
            f"cannot write {where} ({detail}); check [store] data_dir and its permissions"
        ) from None


@dataclass
class Agent:
    """A running agent: what tests, the demo and the bench start in-process."""

    config: Config
    manager: CallManager
    stream: EventStream
    client: AriClient
    services: Services
    metrics: CallMetrics

    def health(self) -> HealthProbe:
        return HealthProbe(self.stream.connected.is_set, lambda: self.services.keeper.health.ok)

    async def run(self) -> None:
        self.services.start()
        try:
            await self.stream.run()
        finally:
            await self.manager.close()
            await self.services.stop()
            await self.client.close()


async def build_agent(
    config: Config,
    new_conversation: Callable[[Channel], Conversation] | None = None,
    voice: SpeechVoice | None = None,
    transcriber: Transcriber | None = None,
) -> Agent:
    """Connect to ARI (fails fast on bad credentials) and assemble the call handling."""
    client = AriClient(config.ari)
    try:
        await wait_until_ready(client, config.ari.connect_timeout_s)
    except AriError:
        await client.close()
        raise
    codec = codec_by_name(config.media.format)
    voice = voice or build_voice(config)
    services = build_services(config)
    metrics = CallMetrics()
    metrics.watch_queues(connect(config.database))
    if new_conversation is None:
        new_conversation = await build_receptionist_factory(
            config, services, voice, codec.sample_rate, transcriber
        )
    deps = CallDeps(
        control=client,
        store=services.calls,
        voice=voice,
        codec=codec,
        rtp_bind_host=config.media.rtp_bind_host,
        rtp_advertise_host=config.media.rtp_advertise_host,
        new_conversation=new_conversation,
        recordings_dir=config.call.recordings_dir if config.call.recording else None,
        keeper=services.keeper,
        observer=metrics,
    )
    manager = CallManager(deps, config.ari.app, config.media.max_calls)

    async def resync() -> None:
        """On every (re)connect: calls first (orphan callers to the fallback), then the
        bridges that killed agents or lost teardowns left behind."""
        await manager.resync()
        await reap_orphan_bridges(client, manager.owns, config.ari.app)

    stream = EventStream(config.ari, manager.dispatch, resync)
    return Agent(config, manager, stream, client, services, metrics)


async def _serve(config: Config) -> None:
    check_storage(config)
    agent = await build_agent(config)
    server = MetricsServer(config.metrics, agent.metrics, agent.health())
    if config.metrics.enabled:
        await server.start()
    task = asyncio.get_running_loop().create_task(agent.run(), name="agent")
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, task.cancel)
    log.info("decroche agent ready: app %s on %s", config.ari.app, config.ari.url)
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    finally:
        await server.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="decroche run")
    parser.add_argument("--config", type=Path, default=None, help="decroche TOML config")
    add_log_options(parser)
    args = parser.parse_args(argv)
    configure_logging(args.verbose, args.log_format)
    try:
        config = load_config(args.config, require_business=True)
        asyncio.run(_serve(config))
    except ConfigError as exc:
        print(f"decroche: bad config: {exc}", file=sys.stderr)
        return 2
    except AreaFileError as exc:
        print(f"decroche: bad [area] addresses file: {exc}", file=sys.stderr)
        return 2
    except AriAuthError as exc:
        print(f"decroche: {exc}", file=sys.stderr)
        return 3
    except AriError as exc:
        print(f"decroche: cannot reach Asterisk: {exc}", file=sys.stderr)
        return 4
    except (TtsUnavailableError, ModelNotFoundError) as exc:
        print(f"decroche: {exc}", file=sys.stderr)
        return 5
    except StorageError as exc:
        print(f"decroche: {exc}", file=sys.stderr)
        return 6
    return 0
