"""The simulated caller's loop without SIP: it answers the question the dialogue asked, stops
at a transfer or a hang-up, and never talks forever."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

from agent.call.receptionist import Receptionist
from agent.dialogue import Stage
from agent.speech.hint import Hint, Question
from devkit.caller.caller import SipCaller
from devkit.sandbox.harness import Harness
from devkit.sim.persona import parse_persona
from devkit.sim.simulate import MAX_TURNS, converse

PERSONA = parse_persona(
    {
        "id": "p",
        "caller_id": "0611223344",
        "answers": {
            "problem": "Ma porte ne ferme plus.",
            "name": "Anne Roy.",
            "address": "3 rue Garibaldi à Lyon.",
            "readback": "Oui.",
            "other": "Je ne sais pas.",
        },
    }
)
ASKING = {"problem": Stage.PROBLEM, "name": Stage.NAME, "address": Stage.ADDRESS,
          "readback": Stage.READBACK}  # fmt: skip


class FakeDialogue:
    """Walks through `steps` (a question, "transfer", "done"), one per caller answer."""

    def __init__(self, steps: list[str]) -> None:
        self.steps = steps
        self.stage = Stage.PROBLEM
        self.failed_at = 0.0
        self.question: Question = "problem"
        self.asking_while_ringing = False
        self.advance()

    @property
    def hint(self) -> Hint:
        return Hint("problem", self.question)

    def advance(self) -> None:
        step = self.steps.pop(0) if self.steps else self.question
        if self.asking_while_ringing:  # answered: the artisan picks up a moment later
            self.asking_while_ringing = False
            asyncio.get_running_loop().call_later(0.3, setattr, self, "stage", Stage.DONE)
        elif step in ("transfer", "transfer_asking_street"):
            self.stage = Stage.TRANSFERRING
            self.asking_while_ringing = step == "transfer_asking_street"
            self.question = "address"
            if not self.asking_while_ringing:
                asyncio.get_running_loop().call_later(0.3, setattr, self, "stage", Stage.DONE)
        elif step == "transfer_fails":  # the mobile does not answer: back to the questions
            self.stage = Stage.TRANSFERRING
            self.failed_at = time.monotonic() + 0.3
            asyncio.get_running_loop().call_later(0.3, self._apologise)
        elif step == "done":
            self.stage = Stage.DONE
        else:
            self.question = cast(Question, step)
            self.stage = ASKING.get(step, Stage.NAME)

    def _apologise(self) -> None:
        self.stage, self.question = Stage.PHONE_CONFIRM, "phone_confirm"


@dataclass
class FakeCall:
    dialogue: FakeDialogue
    heard: list[str] = field(default_factory=list)
    hung_up_by_remote: asyncio.Event = field(default_factory=asyncio.Event)
    answered_at: float = 0.0
    invite_at: float = 0.0

    waited_since: list[float] = field(default_factory=list)

    async def wait_for_agent_turn(self, since: float, *_: Any) -> float | None:
        self.waited_since.append(since)
        return time.monotonic()

    def say(self, samples: Any) -> Any:
        self.dialogue.advance()
        if self.dialogue.stage is Stage.DONE and not self.dialogue.steps:
            self.hung_up_by_remote.set()  # the agent says goodbye and hangs up
        done = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return type("Playback", (), {"done": done})()


class FakeVoice:
    def __init__(self, call: FakeCall) -> None:
        self.call = call

    async def render(self, text: str, rate: int) -> Any:
        self.call.heard.append(text)
        return np.zeros(160, dtype=np.int16)


def _harness(call: FakeCall) -> Harness:
    receptionist = Receptionist.__new__(Receptionist)  # only its dialogue is read
    receptionist.dialogue = cast(Any, call.dialogue)
    session = type("Session", (), {"call_id": 7, "conversation": receptionist})()
    manager = type("Manager", (), {"sessions": (session,)})()
    agent = type("Agent", (), {"manager": manager})()
    return cast(Harness, type("H", (), {"agent": agent, "voice": FakeVoice(call)})())


async def _run(steps: list[str]) -> tuple[FakeCall, Any]:
    call = FakeCall(FakeDialogue(steps))
    row, talk = await converse(cast(SipCaller, call), _harness(call), PERSONA)
    assert row == 7
    return call, talk


async def test_each_question_gets_the_personas_answer_until_the_agent_hangs_up() -> None:
    call, talk = await _run(["problem", "name", "name", "spell", "address", "readback", "done"])
    assert talk.questions == ["problem", "name", "name", "spell", "address", "readback"]
    assert call.heard == [
        "Ma porte ne ferme plus.",
        "Anne Roy.",
        "Anne Roy.",
        "Je ne sais pas.",  # no `spell` answer: falls back to `other`
        "3 rue Garibaldi à Lyon.",
        "Oui.",
    ]
    assert talk.script.hung_up_by_agent


async def test_the_caller_stops_talking_once_put_through_to_the_artisan() -> None:
    call, talk = await _run(["problem", "name", "address", "transfer"])
    assert talk.questions == ["problem", "name", "address"]
    assert len(call.heard) == 3


async def test_the_street_asked_while_the_mobile_rings_is_answered_then_the_caller_waits() -> None:
    call, talk = await _run(["problem", "name", "transfer_asking_street"])
    assert talk.questions == ["problem", "name", "address"]
    assert call.heard == ["Ma porte ne ferme plus.", "Anne Roy.", "3 rue Garibaldi à Lyon."]


async def test_a_dialogue_that_loops_is_cut_after_a_bounded_number_of_turns() -> None:
    call, talk = await _run(["problem", "which_field"])  # then asks which_field forever
    assert len(talk.questions) == MAX_TURNS
    assert call.heard[1:] == ["Je ne sais pas."] * (MAX_TURNS - 1)


async def test_after_a_failed_transfer_the_caller_waits_for_the_apology_and_question() -> None:
    # Waiting for the agent from before the ringing ("Ne quittez pas" already heard) answered
    # at once, over the apology: the answer was lost and phone_confirm counted three times.
    call, talk = await _run(["problem", "name", "transfer_fails", "readback", "done"])
    assert talk.questions == ["problem", "name", "phone_confirm", "readback"]
    after_failure = call.waited_since[-3]  # then one wait after each of the last two answers
    assert after_failure >= call.dialogue.failed_at
