"""The receptionist's glue: hint per turn, n-best and confidence, per-field clips, cancel."""

from __future__ import annotations

import asyncio
import dataclasses
import wave
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from agent.ari.models import Channel, ChannelDestroyed, ChannelStateChange
from agent.call.context import CallContext
from agent.call.receptionist import Receptionist
from agent.call.transfer import AttendedTransfer
from agent.config import CallConfig, MediaConfig
from agent.dialogue import Action, Dialogue, SaveLead
from agent.leads.model import Lead
from agent.media.codecs import ULAW
from agent.speech.endpointing import SpeechEnded
from agent.speech.hint import Hint, Question
from agent.speech.stt import Transcript
from tests.call.fakes import (
    FakeControl,
    Leads,
    ScriptedTranscriber,
    context,
    event,
    fake_stream,
    receptionist_deps,
)

CHANNEL = Channel("chan-7", "PJSIP/caller", "Up", caller_number="0698765432")


def _answers(count: int) -> ScriptedTranscriber:
    """Turn n is heard as "réponse n", with an alternative and a middling confidence (and a
    letters-only reading, "R-n", as a spelling turn would have)."""
    return ScriptedTranscriber(
        [
            Transcript(
                f"réponse {n}", 1.0, 0.1, "fr", confidence=0.42,
                alternatives=(f"réponse {n} bis",), letters=(f"R-{n}",),
            )
            for n in range(1, count + 1)
        ]
    )  # fmt: skip


@dataclass
class ScriptedDialogue:
    """Stands in for Dialogue: asks `questions` in turn, records what it is given."""

    questions: list[Question]
    heard: list[tuple[str, tuple[str, ...], float]] = field(default_factory=list)
    letters: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def hint(self) -> Hint:
        return Hint("problem", self.questions[min(len(self.heard), len(self.questions) - 1)])

    def on_utterance(
        self,
        text: str,
        alternatives: Sequence[str] = (),
        confidence: float = 1.0,
        letters: Sequence[str] = (),
    ) -> list[Action]:
        self.heard.append((text, tuple(alternatives), confidence))
        self.letters.append(tuple(letters))
        return []

    def on_hangup(self) -> list[Action]:
        return [SaveLead(Lead("callback_needed", name="Paul Durand"))]

    def snapshot(self) -> ScriptedDialogue:
        return ScriptedDialogue(list(self.questions), list(self.heard))


def _receptionist(transcriber: ScriptedTranscriber, leads: Leads) -> Receptionist:
    # The scripted dialogue understands nothing: no understander.
    deps = receptionist_deps(transcriber=transcriber, leads=leads)
    return Receptionist(deps, CHANNEL, ULAW.sample_rate)


def _context(clips_dir: Path | None) -> CallContext:
    call = context(CHANNEL)
    call.clips_dir = clips_dir
    return call


def _turn(level: int) -> SpeechEnded:
    return SpeechEnded(np.full(8000, level, dtype=np.int16), 0, 500)


async def test_each_turn_gets_its_question_and_passes_n_best_and_confidence(
    tmp_path: Path,
) -> None:
    transcriber, leads = _answers(6), Leads()
    receptionist = _receptionist(transcriber, leads)
    dialogue = ScriptedDialogue(["problem", "name", "spell", "address", "town", "phone"])
    receptionist.dialogue = cast(Dialogue, dialogue)
    call = _context(tmp_path / "rec")
    receptionist._call = call
    for level in range(1, 7):
        await receptionist._caller_said(call, _turn(level * 100))
    assert [h.question for h in transcriber.hints if h] == dialogue.questions
    assert dialogue.heard[1] == ("réponse 2", ("réponse 2 bis",), 0.42)
    assert dialogue.letters[2] == ("R-3",)  # the spelling's letters-only reading, passed on
    assert [t["confidence"] for t in call.transcript] == [0.42] * 6
    # The other readings are kept with the words heard, for whoever checks the call.
    assert call.transcript[1]["alternatives"] == ["réponse 2 bis"]
    await receptionist.caller_hung_up(call)
    (lead,) = leads.saved
    assert [f for f, _ in lead.clips] == ["name", "name", "address", "address", "phone"]
    assert lead.call_id == 12
    for (_, path), level in zip(lead.clips, (200, 300, 400, 500, 600), strict=True):
        assert Path(path).parent == tmp_path / "rec"
        with wave.open(path) as clip:
            assert (clip.getframerate(), clip.getnchannels()) == (16000, 1)
            samples = np.frombuffer(clip.readframes(clip.getnframes()), dtype=np.int16)
        assert samples.size == 8000 and set(samples.tolist()) == {level}


async def test_no_clips_when_recording_is_off() -> None:
    transcriber, leads = _answers(6), Leads()
    receptionist = _receptionist(transcriber, leads)
    receptionist.dialogue = cast(Dialogue, ScriptedDialogue(["name"]))
    call = _context(None)
    receptionist._call = call
    await receptionist._caller_said(call, _turn(100))
    await receptionist.caller_hung_up(call)
    assert leads.saved[0].clips == ()


async def test_a_hang_up_landing_with_a_frame_still_cancels_the_step() -> None:
    """Issue 9: wait_for on 3.11 returned the frame and swallowed this cancel."""
    receptionist = _receptionist(_answers(1), Leads())
    receptionist.dialogue = cast(Dialogue, ScriptedDialogue(["problem"]))
    call = _context(None)
    receptionist._call = call
    step = asyncio.get_running_loop().create_task(receptionist._step(call))
    for _ in range(3):
        await asyncio.sleep(0)  # the step is now waiting for audio
    call.audio.put_nowait(np.zeros(160, dtype=np.int16))
    step.cancel()
    with pytest.raises(asyncio.CancelledError):
        await step


async def test_a_hang_up_while_the_mobile_rings_cancels_the_transfer() -> None:
    """Issue 8: the transfer's wait on the mobile's events swallowed the caller's hang-up."""
    call = _context(None)  # its stream plays the ringback forever (nothing is heard)
    transfer = AttendedTransfer(call, CallConfig(), MediaConfig(), "trunk")
    running = asyncio.get_running_loop().create_task(
        transfer.run("+33612345678", "Fuite urgente", "Appuyez sur 1.")
    )
    for _ in range(5):
        await asyncio.sleep(0)  # originated; now waiting for the mobile's events
    assert cast(FakeControl, call.control).called("originate")
    call.legs.put_nowait(event(ChannelStateChange, transfer.mobile_id, "PJSIP/trunk"))
    running.cancel()  # the caller hung up in the same loop turn
    with pytest.raises(asyncio.CancelledError):
        await running


async def test_the_mobile_rings_during_the_holding_message_and_a_busy_does_not_cut_it() -> None:
    """Issue 10: ringing the mobile only after "Ne quittez pas." cost ~3 s per urgent call."""
    call = _context(None)
    stream = fake_stream(call)
    holding = stream.play(np.zeros(8000, dtype=np.int16))  # "Je vous mets en relation..."
    transfer = AttendedTransfer(call, CallConfig(), MediaConfig(), "trunk")
    running = asyncio.get_running_loop().create_task(
        transfer.run("+33612345678", "Fuite urgente", "Appuyez sur 1.", [holding])
    )
    for _ in range(5):
        await asyncio.sleep(0)
    assert cast(FakeControl, call.control).called("originate")  # while the message plays
    busy = event(ChannelDestroyed, transfer.mobile_id, "PJSIP/trunk")
    call.legs.put_nowait(dataclasses.replace(cast(ChannelDestroyed, busy), cause=17))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not running.done()  # the holding message is heard to its end
    stream.played()
    assert await running == "busy"
    assert not holding.interrupted
