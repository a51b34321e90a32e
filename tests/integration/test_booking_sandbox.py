"""One whole sandbox call that books a visit in a real CalDAV server (Radicale): the caller
picks the first slot offered, the event is in the calendar, and the caller's SMS names it."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from agent.calendar.caldav_client import CaldavCalendar
from agent.config import Config
from agent.service import Agent, build_agent
from agent.speech.stt import WhisperEngine
from agent.voice import SpeechVoice
from agent.wiring import build_transcriber
from devkit.caller.caller import SipCaller
from devkit.sandbox.harness import Harness
from devkit.sandbox.pbx import Sandbox
from devkit.sim.persona import Persona
from devkit.sim.simulate import converse
from tests.calendar.radicale_server import PASSWORD, USER, Radicale, radicale
from tests.conftest import sandbox_config
from tests.integration.test_call import SIP

pytestmark = [pytest.mark.pbx, pytest.mark.models]

CALLER = "0698765432"
EVERY_DAY = {d: "08:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
BOOKER = Persona(
    id="booker",
    caller_id=CALLER,
    answers={
        "problem": "Bonjour, je voudrais faire remplacer mon chauffe-eau, il est très vieux.",
        "name": "Bernard. Philippe Bernard.",
        "spell": "B, E, R, N, A, R, D.",
        "address": "C'est au 25 avenue Franklin Roosevelt, à Bron.",
        "street": "25 avenue Franklin Roosevelt.",
        "town": "Bron.",
        "phone_confirm": "Oui, c'est bien ça.",
        "readback": "Oui, c'est bien ça.",
        "slot": "Le premier, s'il vous plaît.",
    },
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Radicale]:
    with radicale(tmp_path / "radicale") as r:
        r.make_calendar("travaux")
        yield r


@pytest.fixture
def agent_config(tmp_path: Path, server: Radicale) -> Config:
    calendar = {"url": server.collection("travaux"), "username": USER, "password": PASSWORD}
    business = {"name": "Plomberie Martin", "trade": "plombier", "mobile": "+33612345678",
                "towns": ["Lyon", "Villeurbanne", "Bron"], "hours": EVERY_DAY}  # fmt: skip
    return sandbox_config(tmp_path, calendar=calendar, business=business)


@pytest.fixture
async def booking_agent(
    pbx: Sandbox, agent_config: Config, voice: SpeechVoice, whisper_engine: WhisperEngine
) -> AsyncIterator[tuple[Agent, Harness]]:
    transcriber = build_transcriber(agent_config, whisper_engine)
    running = await build_agent(agent_config, voice=voice, transcriber=transcriber)
    task = asyncio.get_running_loop().create_task(running.run())
    await asyncio.wait_for(running.stream.connected.wait(), 10)
    yield running, Harness(agent_config, running, voice, transcriber)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def _wait_for(predicate: Any, timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


async def test_a_sandbox_call_books_and_its_sms_names_the_slot(
    booking_agent: tuple[Agent, Harness], agent_config: Config, server: Radicale
) -> None:
    agent, harness = booking_agent
    call = await SipCaller.dial(*SIP, caller_id=CALLER)
    try:
        _, talk = await converse(call, harness, BOOKER)
    finally:
        await call.hangup()
    assert "slot" in talk.questions
    conn = agent.services.leads._conn
    lead = await _wait_for(lambda: conn.execute("SELECT * FROM leads").fetchone(), 15, "lead")
    assert lead["visit_start"], f"no visit: {lead['booking_note']}"
    start = datetime.fromisoformat(lead["visit_start"])
    paris = ZoneInfo("Europe/Paris")
    found = CaldavCalendar(agent_config.calendar, paris).busy(start, start + timedelta(hours=1))
    assert [b.start for b in found] == [start]
    texts = [s.body for s in agent.services.outbox.rows() if s.kind == "caller_recap"]
    local = start.astimezone(paris)
    assert texts and f"{local.day}" in texts[0] and f"à {local.hour} h" in texts[0]
    # The visit's address as understood: Bron, or flagged to check when the town was garbled.
    assert lead["city"] == "Bron" or "address" in json.loads(lead["to_check"]), dict(lead)
    assert not lead["city"] or lead["city"] in texts[0]
    print(f"booked {local:%a %d %b %H:%M}; caller SMS: {texts[0]}")
