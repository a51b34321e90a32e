"""Runs the sandbox PBX and an in-process agent for the demo and the bench."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from agent.config import Config
from agent.service import Agent, build_agent
from agent.speech.stt import Transcriber, WhisperTranscriber
from agent.voice import SpeechVoice
from agent.wiring import build_transcriber, build_voice
from devkit.caller.caller import SipCaller
from devkit.sandbox.pbx import Sandbox


@dataclass
class Harness:
    config: Config
    agent: Agent
    voice: SpeechVoice
    transcriber: Transcriber  # the agent's (a local one holds its model and worker)

    async def dial(self, caller_id: str) -> SipCaller:
        pbx = self.config.pbx
        return await SipCaller.dial(pbx.bind_address, pbx.sip_port, caller_id=caller_id)


@contextlib.asynccontextmanager
async def running(config: Config) -> AsyncIterator[Harness]:
    """Sandbox Asterisk up (installed on first use), agent connected, stopped afterwards."""
    sandbox = Sandbox(config)
    await asyncio.to_thread(sandbox.start)
    voice = build_voice(config)
    transcriber = build_transcriber(config)
    agent = await build_agent(config, voice=voice, transcriber=transcriber)
    task = asyncio.get_running_loop().create_task(agent.run(), name="agent")
    try:
        await asyncio.wait_for(agent.stream.connected.wait(), 15)
        yield Harness(config, agent, voice, transcriber)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        if isinstance(transcriber, WhisperTranscriber):
            transcriber.engine.close()
