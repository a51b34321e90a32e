"""A whole call in process: CallSession + Receptionist + the real dialogue on fakes of the
ports (no Asterisk, no Whisper, no Pico). Barge-in, DTMF, silences, hang-ups mid-turn, and a
conversation that fails handing the caller to the dialplan's fallback."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from agent.ari.errors import AriError
from agent.ari.models import ChannelDtmfReceived
from agent.call.receptionist_deps import ReceptionistDeps
from agent.call.session import FALLBACK_CONTEXT
from agent.dialogue import DialogueSettings, Understander
from agent.media.codecs import Pcm
from agent.speech.settings import TurnSettings
from tests.call.fakes import (
    ARTISAN,
    CALLER_ID,
    TURN,
    FakeControl,
    FakeVoice,
    Harness,
    JumpingClock,
    ScriptedTranscriber,
    answer,
    event,
    silence,
    started_call,
    stored,
    talking_deps,
    until,
    voiced,
)

TEXTS = DialogueSettings()
QUOTE = "Je voudrais un devis pour changer mon chauffe-eau."
LEAK = "Il y a une grosse fuite d'eau dans ma cuisine, ça inonde tout, c'est urgent."
NAME = "Philippe Bernard."
ADDRESS = "Douze rue de la République à Villeurbanne."
ASK_NAME = TEXTS.ask_name
ASK_ADDRESS = TEXTS.ask_address
CONFIRM_PHONE = "Je peux vous rappeler au 06 98 76 54 32 ?"


# ---- barge-in --------------------------------------------------------------------------------
async def test_the_caller_talking_over_the_greeting_stops_it_and_is_heard(
    tmp_path: Path, understander: Understander
) -> None:
    transcriber = ScriptedTranscriber([LEAK])
    voice = FakeVoice(ms_per_char=60)  # Pico's pace: the greeting lasts ~6 s
    call = await started_call(tmp_path, talking_deps(understander, transcriber), voice)
    stream = call.context.stream
    await until(lambda: stream.speaking, "the greeting")
    call.say(TURN)
    await until(lambda: ASK_NAME in call.notes("agent"), "the next question")
    cut = [n for n in call.context.transcript if n["speaker"] == "agent_interrupted"]
    greeting, ask_problem = voice.rendered[:2]
    assert len(cut) == 2  # the greeting and the question queued behind it
    assert greeting.startswith(cut[0]["text"]) and cut[0]["heard_ms"] < cut[0]["duration_ms"]
    assert cut[1]["text"] == "" and cut[1]["heard_ms"] == 0
    assert ask_problem == TEXTS.ask_problem
    assert call.notes("caller") == [LEAK]
    (hint,) = transcriber.hints  # heard once, as the answer to the problem question
    assert hint is not None and hint.expect == "problem"
    assert voice.rendered[2:] == [TEXTS.ack_urgent, ASK_NAME]
    call.hang_up()
    await call.ended()


async def test_a_cough_while_the_agent_speaks_does_not_cut_it(
    tmp_path: Path, understander: Understander
) -> None:
    transcriber = ScriptedTranscriber([])
    voice = FakeVoice(ms_per_char=60)
    call = await started_call(tmp_path, talking_deps(understander, transcriber), voice)
    await until(lambda: call.context.stream.speaking, "the greeting")
    # Voiced for less than barge_in_min_ms: enough to start a turn in silence, not to cut in.
    call.say(np.concatenate([voiced(0.3), silence(1.0)]))
    await until(lambda: call.context.audio.empty(), "the cough to be heard")
    assert call.context.stream.speaking
    assert [n["speaker"] for n in call.context.transcript] == ["agent", "agent"]
    assert transcriber.heard == []
    call.hang_up()
    await call.ended()


# ---- hang-ups mid-turn -----------------------------------------------------------------------
@pytest.mark.parametrize("eager_ms", [0, 250], ids=["at-the-end", "at-the-pause"])
async def test_a_hang_up_during_the_transcription_keeps_that_answer(
    tmp_path: Path, understander: Understander, eager_ms: int
) -> None:
    # The name is being transcribed when the caller hangs up (from the end of the turn, or
    # from its first pause): that transcription is cancelled with the conversation, and the
    # same turn is transcribed again for the lead.
    transcriber = ScriptedTranscriber([QUOTE, "(cancelled)", NAME])
    stuck = transcriber.hold(1)
    turn = dataclasses.replace(TurnSettings(), eager_silence_ms=eager_ms)
    deps = talking_deps(understander, transcriber, turn=turn)
    call = await started_call(tmp_path, deps)
    await answer(call, ASK_NAME)
    await until(lambda: not call.context.stream.speaking, "the question to be heard")
    call.say(TURN)
    await stuck.entered.wait()
    call.hang_up()
    await call.ended()
    assert [h.expect for h in transcriber.hints if h] == ["problem", "name", "name"]
    leads, outbox = stored(deps)
    (lead,) = leads.saved
    assert (lead.outcome, lead.name, lead.category) == ("callback_needed", "Philippe Bernard",
                                                         "devis")  # fmt: skip
    assert outbox.kinds == ["caller_recap", "artisan_recap"]
    row = call.store.get(CALLER_ID)
    assert row is not None and row.ended_at is not None and row.outcome == "callback_needed"
    last = row.transcript[-1]
    assert (last["speaker"], last["text"], last["after_hangup"]) == ("caller", NAME, True)
    assert ("hangup", (CALLER_ID,)) not in call.control.requests  # it was the caller's


async def test_a_hang_up_mid_sentence_keeps_what_was_said(
    tmp_path: Path, understander: Understander
) -> None:
    transcriber = ScriptedTranscriber([QUOTE, NAME])
    deps = talking_deps(understander, transcriber)
    call = await started_call(tmp_path, deps)
    await answer(call, ASK_NAME)
    await until(lambda: not call.context.stream.speaking, "the question to be heard")
    call.say(np.concatenate([silence(0.3), voiced(0.8)]))  # no silence after: cut short
    await until(lambda: call.context.audio.empty(), "the words to be heard")
    call.hang_up()
    await call.ended()
    (lead,) = stored(deps)[0].saved
    assert lead.name == "Philippe Bernard" and lead.outcome == "callback_needed"


# ---- a conversation that fails: the dialplan's fallback --------------------------------------
class Boom(RuntimeError):
    pass


def _crashing_engine(deps: ReceptionistDeps) -> None:
    cast(ScriptedTranscriber, deps.transcriber).fail = Boom("CUDA error: out of memory")


class _CrashingUnderstander:
    """Whatever the dialogue asks of it raises (a bug in the language layer)."""

    def __getattr__(self, name: str) -> Callable[..., object]:
        def crash(*_: object, **__: object) -> object:
            raise Boom(f"{name} crashed")

        return crash


@pytest.mark.parametrize("breaks", ["transcriber", "understander"])
async def test_a_conversation_that_raises_hands_the_caller_to_the_fallback(
    tmp_path: Path, understander: Understander, breaks: str
) -> None:
    transcriber = ScriptedTranscriber([QUOTE])
    deps = talking_deps(understander, transcriber)
    if breaks == "transcriber":
        _crashing_engine(deps)
    else:
        deps = talking_deps(cast(Understander, _CrashingUnderstander()), transcriber)
    call = await started_call(tmp_path, deps)
    await until(lambda: not call.context.stream.speaking, "the greeting")
    call.say(TURN)
    await call.ended()
    # The caller goes on to the artisan's mobile, then voicemail: never hung up, never left.
    assert call.control.on(CALLER_ID)[-1] == ("continue", (CALLER_ID, FALLBACK_CONTEXT))
    assert ("hangup", (CALLER_ID,)) not in call.control.requests
    row = call.store.get(CALLER_ID)
    assert row is not None and row.ended_at is not None and row.outcome == "agent_error"
    leads, outbox = stored(deps)
    assert leads.saved == [] and outbox.queued == []  # the missed-call scanner texts, if need be


class _MuteVoice(FakeVoice):
    async def render(self, text: str, sample_rate: int) -> Pcm:
        raise Boom("pico crashed")


async def test_a_voice_that_fails_at_the_greeting_hands_the_caller_over_at_once(
    tmp_path: Path, understander: Understander
) -> None:
    deps = talking_deps(understander, ScriptedTranscriber())
    call = await started_call(tmp_path, deps, _MuteVoice())
    await call.ended()
    assert call.control.on(CALLER_ID) == [
        ("answer", (CALLER_ID,)),
        ("continue", (CALLER_ID, FALLBACK_CONTEXT)),
    ]


async def test_a_fallback_asterisk_refuses_still_closes_the_call(
    tmp_path: Path, understander: Understander
) -> None:
    def refuses_continue(control: FakeControl) -> None:
        control.fail["continue"] = AriError("Channel not in Stasis application", 409)

    deps = talking_deps(understander, ScriptedTranscriber())
    call = await started_call(tmp_path, deps, _MuteVoice(), refuses_continue)
    await call.ended()
    row = call.store.get(CALLER_ID)
    assert row is not None and row.ended_at is not None and row.outcome == "agent_error"


# ---- keys ------------------------------------------------------------------------------------
async def test_keys_answer_the_yes_no_questions_and_the_call_completes(
    tmp_path: Path, understander: Understander
) -> None:
    transcriber = ScriptedTranscriber([QUOTE, NAME, ADDRESS])
    deps = talking_deps(understander, transcriber)
    call = await started_call(tmp_path, deps)
    await answer(call, ASK_NAME)
    call.send(event(ChannelDtmfReceived, CALLER_ID, digit="5"))  # no question takes a key here
    await answer(call, ASK_ADDRESS)
    await answer(call, CONFIRM_PHONE)
    call.send(event(ChannelDtmfReceived, CALLER_ID, digit="1"))
    await until(lambda: any(t.startswith("Je récapitule") for t in call.notes("agent")),
                "the read-back")  # fmt: skip
    call.send(event(ChannelDtmfReceived, CALLER_ID, digit="1"))
    await call.ended()
    keys = [t for t in call.notes("caller") if t.startswith("[touche")]
    assert keys == ["[touche 5]", "[touche 1]", "[touche 1]"]
    assert call.notes("agent")[-1].startswith("Merci.")
    leads, outbox = stored(deps)
    (lead,) = leads.saved
    assert (lead.outcome, lead.name, lead.city, lead.caller_number) == (
        "callback_needed", "Philippe Bernard", "Villeurbanne", "+33698765432"
    )  # fmt: skip
    assert outbox.kinds == ["caller_recap", "artisan_recap"]
    assert call.control.on(CALLER_ID)[-1] == ("hangup", (CALLER_ID,))  # the agent's goodbye
    row = call.store.get(CALLER_ID)
    assert row is not None and row.outcome == "callback_needed"


# ---- silences --------------------------------------------------------------------------------
async def _silent_for(call: Harness, clock: JumpingClock, seconds: float, said: str) -> None:
    await until(lambda: not call.context.stream.speaking, "the agent to finish speaking")
    count = call.notes("agent").count(said)
    clock.advance(seconds)
    await until(lambda: call.notes("agent").count(said) > count, repr(said))


async def test_silence_is_prompted_twice_then_the_call_ends_as_missed(
    tmp_path: Path, understander: Understander, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = JumpingClock(monkeypatch)
    deps = talking_deps(understander, ScriptedTranscriber())
    timeout = deps.call.silence_timeout_s
    call = await started_call(tmp_path, deps)
    await _silent_for(call, clock, timeout + 0.5, TEXTS.still_there)
    assert call.notes("agent")[-1] == TEXTS.ask_problem  # the question again after the nudge
    await _silent_for(call, clock, timeout + 0.5, TEXTS.still_there)
    await until(lambda: not call.context.stream.speaking, "the second nudge")
    clock.advance(timeout / 2)  # not yet a silence: nothing said
    await until(lambda: call.context.audio.empty(), "a step")
    assert call.notes("caller") == ["[silence]", "[silence]"]
    await _silent_for(call, clock, timeout / 2 + 0.5, TEXTS.silent_close)
    await call.ended()
    assert call.notes("caller") == ["[silence]"] * 3
    leads, outbox = stored(deps)
    assert [lead.outcome for lead in leads.saved] == ["no_info"]
    assert outbox.kinds == ["caller_missed", "artisan_missed"]
    assert call.control.on(CALLER_ID)[-1] == ("hangup", (CALLER_ID,))
    row = call.store.get(CALLER_ID)
    assert row is not None and row.outcome == "no_info"


async def test_silence_after_the_problem_ends_with_a_callback(
    tmp_path: Path, understander: Understander, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = JumpingClock(monkeypatch)
    deps = talking_deps(understander, ScriptedTranscriber([QUOTE]))
    timeout = deps.call.silence_timeout_s
    call = await started_call(tmp_path, deps)
    await answer(call, ASK_NAME)
    for _ in range(DialogueSettings().max_silence_prompts):
        await _silent_for(call, clock, timeout + 0.5, TEXTS.still_there)
    await until(lambda: not call.context.stream.speaking, "the last nudge")
    clock.advance(timeout + 0.5)
    await call.ended()
    assert call.notes("agent")[-1].startswith("Merci.")
    leads, outbox = stored(deps)
    (lead,) = leads.saved
    assert lead.outcome == "callback_needed" and lead.category == "devis" and lead.name is None
    assert outbox.kinds == ["caller_recap", "artisan_recap"]
    assert outbox.queued[1][0] == ARTISAN
