"""Whole conversations over real SIP calls: a scripted caller answers the agent with speech.

Caller speech is French synthesized by pico and sent as μ-law RTP, so the agent's Whisper
hears a phone line. The artisan's mobile is a sipp UAS behind the sandbox trunk.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from agent.config import Config
from agent.service import Agent, build_agent
from agent.sms.outbox import OutboxRow
from agent.speech.stt import Transcriber
from agent.voice import SpeechVoice
from devkit.caller.caller import SipCaller
from devkit.caller.mobile import start_mobile
from devkit.caller.script import run_script
from devkit.sandbox.harness import Harness
from devkit.sandbox.pbx import Sandbox
from devkit.sim.persona import Persona
from devkit.sim.simulate import converse
from tests.conftest import sandbox_config
from tests.integration.test_call import SIP

pytestmark = [pytest.mark.pbx, pytest.mark.models]

CALLER = "0698765432"
CALLER_E164 = "+33698765432"
ARTISAN = "+33612345678"
QUOTE = "Bonjour, je voudrais un devis pour refaire la salle de bain."
FLOOD = "C'est urgent, j'ai de l'eau partout, la cuisine est inondée."
NAME = "Martin, Sophie Martin."
ADDRESS = "Mon adresse, c'est 25 rue de la Gare, à Bron."
YES = "Oui, c'est bien ça."


async def _wait_for(predicate: Any, timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _leads(agent: Agent) -> list[dict[str, Any]]:
    rows = agent.services.leads._conn.execute("SELECT * FROM leads ORDER BY id")
    return [dict(row) for row in rows]


def _sms(agent: Agent) -> list[OutboxRow]:
    return agent.services.outbox.rows()


async def _converse(lines: list[str], hang_up_after: bool = True) -> SipCaller:
    call = await SipCaller.dial(*SIP, caller_id=CALLER)
    voice = _VOICE[0]
    result = await run_script(call, voice, lines)
    assert result.greeting_ms is not None and result.greeting_ms < 2000
    if hang_up_after:
        await call.hangup()
    return call


_VOICE: list[SpeechVoice] = []


@pytest.fixture(autouse=True)
def _caller_voice(voice: SpeechVoice) -> None:
    _VOICE[:] = [voice]


# A caller who answers what is asked (the flow re-asks unsure fields, so fixed lines would
# drift out of step): a bathroom quote on a street of the demo area file.
QUOTE_CALLER = Persona(
    id="quote",
    caller_id=CALLER,
    answers={
        "problem": QUOTE,
        "name": NAME,
        "spell": "M, A, R, T, I, N.",
        "address": "C'est au 25 avenue Franklin Roosevelt, à Bron.",
        "street": "25 avenue Franklin Roosevelt.",
        "town": "Bron.",
        "phone_confirm": YES,
        "readback": YES,
    },
)

# An urgent caller: the mobile rings once name and town are known, the street is asked then.
FLOOD_CALLER = Persona(
    id="flood",
    caller_id=CALLER,
    answers={
        "problem": FLOOD,
        "name": NAME,
        "spell": "M, A, R, T, I, N.",
        "address": "C'est au 25 avenue Franklin Roosevelt.",
        "street": "25 avenue Franklin Roosevelt.",
        "town": "Bron.",
        "phone_confirm": YES,
        "readback": YES,
    },
)


async def test_non_urgent_call_gives_a_lead_and_two_sms(
    agent: Agent, agent_config: Config, voice: SpeechVoice, transcriber: Transcriber
) -> None:
    call = await SipCaller.dial(*SIP, caller_id=CALLER)
    try:
        _, talk = await converse(
            call, Harness(agent_config, agent, voice, transcriber), QUOTE_CALLER
        )
    finally:
        await call.hangup()
    assert talk.questions[:2] == ["problem", "name"]
    (lead,) = await _wait_for(lambda: _leads(agent), 15, "the lead")
    assert lead["outcome"] == "callback_needed"
    assert lead["urgent"] == 0
    assert lead["category"] == "devis"
    # What was heard is right, or the lead says to check it (Whisper base through μ-law
    # garbles a name or a street now and then, even asked twice: make eval-calls measures
    # how often); never wrong and given as sure.
    to_check = json.loads(lead["to_check"])
    assert (lead["name"] or "").endswith("Martin") or "name" in to_check, lead
    assert lead["city"] == "Bron" or "address" in to_check, lead
    assert "roosevelt" in (lead["street"] or "").lower() or "address" in to_check, lead
    assert lead["caller_number"] == CALLER_E164
    assert "devis" in lead["problem"].lower()
    assert Path(lead["recording_path"]).exists()
    sms = await _wait_for(
        lambda: (
            [s for s in _sms(agent) if s.status == "sent"]
            if len([s for s in _sms(agent) if s.status == "sent"]) == 2
            else None
        ),
        15,
        "2 SMS sent",
    )
    assert {(s.recipient, s.kind) for s in sms} == {
        (CALLER_E164, "caller_recap"),
        (ARTISAN, "artisan_recap"),
    }


async def test_urgent_call_is_bridged_to_the_mobile_after_the_summary(
    agent: Agent, agent_config: Config, voice: SpeechVoice, transcriber: Transcriber
) -> None:
    mobile = start_mobile("accept", 15070)
    try:
        call = await SipCaller.dial(*SIP, caller_id=CALLER)
        try:
            # Name and town before the mobile rings, the street while it rings (answered by
            # question: a town heard unsure is asked again, which fixed lines would miss).
            _, talk = await converse(
                call, Harness(agent_config, agent, voice, transcriber), FLOOD_CALLER
            )
        finally:
            await call.hangup()
        lead = await _wait_for(lambda: _leads(agent), 60, "the transferred lead")
        output, _ = await asyncio.to_thread(mobile.communicate, timeout=30)
    finally:
        if mobile.poll() is None:
            mobile.kill()
    assert mobile.returncode == 0, output.decode(errors="replace")[-1500:]
    assert talk.questions[0] == "problem"
    assert lead[0]["outcome"] == "transferred"
    assert lead[0]["urgent"] == 1
    row = await _wait_for(
        lambda: [r for r in agent.manager.deps.store.recent() if r.ended_at], 15, "the call row"
    )
    notes = [t["text"] for t in row[0].transcript if t["speaker"] == "system"]
    assert notes[0] == "résumé joué au mobile"
    assert notes[-1] == "transfert vers le mobile: answered"
    turns = [(t["speaker"], t["text"]) for t in row[0].transcript]
    said = "\n".join(f"{who}: {text}" for who, text in turns)
    asked = next(i for i, (who, text) in enumerate(turns) if "En attendant" in text)
    assert turns[asked][0] == "agent", said  # the street, asked while it rang
    # The answer, heard before the bridge, reaches the lead: matched to the area's street
    # when Whisper heard it well enough (the eval measures how often), kept as heard anyway.
    answer = next(text for who, text in turns[asked:] if who == "caller")
    assert answer in lead[0]["address_heard"], said
    if lead[0]["street"] and "address" not in json.loads(lead[0]["to_check"]):
        assert "Franklin Roosevelt" in lead[0]["street"], said


async def test_urgent_call_mobile_busy_gives_urgent_lead_and_sms(agent: Agent) -> None:
    mobile = start_mobile("busy", 15070)
    try:
        await _converse([FLOOD, NAME, ADDRESS, YES, YES])
    finally:
        mobile.kill()
    (lead,) = await _wait_for(lambda: _leads(agent), 15, "the lead")
    assert lead["outcome"] == "callback_needed"
    assert lead["urgent"] == 1
    sms = await _wait_for(lambda: _sms(agent) if len(_sms(agent)) >= 2 else None, 15, "SMS")
    kinds = {(s.recipient, s.kind) for s in sms}
    assert kinds == {(CALLER_E164, "caller_recap"), (ARTISAN, "artisan_recap")}
    assert "URGENT" in next(s.body for s in sms if s.kind == "artisan_recap")


async def test_caller_hangs_up_mid_call_still_gets_an_sms(agent: Agent) -> None:
    await _converse([QUOTE])  # hangs up when asked for the name
    (lead,) = await _wait_for(lambda: _leads(agent), 15, "the lead")
    assert lead["outcome"] == "callback_needed"
    assert "devis" in lead["problem"].lower()
    sms = await _wait_for(lambda: _sms(agent) if len(_sms(agent)) >= 2 else None, 15, "SMS")
    assert {(s.recipient, s.kind) for s in sms} == {
        (CALLER_E164, "caller_recap"),
        (ARTISAN, "artisan_recap"),
    }


class FlakyTwilio:
    """A local stand-in for Twilio's API: down for the first `failures` requests."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.requests: list[dict[str, str]] = []
        self.accepted: list[dict[str, str]] = []

    async def handle(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.requests.append({k: str(v) for k, v in form.items()})
        if len(self.requests) <= self.failures:
            return web.Response(status=503, text="down")
        self.accepted.append({k: str(v) for k, v in form.items()})
        return web.json_response({"sid": f"SM{len(self.accepted)}", "status": "queued"}, status=201)


@pytest.fixture
async def flaky_twilio() -> AsyncIterator[tuple[FlakyTwilio, str]]:
    provider = FlakyTwilio(failures=4)
    app = web.Application()
    app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", provider.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield provider, f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_sms_provider_down_then_back_delivers_each_once(
    pbx: Sandbox, tmp_path: Path, voice: SpeechVoice, flaky_twilio: tuple[FlakyTwilio, str]
) -> None:
    provider, url = flaky_twilio
    config: Config = sandbox_config(
        tmp_path,
        sms={
            "provider": "twilio",
            "backoff_initial_s": 0.5,
            "backoff_max_s": 2.0,
            "twilio": {
                "account_sid": "AC0123",
                "auth_token": "secret",
                "from_number": "+33700000000",
                "base_url": url,
            },
        },
    )
    agent = await build_agent(config, voice=voice)
    task = asyncio.get_running_loop().create_task(agent.run())
    try:
        await asyncio.wait_for(agent.stream.connected.wait(), 10)
        await _converse([QUOTE])
        await _wait_for(lambda: len(provider.accepted) >= 2, 40, "delivery after the outage")
        await asyncio.sleep(2.0)  # a double send would show up here
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert len(provider.requests) > len(provider.accepted)  # the outage really happened
    assert sorted(m["To"] for m in provider.accepted) == sorted([CALLER_E164, ARTISAN])
    assert all(json.dumps(m) for m in provider.accepted)


async def test_caller_hanging_up_right_after_speaking_loses_nothing(agent: Agent) -> None:
    call = await SipCaller.dial(*SIP, caller_id=CALLER)
    await call.wait_for_agent_turn(call.answered_at, quiet_s=1.2)
    await call.say(await _VOICE[0].render(QUOTE, 8000)).done
    await call.hangup()  # before the end of turn is even detected
    (lead,) = await _wait_for(lambda: _leads(agent), 20, "the lead")
    assert lead["outcome"] == "callback_needed"
    assert "devis" in lead["problem"].lower()
    sms = await _wait_for(lambda: _sms(agent) if len(_sms(agent)) >= 2 else None, 15, "SMS")
    assert {s.kind for s in sms} == {"caller_recap", "artisan_recap"}


async def test_caller_hanging_up_while_the_mobile_rings_closes_the_call(
    agent: Agent, pbx: Sandbox
) -> None:
    """Issue 8: the row stayed `in_progress` (no end, no transcript, no recording)."""
    mobile = start_mobile("ring", 15070)
    try:
        call = await SipCaller.dial(*SIP, caller_id=CALLER)
        await run_script(call, _VOICE[0], [FLOOD, NAME, ADDRESS])
        await _wait_for(
            lambda: any(c["id"].endswith("-mobile") for c in pbx.ari_get("/channels") or []),
            30,
            "the mobile ringing",
        )
        await asyncio.sleep(1.0)
        await call.hangup()
        rows = await _wait_for(
            lambda: [r for r in agent.manager.deps.store.recent() if r.ended_at], 20, "the row"
        )
        await _wait_for(lambda: agent.manager.active_calls == 0, 10, "the session to end")
    finally:
        mobile.kill()
    (row,) = rows
    assert row.outcome == "callback_needed"
    assert any(t["speaker"] == "caller" for t in row.transcript)
    assert row.recording_path is not None and Path(row.recording_path).exists()
    (lead,) = _leads(agent)
    assert lead["urgent"] == 1 and lead["outcome"] == "callback_needed"
    clips = json.loads(lead["clips"])  # the caller's own words, next to each field
    assert [f for f, _ in clips] == ["name", "address"]
    assert all(Path(p).parent == Path(row.recording_path).parent for _, p in clips)
    sms = await _wait_for(lambda: _sms(agent) if len(_sms(agent)) >= 2 else None, 15, "SMS")
    assert {(s.recipient, s.kind) for s in sms} == {
        (CALLER_E164, "caller_recap"),
        (ARTISAN, "artisan_recap"),
    }
    assert not [c for c in pbx.ari_get("/channels") or [] if c["id"].startswith(row.channel_id)]
