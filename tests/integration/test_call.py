"""Real SIP calls into the sandbox Asterisk: the agent answers, audio flows both ways."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest

from agent.call.context import CallContext, GreetAndListen
from agent.config import Config
from agent.dialogue import DialogueSettings, fixed_prompts
from agent.media.codecs import Pcm
from agent.service import Agent
from agent.store.calls import CallRecord
from agent.voice import SpeechVoice
from devkit.caller.caller import SipCaller
from tests.audio_match import rms, similarity

pytestmark = pytest.mark.pbx

SIP = ("127.0.0.1", 15060)
CALLER_SENTENCE = "Bonjour, j'ai une fuite d'eau sous l'évier de la cuisine."


class RecordingGreeter(GreetAndListen):
    """The foundation behaviour (greet, then listen) keeping what the agent heard."""

    def __init__(self, greeting: str, heard: list[Pcm]) -> None:
        super().__init__(greeting)
        self.heard = heard

    async def run(self, call: CallContext) -> str:
        await call.speak(self.greeting)  # queued: listen while speaking
        while True:
            self.heard.append(await call.audio.get())


async def finished_row(
    agent: Agent, channel_count: int = 1, timeout_s: float = 10
) -> list[CallRecord]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        rows = agent.manager.deps.store.recent()
        if len(rows) >= channel_count and all(r.ended_at for r in rows):
            return rows
        await asyncio.sleep(0.1)
    raise AssertionError(f"call rows not finished: {agent.manager.deps.store.recent()}")


async def test_agent_answers_and_audio_flows_both_ways(
    agent: Agent, agent_config: Config, voice: SpeechVoice
) -> None:
    agent_heard: list[Pcm] = []
    greeting = fixed_prompts(DialogueSettings(), agent_config.business)["greeting"]
    agent.manager.deps = agent.manager.deps.__class__(
        **{
            **agent.manager.deps.__dict__,
            "new_conversation": lambda _c: RecordingGreeter(greeting, agent_heard),
        }
    )
    sentence = await voice.render(CALLER_SENTENCE, 8000)

    call = await SipCaller.dial(*SIP, caller_id="0698765432")
    first_voice = await call.wait_for_agent_turn(call.answered_at, quiet_s=0.8)
    await call.say(sentence).done  # like a person: listen to the greeting, then speak
    await asyncio.sleep(0.3)
    await call.hangup()

    assert first_voice is not None, "the caller heard nothing from the agent"
    expected = await voice.render(greeting, 8000)
    heard_by_caller = call.heard.pcm()
    assert similarity(heard_by_caller, expected) > 0.8, "the caller did not hear the greeting"

    received = np.concatenate(agent_heard)
    assert rms(received) > 300, "the agent received silence"
    assert similarity(received, sentence) > 0.8, "the agent did not hear the caller's words"

    (row,) = await finished_row(agent)
    assert row.caller_number == "0698765432"
    assert row.answered_at and row.ended_at
    assert row.outcome == "caller_hangup"
    assert row.voice_in_ms > 0.5 * len(sentence) / 8
    assert row.transcript[0]["text"] == greeting


async def test_five_simultaneous_calls_all_answered_and_greeted(agent: Agent) -> None:
    async def one_call(index: int) -> float | None:
        call = await SipCaller.dial(*SIP, caller_id=f"061111111{index}")
        call.say((np.sin(np.arange(8000) * 0.2) * 6000).astype(np.int16))
        first = await call.wait_for_agent_turn(call.answered_at, quiet_s=0.5)
        await call.hangup()
        return first

    results = await asyncio.gather(*(one_call(i) for i in range(5)))
    assert all(first is not None for first in results), results
    rows = await finished_row(agent, 5)
    assert len(rows) == 5
    assert {r.caller_number for r in rows} == {f"061111111{i}" for i in range(5)}
    assert all(r.voice_in_ms > 500 for r in rows)
