"""The installer's kit on the sandbox Asterisk (issue 15): the metrics after a real call,
and the FreePBX files loaded into Asterisk, a call through them reaching the agent."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from agent.config import Config
from agent.metrics.server import MetricsServer
from agent.metrics.settings import MetricsSettings
from agent.pbx.freepbx import FILES, write_freepbx
from agent.service import Agent, build_agent
from agent.speech.stt import Transcriber
from agent.voice import SpeechVoice
from devkit.caller.caller import SipCaller
from devkit.caller.script import run_script
from devkit.sandbox.pbx import Sandbox
from tests.integration.test_call import SIP, finished_row

pytestmark = [pytest.mark.pbx, pytest.mark.models]

# Not the demo's lines: a hesitant caller with a non-urgent problem.
PROBLEM = "Euh oui bonjour, c'est pour la chasse d'eau des toilettes qui fuit un petit peu."


async def _get(port: int, path: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{port}{path}"
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def _scrape(port: int) -> dict[str, float]:
    status, text = await _get(port, "/metrics")
    assert status == 200
    return {
        sample.name + str(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_a_real_call_is_counted_and_its_turn_timed(agent: Agent, voice: SpeechVoice) -> None:
    server = MetricsServer(MetricsSettings(port=0), agent.metrics, agent.health())
    assert await server.start() and server.port
    try:
        call = await SipCaller.dial(*SIP, caller_id="0478563412")
        try:
            result = await run_script(call, voice, [PROBLEM])
        finally:
            await call.hangup()
        assert result.exchanges[0].agent_replied_at is not None
        await finished_row(agent)
        await asyncio.sleep(0.2)
        metrics = await _scrape(server.port)
        status, body = await _get(server.port, "/health")
    finally:
        await server.stop()
    assert metrics["decroche_calls_answered_total[]"] == 1
    ended = {k: v for k, v in metrics.items() if k.startswith("decroche_calls_total[")}
    assert sum(ended.values()) == 1, ended
    assert metrics["decroche_turn_latency_seconds_count[]"] >= 1
    assert 0 < metrics["decroche_turn_latency_seconds_sum[]"] < 10
    assert metrics["decroche_stt_seconds_count[]"] >= 1
    assert metrics["decroche_calls_active[]"] == 0
    assert "decroche_queue_depth[('queue', 'sms_outbox')]" in metrics
    health = {"alive": True, "ari_connected": True, "storage_ok": True, "ok": True}
    assert (status, json.loads(body)) == (200, health)


# ---- FreePBX -----------------------------------------------------------------------------
# What FreePBX's own files hold around ours: its extensions.conf routes the Inbound Route to
# the Custom Destination (here: every number of the trunk) and has from-internal (outbound
# routes); ari.conf, manager.conf and http.conf include the *_custom.conf files.
FREEPBX_LIKE = {
    "extensions.conf": (
        "[general]\nstatic = yes\nwriteprotect = yes\n\n"
        "[from-trunk]\nexten => _X.,1,Goto(decroche-inbound,s,1)\n"
        "exten => decroche,1,Goto(decroche-inbound,s,1)\n\n"
        "[from-internal]\nexten => _X.,1,Dial(PJSIP/${EXTEN}@trunk,60)\n\n"
        "#include extensions_custom.conf\n"
    ),
    "ari.conf": "[general]\nenabled = yes\n\n#include ari_additional_custom.conf\n",
    "manager.conf": (
        "[general]\nenabled = yes\nport = {ami_port}\nbindaddr = 127.0.0.1\n\n"
        "#include manager_custom.conf\n"
    ),
    "http.conf": (
        "[general]\nbindaddr = 127.0.0.1\nbindport = {http_port}\n#include http_custom.conf\n"
    ),
}
RELOADS = ("dialplan reload", "module reload res_ari.so", "manager reload", "module reload http")


@contextlib.contextmanager
def freepbx_layout(pbx: Sandbox, config: Config) -> Iterator[Path]:
    """The rendered FreePBX files in the sandbox's /etc/asterisk, included the FreePBX way;
    the sandbox's own config is rendered back afterwards, whatever happened."""
    etc = pbx.root / "etc/asterisk"
    try:
        write_freepbx(config, etc)
        values = {"ami_port": config.pbx.ami_port, "http_port": config.pbx.http_port}
        for name, text in FREEPBX_LIKE.items():
            for key, value in values.items():
                text = text.replace("{" + key + "}", str(value))
            (etc / name).write_text(text, encoding="utf-8")
        for command in RELOADS:
            pbx.cli(command)
        yield etc
    finally:
        for name in FILES:
            (etc / name).unlink(missing_ok=True)
        pbx.render()
        for command in RELOADS:
            pbx.cli(command)


@contextlib.asynccontextmanager
async def running_agent(
    config: Config, voice: SpeechVoice, transcriber: Transcriber
) -> AsyncIterator[Agent]:
    agent = await build_agent(config, voice=voice, transcriber=transcriber)
    task = asyncio.get_running_loop().create_task(agent.run())
    try:
        await asyncio.wait_for(agent.stream.connected.wait(), 10)
        yield agent
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_the_freepbx_files_load_and_a_call_through_them_reaches_the_agent(
    pbx: Sandbox, agent_config: Config, voice: SpeechVoice, transcriber: Transcriber
) -> None:
    with freepbx_layout(pbx, pbx.config):
        inbound = pbx.cli("dialplan show s@decroche-inbound")
        assert "Stasis(decroche)" in inbound and "decroche-fallback,s,1" in inbound
        fallback = pbx.cli("dialplan show s@decroche-fallback")
        assert "Dial(Local/0612345678@from-internal,25)" in fallback
        assert "VoiceMail(100@default,u)" in fallback
        assert "decroche" in pbx.cli("ari show users")
        user = pbx.cli("manager show user decroche")
        assert "system" in user and "originate" in user, user
        assert "Server Enabled" in pbx.cli("http show status")
        async with running_agent(agent_config, voice, transcriber) as agent:
            started = time.monotonic()
            call = await SipCaller.dial(*SIP, caller_id="0472001122")
            try:
                greeting = await call.wait_for_agent_turn(call.answered_at, quiet_s=1.0)
            finally:
                await call.hangup()
            (row,) = await finished_row(agent)
    assert greeting is not None and greeting - started < 5
    assert row.caller_number == "0472001122" and row.answered_at is not None
