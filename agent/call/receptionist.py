"""The receptionist on a call: listens, transcribes, runs the dialogue, speaks its actions.

Glue only: turn-taking comes from agent.speech, decisions from agent.dialogue, storage from
agent.leads / agent.sms. Speech is queued, not awaited, so barge-in can cut it at any time.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time

from agent.ari.models import Channel
from agent.call.booking import ask_calendar
from agent.call.clips import ClipKeeper
from agent.call.context import CallContext
from agent.call.continuation import Answered, continues, heard_part, joined, undoable
from agent.call.eager import EagerTurn, same_turn
from agent.call.handover import Handover
from agent.call.keeping import keep_lead, queue_sms
from agent.call.receptionist_deps import ReceptionistDeps
from agent.dialogue import (
    Action,
    BookSlot,
    Dialogue,
    FindSlots,
    Hangup,
    SaveLead,
    Say,
    SendSms,
    Transfer,
)
from agent.media.codecs import Pcm
from agent.media.rtp_stream import Playback
from agent.speech.endpointing import BargeIn, Listener, SpeechEnded, SpeechPaused, SpeechStarted
from agent.speech.hallucinations import is_hallucination
from agent.speech.hint import Hint
from agent.speech.stt import Transcript

log = logging.getLogger(__name__)

# After a hang-up, what the caller said last is still transcribed, but never for longer than
# this: the lead and the SMS must not wait on Whisper (the session bounds the whole too).
HANGUP_TRANSCRIBE_S = 20.0
# The call transcript's entry for speech in which no word could be read.
UNCLEAR_NOTE = "[incompréhensible]"


class Receptionist:
    def __init__(self, deps: ReceptionistDeps, channel: Channel, codec_rate: int) -> None:
        self.deps = deps
        self.dialogue = Dialogue(
            deps.dialogue,
            deps.business,
            deps.understander,
            deps.clock,
            caller_number=channel.caller_number or None,
            area=deps.area,
            booking=deps.booking if deps.calendar is not None else None,
        )
        self.listener = Listener(codec_rate, deps.turn)
        self.outcome = "completed"
        self.finished = False
        self.handover = Handover(deps.call, deps.media, deps.trunk_endpoint, deps.accept_prompt)
        self._spoken: dict[int, tuple[str, Playback]] = {}
        self._quiet_since = time.monotonic()
        self._call: CallContext | None = None
        self._pending_turn: SpeechEnded | None = None  # heard, not yet given to the dialogue
        self._clips: ClipKeeper | None = None
        # The last answer while its reply may be taken back (see agent.call.continuation),
        # and how much of that reply was heard when the caller spoke again.
        self._answered: Answered | None = None
        self._heard_at_start: int | None = None
        self._eager = EagerTurn(self._transcribe)  # the turn heard from its first pause

    # ---- the call ------------------------------------------------------------------------
    async def run(self, call: CallContext) -> str:
        self._call = call
        self._clips = ClipKeeper(call.clips_dir, call.call_id)
        started = time.monotonic()
        await self._perform(self.dialogue.start())
        try:
            while not self.finished:
                await self._step(call)
                await self._after_transfer()
                if time.monotonic() - started > self.deps.call.max_call_s:
                    log.warning("call %s: longer than %d s, closing", call.channel.id,
                                self.deps.call.max_call_s)  # fmt: skip
                    await self._perform(self.dialogue.on_hangup())
                    self.outcome, self.finished = "max_duration", True
        finally:
            await self.handover.stop()
        if self.handover.transferred:
            await self.handover.bridge_ended(call)
        else:
            await self._finish_speaking(call)
        return self.outcome

    async def caller_hung_up(self, call: CallContext) -> str | None:
        """The caller left: what they said last still counts, then save the lead and SMS."""
        await self._hear_the_rest(call, after_hangup=True)
        if self.handover.transferred:
            # Put through before the loop took the outcome (a blind transfer's channel leaves
            # the app at once): a transferred lead, not a callback promised.
            self._store_only(call, self.dialogue.on_transfer_result("answered"))
        self._store_only(call, self.dialogue.on_hangup())
        return self.outcome if self.outcome != "completed" else None

    async def _hear_the_rest(self, call: CallContext, **why: bool) -> None:
        """Nobody will answer the caller any more (`why`, noted): what they were saying
        still counts for the lead."""
        self._eager.discard()
        try:
            async with asyncio.timeout(HANGUP_TRANSCRIBE_S):
                for turn in self._unheard_turns(call):
                    await self._last_words(call, turn, why)
        except TimeoutError:
            log.warning("call %s: last words not transcribed in time", call.channel.id)

    async def _last_words(self, call: CallContext, turn: SpeechEnded, why: dict[str, bool]) -> None:
        # Heard once: a second hearing and weighed numbers would hold the teardown (bridges,
        # the recording) for seconds on a busy box, for a caller who is gone.
        hint = dataclasses.replace(self.dialogue.hint, narrow=None, rescore=None)
        transcript = await self._transcribe(turn, hint)
        if transcript is not None:
            self._keep_clip(call, hint, turn)
            call.note_heard(transcript.text, transcript, turn.seconds, **why)
            self._store_only(call, self._understand(transcript))

    def _understand(self, transcript: Transcript) -> list[Action]:
        if not transcript.text:  # speech, no word readable: asked again now, not after silence
            return self.dialogue.on_unclear()
        return self.dialogue.on_utterance(
            transcript.text, transcript.alternatives, transcript.confidence, transcript.letters
        )

    def _keep_clip(self, call: CallContext, hint: Hint, turn: SpeechEnded) -> None:
        if self._clips is None:
            self._clips = ClipKeeper(call.clips_dir, call.call_id)
        self._clips.keep(hint.question, turn.pcm16k)

    def _unheard_turns(self, call: CallContext) -> list[SpeechEnded]:
        """Speech not yet understood: mid-transcription, queued frames, a turn in progress."""
        turns = [self._pending_turn] if self._pending_turn is not None else []
        while not call.audio.empty():
            for event in self.listener.feed(call.audio.get_nowait()):
                if isinstance(event, SpeechEnded):
                    turns.append(event)
        last = self.listener.flush()
        return [*turns, last] if last is not None else turns

    def _store_only(self, call: CallContext, actions: list[Action]) -> None:
        """Nobody is listening any more: keep what must be kept, say nothing. A caller
        handed to the fallback is reaching the artisan: the lead is kept, nobody texted."""
        for action in actions:
            if isinstance(action, SaveLead) or (
                isinstance(action, SendSms) and not call.handed_back
            ):
                self._store(call, action)

    async def _transcribe(self, turn: SpeechEnded, hint: Hint) -> Transcript | None:
        """The transcript (text stripped), or None when it is only noise (Whisper's
        inventions included). `hint` is the question the turn answers."""
        transcript = await self.deps.transcriber.transcribe(turn.pcm16k, hint)
        text = transcript.text.strip()
        if transcript.unclear and not text:
            return transcript  # speech, though no word could be read: not noise
        if is_hallucination(text):
            return None
        return dataclasses.replace(transcript, text=text)

    async def _step(self, call: CallContext) -> None:
        # asyncio.timeout, not wait_for: on 3.11 wait_for returns the frame instead of raising
        # when a hang-up's cancel lands in the loop turn the frame arrives (issue 9).
        frame: Pcm | None = None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(0.1):
                frame = await call.audio.get()
        while not call.dtmf.empty():
            digit = call.dtmf.get_nowait()
            call.note("caller", f"[touche {digit}]")
            self._answered = None
            await self._perform(self.dialogue.on_dtmf(digit))
        if frame is not None:
            speaking = call.stream.speaking
            for event in self.listener.feed(frame, agent_speaking=speaking):
                if isinstance(event, BargeIn):
                    self._barge_in(call)
                elif isinstance(event, SpeechStarted):
                    self._caller_started()
                elif isinstance(event, SpeechPaused):
                    self._eager.start(event.turn, self.dialogue.hint)
                elif isinstance(event, SpeechEnded):
                    await self._caller_said(call, event)
            await self._end_if_complete(call)
        await self._check_silence(call)

    async def _end_if_complete(self, call: CallContext) -> None:
        """A closed answer (a yes, a whole number, a town) heard during the pause ends the
        turn now: waiting out the rest of the end-of-turn silence would tell nothing more."""
        ready = self._eager.ready()
        detector = self.listener.detector
        if ready is None or not detector.paused:
            return
        turn, transcript = ready
        if not transcript.text or not self.dialogue.completes_answer(transcript.text):
            return
        ended = detector.end_now()
        if ended is not None and same_turn(ended, turn):
            await self._caller_said(call, ended)

    def _barge_in(self, call: CallContext) -> None:
        for playback in call.stream.cancel_all():
            if id(playback) not in self._spoken:
                continue  # a tone (the ringback), not words
            text, _ = self._spoken[id(playback)]
            heard = heard_part(text, playback.heard_ms, playback.duration_ms)
            call.note(
                "agent_interrupted",
                heard,
                heard_ms=playback.heard_ms,
                duration_ms=playback.duration_ms,
            )

    def _caller_started(self) -> None:
        """The caller speaks: how much of the reply to their last answer had they heard?"""
        answered = self._answered
        self._heard_at_start = answered.heard_so_far() if answered is not None else None

    async def _caller_said(self, call: CallContext, turn: SpeechEnded) -> None:
        heard, self._heard_at_start = self._heard_at_start, None
        answered = self._answered
        if (
            answered is not None
            and continues(answered, turn, heard, self.deps.turn)
            and await self._continue_answer(call, answered, turn)
        ):
            return
        hint = self.dialogue.hint  # the question this turn answers, before anything changes it
        started = time.monotonic()
        transcript = await self._heard(turn, hint)
        if transcript is None:
            log.info("call %s: turn of %.1f s heard as noise", call.channel.id, turn.seconds)
            return
        await self._act(call, turn, hint, transcript, started)

    async def _continue_answer(
        self, call: CallContext, answered: Answered, turn: SpeechEnded
    ) -> bool:
        """The caller went on with their last answer: take back the dialogue's reading of the
        first half and its reply, and hear both halves as one answer to the same question.
        False (nothing changed) when the whole is only noise."""
        started = time.monotonic()
        whole = joined(answered.turn, turn)
        transcript = await self._heard(whole, answered.hint)
        if transcript is None:
            return False
        log.info("call %s: an answer in two halves, heard as one", call.channel.id)
        self._barge_in(call)  # the reply to the first half stops, if it still plays
        call.transcript[answered.note_index]["continued"] = True  # the whole one follows
        self.dialogue = answered.before
        await self._act(call, whole, answered.hint, transcript, started, continues=True)
        return True

    async def _heard(self, turn: SpeechEnded, hint: Hint) -> Transcript | None:
        eager = self._eager.take(turn, hint)
        # Kept until heard: a hang-up cancelling the transcription leaves it for
        # caller_hung_up to transcribe again (a `finally` here lost the caller's last words).
        self._pending_turn = turn
        transcript = await (eager if eager is not None else self._transcribe(turn, hint))
        self._pending_turn = None
        return transcript

    async def _act(
        self,
        call: CallContext,
        turn: SpeechEnded,
        hint: Hint,
        transcript: Transcript,
        started: float,
        continues: bool = False,
    ) -> None:
        """Note the answer, give it to the dialogue, say the reply. The dialogue as it was
        before is kept while the reply is only speech, so a second half can take it back."""
        self._keep_clip(call, hint, turn)
        stt_s = time.monotonic() - started
        call.stats.turn_heard(started, stt_s)  # the turn's latency ends at the first reply
        call.note_heard(
            transcript.text or UNCLEAR_NOTE, transcript, turn.seconds, stt_s=round(stt_s, 3),
            **({"continues_previous": True} if continues else {}),
        )  # fmt: skip
        before = self.dialogue.snapshot()
        actions = self._understand(transcript)
        answered = Answered(turn, hint, before, len(call.transcript) - 1)
        self._answered = answered if undoable(actions) else None
        await self._perform(actions, answered.reply)
        if self.handover.ringing and self.dialogue.asking_while_ringing and _asks_again(actions):
            self.handover.asked_again()  # the spelling after the street, or "Pardon ?"
        self._quiet_since = time.monotonic()

    async def _check_silence(self, call: CallContext) -> None:
        now = time.monotonic()
        ringing = self.handover.ringing and not self.dialogue.asking_while_ringing
        if call.stream.speaking or self.listener.detector.in_turn or ringing:
            self._quiet_since = now  # (nothing is asked while the mobile rings: no re-prompt)
        elif now - self._quiet_since > self.deps.call.silence_timeout_s:
            self._quiet_since = now
            call.note("caller", "[silence]")
            self._answered = None
            await self._perform(self.dialogue.on_silence())

    # ---- actions -------------------------------------------------------------------------
    async def _perform(self, actions: list[Action], reply: list[Playback] | None = None) -> None:
        """Carry out the dialogue's actions in order; the playbacks started join `reply`."""
        call = self._call
        assert call is not None
        for action in actions:
            if isinstance(action, Say):
                if not self.handover.transferred:
                    playback = await call.speak(action.text)
                    call.stats.replied()
                    self._spoken[id(playback)] = (action.text, playback)
                    if reply is not None:
                        reply.append(playback)
            elif isinstance(action, Transfer):
                # The mobile rings while the caller hears the holding message (~3 s sooner).
                holding = [p for _, p in self._spoken.values() if not p.done.done()]
                self.handover.start(call, action, holding, self.dialogue.asking_while_ringing)
            elif isinstance(action, FindSlots | BookSlot):
                assert self.deps.calendar is not None  # the dialogue books only with one
                booking = self.deps.booking
                link = booking.link_base if booking is not None else ""
                answer = ask_calendar(self.deps.calendar, self.dialogue, call, action,
                                      self.deps.clock, link)  # fmt: skip
                await self._perform(await answer, reply)
            elif isinstance(action, Hangup):
                self.finished = True
                self.outcome = self.outcome if self.outcome != "completed" else action.reason
            else:
                self._store(call, action)
        # Spelled letters and phone pairs come with pauses: wait longer before ending those.
        hint = self.dialogue.hint
        end_silence = self.deps.turn.end_silence_for(hint.expect, hint.question)
        self.listener.detector.end_silence_ms = end_silence

    def _store(self, call: CallContext, action: SaveLead | SendSms) -> None:
        if isinstance(action, SaveLead):
            call.closing = True
            clips = tuple(self._clips.clips) if self._clips is not None else ()
            lead = keep_lead(self.deps.leads, self.deps.keeper, call, action.lead, clips)
            self.outcome = lead.outcome
            return
        queue_sms(self.deps.sms, self.deps.keeper, call, action)

    async def _after_transfer(self) -> None:
        """The transfer's outcome, taken in the loop's order."""
        result = self.handover.outcome(caller_busy=self._caller_busy())
        if result is None:
            return
        self._answered = None  # taking the last answer back would take the outcome back too
        if self.handover.transferred and self.dialogue.asking_while_ringing:
            # Bridged at the hold's bound while the caller was still answering: the words
            # said so far go to the lead (the bridge carries the rest to the artisan).
            assert self._call is not None
            await self._hear_the_rest(self._call, after_bridge=True)
        await self._perform(self.dialogue.on_transfer_result(result))
        # Handed on: stop listening (the bridge carries caller and artisan) and wait for the
        # artisan to hang up, which ends the call for the caller too.
        self.finished = self.finished or self.handover.transferred

    def _caller_busy(self) -> bool:
        """Asked, answering, being heard, or hearing the agent's reply."""
        return (
            self.dialogue.asking_while_ringing
            or self.listener.detector.in_turn
            or self._pending_turn is not None
            or any(not p.done.done() for _, p in self._spoken.values())
        )

    async def _finish_speaking(self, call: CallContext) -> None:
        pending = [p for _, p in self._spoken.values() if not p.done.done()]
        if pending:
            await asyncio.gather(*(p.done for p in pending))


def _asks_again(actions: list[Action]) -> bool:
    """A question put while the mobile rings, other than the one announcing the transfer."""
    said = any(isinstance(a, Say) for a in actions)
    return said and not any(isinstance(a, Transfer) for a in actions)
