"""The urgent caller's handover (agent.call.handover) at its edges: the caller leaving, the
artisan waiting, the transfer ending while the agent speaks or the caller is heard.

Whole calls on fakes, set up as in tests.call.test_transfer.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from agent.ari.models import ChannelDestroyed, ChannelDtmfReceived, StasisEnd
from agent.call.receptionist import Receptionist
from agent.call.receptionist_deps import ReceptionistDeps
from agent.call.session import FALLBACK_CONTEXT
from agent.call.transfer import ARTISAN_HOLD, ARTISAN_HOLD_MAX_S, CALLER_READY_MAX_S
from agent.dialogue import Stage, Understander
from agent.media.codecs import Pcm
from agent.media.rtp_stream import Playback, RtpStream
from agent.speech.stt import Transcript
from tests.call.fakes import (
    CALLER_ID,
    TURN,
    FakeControl,
    FakeVoice,
    Harness,
    JumpingClock,
    answer,
    event,
    silence,
    stored,
    until,
    voiced,
)
from tests.call.test_transfer import (
    ASK_STREET,
    MOBILE,
    STREET,
    TEXTS,
    _answers,
    _answers_silently,
    _mobile,
    _rings_on,
    _system,
    _transfer_ended,
    _urgent_call,
)


def _leaves_for_the_dialplan(control: FakeControl) -> None:
    """Asterisk takes the caller out of the app as soon as it is continued in the dialplan."""
    control.react["continue"] = lambda _: [event(StasisEnd, CALLER_ID)]


async def test_a_blind_transfer_is_kept_as_transferred_when_the_caller_leaves_the_app_at_once(
    tmp_path: Path, understander: Understander
) -> None:
    """The dialplan rings the mobile: no "we call you back" text to a caller on their way to
    the artisan, whatever the receptionist's loop was doing when the channel left."""
    call, deps, _ = await _urgent_call(
        tmp_path, understander, _leaves_for_the_dialplan, transfer_mode="blind"
    )
    await call.ended()
    assert call.control.on(CALLER_ID)[-1] == ("continue", (CALLER_ID, FALLBACK_CONTEXT))
    leads, outbox = stored(deps)
    assert [lead.outcome for lead in leads.saved] == ["transferred"]
    assert outbox.kinds == ["artisan_recap"]
    row = call.store.get(CALLER_ID)
    assert row is not None and row.outcome == "transferred"


async def _thanked_then_declined(tmp_path: Path, understander: Understander) -> Harness:
    """The caller gives the street; the artisan presses 2 while the caller hears the thanks
    (spoken at a talking pace, so it is still playing)."""
    call, _, voice = await _urgent_call(
        tmp_path, understander, _answers_silently, street_while_ringing=True
    )
    await until(lambda: "résumé joué au mobile" in _system(call), "the whisper")
    voice.ms_per_char = 50  # from here on (the thanks: about a second)
    await answer(call, TEXTS.transfer_noted)
    assert call.context.stream.speaking  # "Merci. Ne quittez pas." is being heard
    call.send(_mobile(ChannelDtmfReceived, digit="2"))
    await _transfer_ended(call)
    return call


def _receptionist(call: Harness) -> Receptionist:
    return cast(Receptionist, call.session.conversation)


async def test_a_transfer_ending_does_not_cut_what_the_agent_is_saying(
    tmp_path: Path, understander: Understander
) -> None:
    call = await _thanked_then_declined(tmp_path, understander)
    spoken = _receptionist(call)._spoken.values()
    (thanks,) = (p for text, p in spoken if text == TEXTS.transfer_noted)
    await asyncio.wait_for(thanks.done, 5)
    assert not thanks.interrupted
    call.hang_up()
    await call.ended()


async def test_an_answer_given_after_the_transfer_failed_does_not_undo_the_failure(
    tmp_path: Path, understander: Understander
) -> None:
    """The caller answers the next question at once: the street they gave before is not taken
    back with the transfer's outcome (the dialogue stuck waiting for a ringing mobile)."""
    call = await _thanked_then_declined(tmp_path, understander)
    confirm = "Je peux vous rappeler au 06 98 76 54 32 ?"
    await until(lambda: confirm in call.notes("agent"), "the callback number")
    heard = len(call.notes("caller"))
    call.say(TURN)  # "Oui.", cutting the question in its first words
    call.say(silence(1.5))
    await until(lambda: len(call.notes("caller")) > heard, "the answer heard")
    assert _receptionist(call).dialogue.stage is not Stage.TRANSFERRING
    call.hang_up()
    await call.ended()


@pytest.mark.parametrize("held", [False, True], ids=["on-the-whisper", "held-after-1"])
async def test_the_caller_hanging_up_while_the_artisan_is_on_the_line(
    tmp_path: Path, understander: Understander, held: bool
) -> None:
    """The artisan hears the whisper, or pressed 1 and waits for the caller's street; the
    caller hangs up: the mobile and its whisper leg are let go, the call closes and nothing
    is left running (no RTP sender, no reader of the legs)."""
    mobile = _answers(_mobile(ChannelDtmfReceived, digit="1")) if held else _answers_silently
    call, deps, voice = await _urgent_call(
        tmp_path, understander, mobile, street_while_ringing=held
    )
    await until(lambda: "résumé joué au mobile" in _system(call), "the whisper")
    if held:
        await until(lambda: ARTISAN_HOLD in voice.rendered, "the artisan told to wait")
    await asyncio.sleep(0.05)
    call.hang_up()
    await call.ended()
    assert ("hangup", (MOBILE,)) in call.control.requests
    assert ("destroy_bridge", (f"{MOBILE}-bridge",)) in call.control.requests
    assert (f"{CALLER_ID}-bridge", MOBILE) not in call.control.called("add_channel")
    (lead,) = stored(deps)[0].saved
    assert (lead.outcome, lead.urgent) == ("callback_needed", True)
    row = call.store.get(CALLER_ID)
    assert row is not None and row.outcome == "callback_needed"


async def test_the_artisan_held_past_the_bound_is_bridged_without_the_agent_talking_over(
    tmp_path: Path, understander: Understander, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller is still hearing the thanks when the artisan's wait runs out: the bridge
    is made and the agent's words stop (caller and artisan talk)."""
    clock = JumpingClock(monkeypatch)
    mobile = _answers(_mobile(ChannelDtmfReceived, digit="1"))
    call, _, voice = await _urgent_call(tmp_path, understander, mobile, street_while_ringing=True)
    await until(lambda: ARTISAN_HOLD in voice.rendered, "the artisan told to wait")
    voice.ms_per_char = 1000  # the thanks lasts longer than the artisan's wait
    await answer(call, TEXTS.transfer_noted)
    clock.advance(CALLER_READY_MAX_S + 1)
    await _transfer_ended(call)
    assert _system(call)[-1] == "transfert vers le mobile: answered"
    spoken = _receptionist(call)._spoken.values()
    (thanks,) = (p for text, p in spoken if text == TEXTS.transfer_noted)
    assert thanks.interrupted  # not heard over the bridge
    call.send(_mobile(ChannelDestroyed, cause=16))
    await call.ended()


async def test_an_artisan_pressing_1_during_the_whisper_is_told_to_wait_at_once(
    tmp_path: Path, understander: Understander, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pressed 1 before the summary was over: the rest of it (and "Appuyez sur 1...") is
    not played before the hold message."""
    played: list[tuple[RtpStream, Playback]] = []
    play = RtpStream.play

    def recording(stream: RtpStream, samples: Pcm) -> Playback:
        playback = play(stream, samples)
        played.append((stream, playback))
        return playback

    monkeypatch.setattr(RtpStream, "play", recording)
    mobile = _answers(_mobile(ChannelDtmfReceived, digit="1"))
    call, _, voice = await _urgent_call(tmp_path, understander, mobile, street_while_ringing=True)
    await until(lambda: ARTISAN_HOLD in voice.rendered, "the artisan told to wait")
    await until(lambda: len([s for s, _ in played if s is not call.context.stream]) == 2,
                "the hold message played")  # fmt: skip
    whisper, hold = (p for s, p in played if s is not call.context.stream)
    assert whisper.done.done() and whisper.interrupted
    assert not hold.interrupted
    call.hang_up()
    await call.ended()


async def test_a_caller_who_did_not_catch_the_street_question_is_asked_again(
    tmp_path: Path, understander: Understander
) -> None:
    """ "Pardon ?" while the mobile rings is not the street: the question again, not
    "Merci. Ne quittez pas." (the lead would go to the artisan without the street)."""
    mobile = _answers(_mobile(ChannelDtmfReceived, digit="1"))
    call, deps, _ = await _urgent_call(
        tmp_path, understander, mobile, street_while_ringing=True, then=("Pardon ?", STREET)
    )
    await answer(call, TEXTS.ask_street)
    assert TEXTS.transfer_noted not in call.notes("agent")
    await answer(call, TEXTS.transfer_noted)
    await _transfer_ended(call)
    assert _system(call)[-1] == "transfert vers le mobile: answered"
    await until(lambda: stored(deps)[0].saved, "the lead")
    (lead,) = stored(deps)[0].saved
    assert lead.street is not None and "Anatole France" in lead.street
    call.send(_mobile(ChannelDestroyed, cause=16))
    await call.ended()


class _LongQuestion(FakeVoice):
    """The street question as long as Pico says it (seconds), everything else short."""

    async def render(self, text: str, sample_rate: int) -> Pcm:
        if text == ASK_STREET:
            self.rendered.append(text)
            return np.zeros(sample_rate * 8, dtype=np.int16)
        return await super().render(text, sample_rate)


async def test_a_caller_hanging_up_during_the_street_question_is_let_go_at_once(
    tmp_path: Path, understander: Understander, caplog: pytest.LogCaptureFixture
) -> None:
    """Gone while the question plays: the transfer does not wait for it to finish playing
    to nobody (the conversation would outlast its teardown grace and be abandoned)."""
    call, deps, _ = await _urgent_call(
        tmp_path, understander, _rings_on, street_while_ringing=True, voice=_LongQuestion()
    )
    await until(lambda: call.control.called("originate"), "the mobile to ring")
    assert call.context.stream.speaking
    call.hang_up()
    await call.ended(timeout_s=3.0)
    assert "abandoned" not in caplog.text
    assert ("hangup", (MOBILE,)) in call.control.requests
    (lead,) = stored(deps)[0].saved
    assert lead.outcome == "callback_needed"


async def test_words_said_over_the_ringback_are_not_taken_back_once_the_transfer_failed(
    tmp_path: Path, understander: Understander
) -> None:
    """ "Allô ?" over the ringback, the artisan declines, the caller answers the next
    question at once: that answer is not heard as the rest of "Allô ?" (which would put the
    dialogue back to waiting for a mobile no longer ringing)."""
    call, _, _ = await _urgent_call(
        tmp_path, understander, _answers_silently, then=("Allô ?", STREET)
    )
    await until(lambda: "résumé joué au mobile" in _system(call), "the whisper")
    call.say(TURN)  # "Allô ?", kept, not acted on
    call.say(silence(0.5))
    await until(lambda: "Allô ?" in call.notes("caller"), "the words over the ringback")
    call.send(_mobile(ChannelDtmfReceived, digit="2"))
    await until(lambda: TEXTS.ask_street in call.notes("agent"), "the next question")
    call.say(TURN)  # the street, cutting the question
    call.say(silence(1.5))
    await until(lambda: STREET in call.notes("caller"), "the street")
    assert _receptionist(call).dialogue.stage is not Stage.TRANSFERRING
    assert _receptionist(call).dialogue.collected.street is not None
    call.hang_up()
    await call.ended()


async def test_a_street_cut_by_the_bridge_at_the_bound_still_goes_to_the_lead(
    tmp_path: Path, understander: Understander, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller is still giving the street when the artisan's wait runs out: the bridge is
    made, and the words said so far are heard for the lead (they were lost before)."""
    clock = JumpingClock(monkeypatch)
    mobile = _answers(_mobile(ChannelDtmfReceived, digit="1"))
    call, deps, voice = await _urgent_call(
        tmp_path, understander, mobile, street_while_ringing=True
    )
    await until(lambda: not call.context.stream.speaking, "the street question said")
    call.say(np.concatenate([silence(0.3), voiced(1.0)]))  # speaking, no end of turn yet
    await until(lambda: _receptionist(call).listener.detector.in_turn, "the caller heard")
    await until(lambda: ARTISAN_HOLD in voice.rendered, "the artisan told to wait")
    clock.advance(CALLER_READY_MAX_S + 1)
    await _transfer_ended(call)
    assert _system(call)[-1] == "transfert vers le mobile: answered"
    await until(lambda: stored(deps)[0].saved, "the lead")
    (lead,) = stored(deps)[0].saved
    assert lead.outcome == "transferred"
    assert lead.street is not None and "Anatole France" in lead.street
    assert TEXTS.transfer_noted not in call.notes("agent")  # nothing said over the bridge
    (heard,) = [t for t in call.context.transcript if t.get("after_bridge")]
    assert heard["speaker"] == "caller"
    call.send(_mobile(ChannelDestroyed, cause=16))
    await call.ended()


async def test_an_artisan_pressing_2_while_held_declines_the_call(
    tmp_path: Path, understander: Understander
) -> None:
    """Told to wait for the caller's street, the artisan changes their mind: the mobile is let
    go and the caller is back with the agent, as when 2 is pressed during the summary."""
    mobile = _answers(_mobile(ChannelDtmfReceived, digit="1"))
    call, deps, voice = await _urgent_call(
        tmp_path, understander, mobile, street_while_ringing=True
    )
    await until(lambda: ARTISAN_HOLD in voice.rendered, "the artisan told to wait")
    call.send(_mobile(ChannelDtmfReceived, digit="2"))
    await _transfer_ended(call)
    assert _system(call)[-1] == "transfert vers le mobile: rejected"
    assert ("hangup", (MOBILE,)) in call.control.requests
    assert (f"{CALLER_ID}-bridge", MOBILE) not in call.control.called("add_channel")
    call.hang_up()
    await call.ended()
    (lead,) = stored(deps)[0].saved
    assert (lead.outcome, lead.urgent) == ("callback_needed", True)


# "Philippe Bernard" heard unsure: its spelling is asked once the street is heard.
UNSURE_NAME = Transcript("Philippe Bernard.", 1.0, 0.1, "fr", confidence=0.2)
SPELLED = "B, E, R, N, A, R, D."


async def _held_then_asked_to_spell(
    tmp_path: Path, understander: Understander, clock: JumpingClock
) -> tuple[Harness, ReceptionistDeps]:
    """The artisan presses 1 and holds; the street is heard late, near the end of their
    wait; the agent then asks the name spelled."""
    mobile = _answers(_mobile(ChannelDtmfReceived, digit="1"))
    call, deps, voice = await _urgent_call(
        tmp_path, understander, mobile, street_while_ringing=True, name=UNSURE_NAME,
        then=(STREET, SPELLED, "Oui."),
    )  # fmt: skip
    await until(lambda: ARTISAN_HOLD in voice.rendered, "the artisan told to wait")
    clock.advance(CALLER_READY_MAX_S - 2)
    await answer(call, TEXTS.ringing_ask_spelling)
    return call, deps


async def test_a_spelling_asked_while_the_artisan_holds_is_waited_for_past_the_first_bound(
    tmp_path: Path, understander: Understander, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first bound passes while the caller spells: the bridge waits for the spelling
    (cut at the first bound, a whole call's lead kept "S-C-R-N" for Schmitt)."""
    clock = JumpingClock(monkeypatch)
    call, deps = await _held_then_asked_to_spell(tmp_path, understander, clock)
    clock.advance(4)  # past CALLER_READY_MAX_S from the artisan's 1
    await asyncio.sleep(0.1)
    assert not any(n.startswith("transfert") for n in _system(call))
    call.say(np.concatenate([TURN, silence(1.5)]))  # a spelling's turn ends after a longer pause
    await until(lambda: TEXTS.transfer_noted in call.notes("agent"), "the thanks")
    await _transfer_ended(call)
    assert _system(call)[-1] == "transfert vers le mobile: answered"
    await until(lambda: stored(deps)[0].saved, "the lead")
    (lead,) = stored(deps)[0].saved
    assert lead.name is not None and lead.name.endswith("Bernard")
    assert not any(t.get("after_bridge") for t in call.context.transcript)
    call.send(_mobile(ChannelDestroyed, cause=16))
    await call.ended()


async def test_the_artisan_waits_for_a_late_question_no_longer_than_the_hold_bound(
    tmp_path: Path, understander: Understander, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caller who never spells: the artisan is bridged at ARTISAN_HOLD_MAX_S."""
    clock = JumpingClock(monkeypatch)
    call, _ = await _held_then_asked_to_spell(tmp_path, understander, clock)
    clock.advance(ARTISAN_HOLD_MAX_S - CALLER_READY_MAX_S + 3)
    await _transfer_ended(call)
    assert _system(call)[-1] == "transfert vers le mobile: answered"
    call.send(_mobile(ChannelDestroyed, cause=16))
    await call.ended()
