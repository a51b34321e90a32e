"""Every outcome of the attended transfer, in a whole call on fakes, and what follows each.

An urgent caller gives the problem, their name and town; the agent rings the artisan's
mobile (FakeControl plays the mobile's side: its events follow the agent's requests) while
the caller hears the holding message and ringback. Bridged only when the artisan presses 1
after the whisper; any other ending brings the caller back to the agent, who says so and
goes on taking the lead (an urgent callback promised, both recaps texted).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest

from agent.ari.errors import AriError
from agent.ari.models import ChannelDestroyed, ChannelDtmfReceived, Event, StasisStart
from agent.call.receptionist_deps import ReceptionistDeps
from agent.call.session import FALLBACK_CONTEXT
from agent.call.transfer import ARTISAN_HOLD
from agent.config import CallConfig
from agent.dialogue import DialogueSettings, TransferOutcome, Understander
from tests.call.fake_ports import Said
from tests.call.fakes import (
    ARTISAN,
    CALLER_ID,
    FakeControl,
    FakeVoice,
    Harness,
    JumpingClock,
    ScriptedTranscriber,
    answer,
    event,
    started_call,
    stored,
    talking_deps,
    until,
)

TEXTS = DialogueSettings()
LEAK = "Il y a une grosse fuite d'eau dans ma cuisine, ça inonde tout, c'est urgent."
NAME = "Philippe Bernard."
TOWN = "Villeurbanne."
STREET = "Au 12 rue Anatole France."
ASK_STREET = TEXTS.transfer_ask_address.format(artisan="l'artisan")
MOBILE = f"{CALLER_ID}-mobile"
MOBILE_MEDIA = f"{MOBILE}-media"
ACCEPT = "Appuyez sur 1 pour prendre l'appel, sur 2 pour refuser."
SUMMARY = (
    "Appel urgent de Philippe Bernard, à Villeurbanne, fuite : il y a une grosse fuite d'eau "
    "dans ma cuisine ça inonde tout c'est urgent."
)


# ---- the mobile's side -----------------------------------------------------------------------
def _mobile(kind: type[Event], **fields: object) -> Event:
    return event(cast(type[ChannelDestroyed], kind), MOBILE, "PJSIP/trunk-0002", **fields)


def _ends_ringing(cause: int) -> Callable[[FakeControl], None]:
    """Asterisk reports the originated call's end with a Q.850 cause."""

    def mobile(control: FakeControl) -> None:
        control.react["originate"] = lambda _: [_mobile(ChannelDestroyed, cause=cause)]

    return mobile


def _answers(*after_whisper: Event) -> Callable[[FakeControl], None]:
    """The artisan picks up; once the whisper's media is up, `after_whisper` follows."""

    def mobile(control: FakeControl) -> None:
        control.react["originate"] = lambda _: [_mobile(StasisStart)]
        control.react["external_media"] = lambda args: (
            [event(StasisStart, MOBILE_MEDIA, "UnicastRTP/127.0.0.1:9"), *after_whisper]
            if args[0] == MOBILE_MEDIA
            else []
        )

    return mobile


def _rings_on(control: FakeControl) -> None:
    """Rings and rings: nobody picks up, Asterisk reports nothing."""


def _answers_silently(control: FakeControl) -> None:
    """Picks up, hears the whisper, presses nothing."""
    _answers()(control)


def _unreachable(control: FakeControl) -> None:
    control.fail["originate"] = AriError("Allocation failed", 500)


def _no_media(control: FakeControl) -> None:
    """Picks up, but Asterisk cannot give the whisper a media channel."""

    def picked_up(_: object) -> list[Event]:
        control.fail["external_media"] = AriError("no RTP port", 500)
        return [_mobile(StasisStart)]

    control.react["originate"] = picked_up


# ---- the call --------------------------------------------------------------------------------
async def _urgent_call(
    tmp_path: Path, understander: Understander, mobile: Callable[[FakeControl], None],
    transfer_mode: str = "attended", street_while_ringing: bool = False,
    then: tuple[str, ...] = (STREET, "Oui.", "Oui."), voice: FakeVoice | None = None,
    name: Said = NAME,
) -> tuple[Harness, ReceptionistDeps, FakeVoice]:  # fmt: skip
    """Problem, name, town heard: the agent announces the transfer (asking the street while
    the mobile rings, with `street_while_ringing`) and rings the mobile."""
    said = [LEAK, name, TOWN, *then]  # `then`: what the caller says after the town
    deps = talking_deps(understander, ScriptedTranscriber(said))
    settings = dataclasses.replace(TEXTS, ask_address_while_ringing=street_while_ringing)
    deps = dataclasses.replace(
        deps, call=dataclasses.replace(CallConfig(), transfer_mode=transfer_mode),
        dialogue=settings,
    )  # fmt: skip
    voice = voice or FakeVoice()
    call = await started_call(tmp_path, deps, voice, mobile)
    await answer(call, TEXTS.ask_name)
    await answer(call, TEXTS.ask_city)
    announced = ASK_STREET if street_while_ringing else TEXTS.transfer.format(artisan="l'artisan")
    await answer(call, announced)
    return call, deps, voice


def _system(call: Harness) -> list[str]:
    return call.notes("system")


async def _transfer_ended(call: Harness) -> None:
    await until(lambda: any(n.startswith("transfert") for n in _system(call)), "the outcome")


async def _callback_taken(call: Harness, deps: ReceptionistDeps) -> None:
    """Back with the agent: told the artisan cannot answer, asked the rest; the caller
    hangs up there and the lead is an urgent callback, texted to both."""
    await until(lambda: TEXTS.ask_street in call.notes("agent"), "the next question")
    agent = call.notes("agent")
    failed = agent[agent.index(TEXTS.ask_street) - 1]
    assert failed == TEXTS.transfer_failed.format(artisan="L'artisan")
    call.hang_up()
    await call.ended()
    leads, outbox = stored(deps)
    (lead,) = leads.saved
    assert (lead.outcome, lead.urgent, lead.name, lead.city) == (
        "callback_needed", True, "Philippe Bernard", "Villeurbanne"
    )  # fmt: skip
    assert [(to, kind) for to, kind, _ in outbox.queued] == [
        ("+33698765432", "caller_recap"), (ARTISAN, "artisan_recap"),
    ]  # fmt: skip
    caller_text, artisan_text = (text for _, _, text in outbox.queued)
    assert "vous rappelle au plus vite" in caller_text  # the callback promised
    assert artisan_text.startswith("URGENT - ")
    row = call.store.get(CALLER_ID)
    assert row is not None and row.outcome == "callback_needed"


def _ring_requests(control: FakeControl) -> list[tuple[str, tuple[object, ...]]]:
    return control.on(MOBILE) + control.on(f"{MOBILE}-bridge") + control.on(MOBILE_MEDIA)


# ---- outcomes --------------------------------------------------------------------------------
async def test_pressing_1_after_the_whisper_bridges_the_caller(
    tmp_path: Path, understander: Understander
) -> None:
    mobile = _answers(_mobile(ChannelDtmfReceived, digit="1"))
    call, deps, voice = await _urgent_call(tmp_path, understander, mobile)
    await _transfer_ended(call)
    assert _system(call) == ["résumé joué au mobile", "transfert vers le mobile: answered"]
    assert f"{SUMMARY} {ACCEPT}" in voice.rendered  # played on the mobile's leg only
    control = call.control
    assert control.called("originate") == [(MOBILE, f"PJSIP/{ARTISAN}@trunk", 20)]
    # the whisper's own leg, then the artisan joins the caller's bridge
    assert control.called("add_channel")[-3:] == [
        (f"{MOBILE}-bridge", MOBILE),
        (f"{MOBILE}-bridge", MOBILE_MEDIA),
        (f"{CALLER_ID}-bridge", MOBILE),
    ]
    assert ("hangup", (MOBILE,)) not in control.requests
    assert ("destroy_bridge", (f"{MOBILE}-bridge",)) in control.requests
    leads, outbox = stored(deps)
    await until(lambda: leads.saved, "the lead")
    (lead,) = leads.saved
    assert (lead.outcome, lead.urgent, lead.name) == ("transferred", True, "Philippe Bernard")
    assert outbox.kinds == ["artisan_recap"]  # the caller is talking to the artisan
    # The artisan hangs up: the call is over for the caller too.
    call.send(_mobile(ChannelDestroyed, cause=16))
    await call.ended()
    assert call.control.on(CALLER_ID)[-1] == ("hangup", (CALLER_ID,))
    row = call.store.get(CALLER_ID)
    assert row is not None and row.outcome == "transferred"


async def test_the_caller_hanging_up_while_bridged_hangs_up_the_mobile(
    tmp_path: Path, understander: Understander
) -> None:
    mobile = _answers(_mobile(ChannelDtmfReceived, digit="1"))
    call, deps, _ = await _urgent_call(tmp_path, understander, mobile)
    await _transfer_ended(call)
    await until(lambda: stored(deps)[0].saved, "the lead")
    call.hang_up()
    await call.ended()
    assert call.control.requests[-1] != ("hangup", (CALLER_ID,))
    assert ("hangup", (MOBILE,)) in call.control.requests
    assert [lead.outcome for lead in stored(deps)[0].saved] == ["transferred"]
    row = call.store.get(CALLER_ID)
    assert row is not None and row.outcome == "transferred"


@pytest.mark.parametrize(
    ("mobile", "outcome"),
    [
        (_ends_ringing(17), "busy"),
        (_ends_ringing(19), "no_answer"),  # Asterisk's own ring timeout
        (_ends_ringing(21), "rejected"),  # declined on the phone
        (_ends_ringing(38), "failed"),  # network out of order
        (_answers(_mobile(ChannelDtmfReceived, digit="2")), "rejected"),
        (_answers(_mobile(ChannelDestroyed, cause=16)), "rejected"),  # hung up on the whisper
        (_unreachable, "failed"),
        (_no_media, "no_answer"),
    ],
    ids=["busy", "no-answer", "declined", "network", "pressed-2", "hung-up-on-whisper",
         "originate-fails", "no-whisper-media"],
)  # fmt: skip
async def test_a_transfer_that_does_not_connect_brings_the_caller_back(
    tmp_path: Path,
    understander: Understander,
    mobile: Callable[[FakeControl], None],
    outcome: TransferOutcome,
) -> None:
    call, deps, _ = await _urgent_call(tmp_path, understander, mobile)
    await _transfer_ended(call)
    assert _system(call)[-1] == f"transfert vers le mobile: {outcome}"
    assert ("hangup", (MOBILE,)) in call.control.requests  # whatever state it was left in
    assert (f"{CALLER_ID}-bridge", MOBILE) not in call.control.called("add_channel")
    await _callback_taken(call, deps)


@pytest.mark.parametrize(
    ("mobile", "wait_s"),
    [(_rings_on, "transfer_ring_s"), (_answers_silently, "transfer_accept_s")],
    ids=["never-answers", "never-presses"],
)
async def test_a_mobile_that_never_settles_times_out_as_no_answer(
    tmp_path: Path,
    understander: Understander,
    monkeypatch: pytest.MonkeyPatch,
    mobile: Callable[[FakeControl], None],
    wait_s: str,
) -> None:
    clock = JumpingClock(monkeypatch)
    call, deps, _ = await _urgent_call(tmp_path, understander, mobile)
    await until(lambda: call.control.called("originate"), "the mobile to ring")
    if mobile is _answers_silently:
        await until(lambda: "résumé joué au mobile" in _system(call), "the whisper")
    limit = getattr(CallConfig(), wait_s)
    clock.advance(limit - 1)  # still within the time it is given
    await asyncio.sleep(0.05)  # real time: the transfer's timers have seen the jump
    assert not any(n.startswith("transfert") for n in _system(call))
    clock.advance(10)  # past it, however long the whisper was
    await _transfer_ended(call)
    assert _system(call)[-1] == "transfert vers le mobile: no_answer"
    await _callback_taken(call, deps)


@pytest.mark.parametrize("street_while_ringing", [False, True], ids=["told", "asked"])
async def test_the_caller_hanging_up_while_the_mobile_rings(
    tmp_path: Path, understander: Understander, street_while_ringing: bool
) -> None:
    call, deps, _ = await _urgent_call(
        tmp_path, understander, _rings_on, street_while_ringing=street_while_ringing
    )
    await until(lambda: call.control.called("originate"), "the mobile to ring")
    call.hang_up()
    await call.ended()
    assert ("hangup", (MOBILE,)) in call.control.requests  # the mobile stops ringing
    leads, outbox = stored(deps)
    (lead,) = leads.saved
    assert (lead.outcome, lead.urgent) == ("callback_needed", True)
    assert outbox.kinds == ["caller_recap", "artisan_recap"]
    row = call.store.get(CALLER_ID)
    assert row is not None and row.outcome == "callback_needed"


# ---- the other transfer modes ----------------------------------------------------------------
async def test_blind_transfer_hands_the_caller_to_the_dialplan(
    tmp_path: Path, understander: Understander
) -> None:
    call, deps, _ = await _urgent_call(tmp_path, understander, _rings_on, transfer_mode="blind")
    await until(lambda: stored(deps)[0].saved, "the lead")
    assert call.control.on(CALLER_ID)[-1] == ("continue", (CALLER_ID, FALLBACK_CONTEXT))
    assert call.control.called("originate") == []
    assert [lead.outcome for lead in stored(deps)[0].saved] == ["transferred"]
    call.hang_up()  # the channel leaves the app for the dialplan
    await call.ended()


async def test_transfers_off_take_an_urgent_callback(
    tmp_path: Path, understander: Understander
) -> None:
    call, deps, _ = await _urgent_call(tmp_path, understander, _rings_on, transfer_mode="off")
    assert call.control.called("originate") == []
    await _callback_taken(call, deps)


# ---- the street, asked while the mobile rings ------------------------------------------------
async def test_the_street_given_while_the_mobile_rings_is_on_the_lead_and_the_bridge_waits(
    tmp_path: Path, understander: Understander
) -> None:
    mobile = _answers(_mobile(ChannelDtmfReceived, digit="1"))
    call, deps, voice = await _urgent_call(
        tmp_path, understander, mobile, street_while_ringing=True
    )
    # The artisan pressed 1 at once; the caller has not given the street yet: the artisan
    # is told to wait, the caller is not bridged, and hears no ringback over their answer.
    await until(lambda: ARTISAN_HOLD in voice.rendered, "the artisan told to wait")
    assert (f"{CALLER_ID}-bridge", MOBILE) not in call.control.called("add_channel")
    assert not any(n.startswith("transfert") for n in _system(call))
    await answer(call, TEXTS.transfer_noted)
    await _transfer_ended(call)
    assert _system(call)[-1] == "transfert vers le mobile: answered"
    assert call.control.called("add_channel")[-1] == (f"{CALLER_ID}-bridge", MOBILE)
    leads, _ = stored(deps)
    await until(lambda: leads.saved, "the lead")
    (lead,) = leads.saved
    assert (lead.outcome, lead.name, lead.city) == (
        "transferred",
        "Philippe Bernard",
        "Villeurbanne",
    )
    assert lead.street is not None and "Anatole France" in lead.street
    call.send(_mobile(ChannelDestroyed, cause=16))
    await call.ended()


async def test_a_transfer_failing_after_the_street_was_given_does_not_ask_it_again(
    tmp_path: Path, understander: Understander
) -> None:
    call, deps, _ = await _urgent_call(
        tmp_path, understander, _answers_silently, street_while_ringing=True
    )
    await answer(call, TEXTS.transfer_noted)
    assert not any(n.startswith("transfert") for n in _system(call))  # still ringing
    call.send(_mobile(ChannelDtmfReceived, digit="2"))
    await _transfer_ended(call)
    assert _system(call)[-1] == "transfert vers le mobile: rejected"
    confirm = "Je peux vous rappeler au 06 98 76 54 32 ?"
    await until(lambda: confirm in call.notes("agent"), "the callback number")
    assert TEXTS.ask_street not in call.notes("agent")
    assert call.notes("agent").count(ASK_STREET) == 1
    call.hang_up()
    await call.ended()
    (lead,) = stored(deps)[0].saved
    assert lead.outcome == "callback_needed" and lead.street is not None


@pytest.mark.parametrize(
    ("mobile", "outcome"),
    [
        (_ends_ringing(17), "busy"),  # known before the caller has answered
        # Pressed 1, then hung up while waiting for the caller to finish.
        (_answers(_mobile(ChannelDtmfReceived, digit="1"), _mobile(ChannelDestroyed, cause=16)),
         "rejected"),
    ],
    ids=["busy", "artisan-leaves-while-held"],
)  # fmt: skip
async def test_a_transfer_failing_while_the_caller_gives_the_street_lets_them_finish(
    tmp_path: Path,
    understander: Understander,
    mobile: Callable[[FakeControl], None],
    outcome: TransferOutcome,
) -> None:
    call, deps, _ = await _urgent_call(tmp_path, understander, mobile, street_while_ringing=True)
    await until(lambda: ("hangup", (MOBILE,)) in call.control.requests, "the mobile let go")
    assert TEXTS.transfer_failed.format(artisan="L'artisan") not in call.notes("agent")
    # The caller's answer is heard as the street, then they are told and asked the rest.
    await answer(call, TEXTS.transfer_failed.format(artisan="L'artisan"))
    assert _system(call)[-1] == f"transfert vers le mobile: {outcome}"
    confirm = "Je peux vous rappeler au 06 98 76 54 32 ?"
    await until(lambda: confirm in call.notes("agent"), "the callback number")
    assert TEXTS.ask_street not in call.notes("agent")
    assert (f"{CALLER_ID}-bridge", MOBILE) not in call.control.called("add_channel")
    call.hang_up()
    await call.ended()
    (lead,) = stored(deps)[0].saved
    assert lead.outcome == "callback_needed" and "Anatole France" in (lead.street or "")
