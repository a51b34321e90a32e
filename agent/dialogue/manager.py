"""The receptionist's conversation, as a pure state machine driven by events.

No audio, no network: the call layer feeds transcripts, silences, DTMF, hang-ups and transfer
results, and performs the returned actions in order. The state and the choice of the next
question live in flow.py; here are the events and one handler per question.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.dialogue import lexicon
from agent.dialogue.actions import Action, Hangup, TransferOutcome
from agent.dialogue.booking import BookingFlow
from agent.dialogue.closed import closed_answer
from agent.dialogue.endings import greeting_text
from agent.dialogue.flow import SPAM_CATEGORIES, VAGUE_CATEGORIES
from agent.dialogue.messages import without_urgent_tag
from agent.dialogue.naming import heard_name, name_taken_back
from agent.dialogue.places import matched
from agent.dialogue.ringing import RingingFlow
from agent.dialogue.stages import Stage, hint_for
from agent.dialogue.understander import Expecting
from agent.leads.model import Turn
from agent.speech.hint import Hint
from nlp.keywords import said_urgency
from nlp.names import name_and_confidence, name_with_confidence
from nlp.phone import phone_with_confidence
from nlp.phone_numbers import as_e164
from nlp.text import fold, names_said_whole

__all__ = ["Dialogue", "Stage"]


# Questions whose answer a caller may have to look for; a yes/no is answered at once.
_OPEN_ANSWERS = frozenset(
    {Stage.NAME, Stage.SPELL_NAME, Stage.ADDRESS, Stage.CITY, Stage.STREET, Stage.PHONE,
     Stage.SLOT_CHOICE}
)  # fmt: skip


# The calendar is being asked: what the caller says meanwhile is kept, not acted on.
_WAITING = frozenset({Stage.TRANSFERRING, Stage.SLOT_SEARCH, Stage.BOOKING})


class Dialogue(BookingFlow, RingingFlow):
    # -- events --------------------------------------------------------------------------------

    def start(self) -> list[Action]:
        greeting = self._say(greeting_text(self.settings, self.business), "greeting")
        return [greeting, *self._ask_key(Stage.PROBLEM, "ask_problem")]

    @property
    def hint(self) -> Hint:
        """What the question just asked expects, and the words likely in the answer."""
        stage = self._ringing_ask if self._ringing_ask is not None else self.stage
        return hint_for(stage, self._area, self.business.towns, self.collected.city)

    def completes_answer(self, text: str) -> bool:
        """`text` (a turn heard before its end-of-turn silence) answers the question asked
        completely: a yes, a whole phone number, a town of the area (see closed.py)."""
        towns = self._area.towns() if self._area is not None else self.business.towns
        return closed_answer(self.hint.expect, text, towns)

    def on_utterance(
        self,
        text: str,
        alternatives: Sequence[str] = (),
        confidence: float = 1.0,
        letters: Sequence[str] = (),
    ) -> list[Action]:
        """A final transcript; `alternatives` are the recognizer's other hypotheses (best
        first) and `confidence` its certainty (0..1), both used to match closed sets;
        `letters`, a spelling's letters-only reading (Transcript.letters)."""
        text = " ".join(text.split())
        if not text or self.stage in (Stage.DONE, Stage.GREETING):
            return []
        self.transcript.append(Turn("caller", text))
        self._silences = 0
        if self.stage in _WAITING and not self.asking_while_ringing:
            return []  # the caller hears ringback; what they say meanwhile is kept, not acted on
        others = [a for a in (" ".join(a.split()) for a in alternatives) if a and a != text]
        self._hyps, self._stt = [text, *others], max(0.0, min(1.0, confidence))
        self._letters = [" ".join(t.split()) for t in letters if t.strip()]
        if self.asking_while_ringing:
            return self._on_answer_while_ringing(text)
        if self.stage in _OPEN_ANSWERS and lexicon.hesitation(text):
            # "Euh..." then the name: wait for it (the call layer hears both halves as one).
            return []
        safety = self._safety(text)
        if lexicon.asks_repeat(text) and self._may_repeat():
            return [*safety, *self._repeat()]
        answered, self._answered = self._answered, self.stage
        if answered is Stage.NAME and self._renamed():
            return [*safety, *(self._repeat() if self._may_repeat() else self._after_slot())]
        handler = {
            Stage.PROBLEM: self._on_problem,
            Stage.URGENCY: self._on_urgency,
            Stage.NAME: self._on_name,
            Stage.SPELL_NAME: self._on_spelling,
            Stage.ADDRESS: self._on_address,
            Stage.CITY: self._on_city,
            Stage.STREET: self._on_street,
            Stage.PHONE_CONFIRM: self._on_phone_confirm,
            Stage.PHONE: self._on_phone,
            Stage.READBACK: self._on_readback,
            Stage.WHICH_FIELD: self._on_which_field,
            Stage.SLOT_CHOICE: self._on_slot_choice,
        }[self.stage]
        return [*safety, *handler(text)]

    def on_silence(self) -> list[Action]:
        """The caller said nothing for the configured time after a question."""
        self._ringing_unanswered()  # nothing said while the mobile rang: asked after, if need be
        if self.stage in (Stage.DONE, Stage.GREETING) or self.stage in _WAITING:
            return []
        self._silences += 1
        if self._silences <= self.settings.max_silence_prompts:
            # The question again, unless it was already asked twice (then only the nudge).
            return [self._say_key("still_there"), *(self._repeat() if self._may_repeat() else [])]
        if not self.collected.problem:
            # Nothing usable was said (a robot, a silent line, or just "allô ?").
            self.stage = Stage.DONE
            said = self._say_key("silent_close")
            return [said, *self._end.missed(self.collected, self.transcript), Hangup("silence")]
        return self._close()

    def on_unclear(self) -> list[Action]:
        """The caller spoke but not one word could be read: the question again at once (a
        yes/no with its "oui ou non" wording), within the usual limit of two asks."""
        if self.asking_while_ringing:
            return self._again_while_ringing()  # not the 7 s of silence before the bridge
        if self.stage in (Stage.DONE, Stage.GREETING) or self.stage in _WAITING:
            return []
        self._silences = 0
        if self.stage is Stage.READBACK and self._may_ask(Stage.READBACK):
            return self._ask_key(Stage.READBACK, "reask_readback")
        if self.stage is Stage.PHONE_CONFIRM and self._may_ask(Stage.PHONE_CONFIRM):
            return self._ask(Stage.PHONE_CONFIRM, self._say(self._reconfirm_text()))
        return self._repeat() if self._may_repeat() else []

    def on_dtmf(self, digit: str) -> list[Action]:
        """1 = oui, 2 = non where a yes/no is expected (for callers who prefer keys)."""
        if self.stage is Stage.SLOT_CHOICE:
            return self._on_slot_key(digit)
        yes_no = (Stage.URGENCY, Stage.PHONE_CONFIRM, Stage.READBACK)
        if self.stage in yes_no and digit in ("1", "2"):
            return self.on_utterance("oui" if digit == "1" else "non")
        return []

    def on_hangup(self) -> list[Action]:
        """The caller hung up: keep whatever was understood, tell both sides."""
        if self.stage is Stage.DONE:
            return []
        if self.stage in (Stage.SLOT_SEARCH, Stage.SLOT_CHOICE, Stage.BOOKING):
            self.collected.booking_note = "raccroché pendant la prise de rendez-vous"
        self.stage = Stage.DONE
        if self.collected.problem:
            return self._end.request("callback_needed", self.collected, self.transcript)
        return self._end.missed(self.collected, self.transcript)

    def on_transfer_result(self, outcome: TransferOutcome) -> list[Action]:
        if self.stage is not Stage.TRANSFERRING:
            return []
        self._ringing_unanswered()
        if outcome == "answered":
            c = self.collected
            # Heard unsure (the street while ringing, a name not spelled in time): to check.
            if c.street and not self._sure(c.street_confidence):
                self._settle("address", False)
            if c.name and not self._sure(c.name_confidence) and "name" not in self._settled:
                self._settle("name", False)
            self.stage = Stage.DONE
            return self._end.request("transferred", self.collected, self.transcript)
        said = self._say_key("transfer_failed")
        return [said, *self._next()]

    # -- one handler per question ----------------------------------------------------------------

    def _on_problem(self, text: str) -> list[Action]:
        if lexicon.is_spam(text, self.settings.spam_phrases):
            return self._end_spam()
        u = self._understand(text, "problem")
        if u.category in SPAM_CATEGORIES:
            return self._end_spam()
        c = self.collected
        c.urgent = c.urgent or said_urgency(text) is True
        content = lexicon.content_words(text)
        # "Allô ?", "bonjour", "j'ai un problème": nothing to classify yet (the model tends to
        # guess on such scraps), so ask once for the problem itself.
        vague = not content or (u.category in VAGUE_CATEGORIES and len(content) < 3)
        if vague and self._failed(Stage.PROBLEM) < 2 and self._may_ask(Stage.PROBLEM):
            return self._ask_key(Stage.PROBLEM, "reask_problem")
        if vague:
            # A scrap said twice is kept as said; the model's guess on it is noise, so only the
            # safety rules (gas, water on electrics...) may still make it urgent.
            c.problem, c.category = text, "autre"
            c.urgent = c.urgent or any(r.startswith("safety") for r in u.reasons)
        else:
            said_or_danger = c.urgent
            c.problem = without_urgent_tag(u.summary) or text
            c.category, c.urgent = u.category or "autre", c.urgent or u.urgent
            if u.urgency_unsure and not said_or_danger and self._may_ask(Stage.URGENCY):
                # Garbled words leave the model unsure either way: the caller knows.
                return self._ask_key(Stage.URGENCY, "ask_urgency")
        return self._acknowledge()

    def _on_urgency(self, text: str) -> list[Action]:
        # "Oui." / "Non, ça peut attendre." / "C'est pressé": unheard, the model's guess stays.
        answer = lexicon.yes_no_heard(self._hyps)
        if answer is None:
            answer = said_urgency(text)
        if answer is not None:
            self.collected.urgent = answer
        return self._acknowledge()

    def _acknowledge(self) -> list[Action]:
        urgent = self.collected.urgent and self._transfer_now()
        ack = self._say_key("ack_urgent" if urgent else "ack_normal")
        return [ack, *self._next()]

    def _on_name(self, text: str) -> list[Action]:
        u = self._understand(text, "name")
        name, sure = name_with_confidence(text, self._hyps[1:])
        if name is None or not self._plausible_name(name):
            name, sure = heard_name(u, text), 0.5  # a bare word: as unsure as an unknown name
        if name and self._plausible_name(name):
            self._take_name(name, sure)
        return self._after_slot()

    def _take_name(self, name: str, sure: float) -> None:
        # The surname list and the n-best agreement say how plausible the name is; Whisper's
        # own certainty discounts it (see places.matched).
        self.collected.name, self.collected.name_confidence = name, matched(sure, self._stt)
        self._surname_unsaid = not _surname_of_best(name, self._hyps[0])

    def _renamed(self) -> bool:
        """The name corrected at the question after it: "Patrick Morel..." ended the turn,
        and "Non pardon, Patrick Moreau." came as the answer to "Dans quelle ville ?"."""
        if self.stage not in (Stage.CITY, Stage.ADDRESS):
            return False
        if self._area is not None and self._area.match_town(self._hyps) is not None:
            return False  # "Non, pardon, à Villeurbanne": this question's answer
        found = name_taken_back(self._hyps)
        if found is not None:
            self._take_name(*found)
        return found is not None

    def _on_spelling(self, text: str) -> list[Action]:
        self._take_spelling(text)
        return self._after_slot()

    def _on_address(self, text: str) -> list[Action]:
        u = self._understand(text, "address")
        self._take_address(u)
        return self._after_slot()

    def _on_city(self, text: str) -> list[Action]:
        c = self.collected
        u = self._understand(text, "address")
        place = self._places.town(self._hyps, self._stt, u)
        if u.street:  # the whole address again: read it as one, within the town heard
            place = self._places.address(self._hyps, self._stt, u, place.city)
        if not (place.city or place.street):
            if self._asked["address"]:  # nothing at all, asked twice: don't insist
                self._settle("address", False)
            return self._after_slot()  # (an urgent call's first question: asked again later)
        self._take(place, replace=True)
        if c.city and c.street and not self._sure(c.street_confidence):
            # A street that exists in two towns, or garbled words, read again within the town.
            hyps, stt = self._street_hyps
            again = self._places.rematch(hyps, stt, c.city)
            if again is not None and again.street_confidence > c.street_confidence:
                c.street, c.street_confidence = again.street, again.street_confidence
                c.postcode = again.postcode or c.postcode
        return self._after_slot()

    def _on_street(self, text: str) -> list[Action]:
        self._take_street(text)
        return self._after_slot()

    def _on_phone_confirm(self, text: str) -> list[Action]:
        answer = lexicon.yes_no_heard(self._hyps)
        # "Non, plutôt le 07 ...": another number given instead of a yes counts, read over
        # the n-best like an answer to the phone question.
        number, agreement = phone_with_confidence(text, self._hyps[1:])
        given = as_e164(number)
        c = self.collected
        if given and given != self.caller_id:
            self._hear_phone(given, min(agreement, self._stt))
            # Unsure ("0,4, 3,4, 10, 8, ..." read only in a lower hypothesis): asked once
            # more, like an answer to the phone question.
            if self._phone_unsure() and self._may_ask(Stage.PHONE):
                return self._ask_key(Stage.PHONE, "reask_phone")
        elif given:
            c.phone, c.phone_confidence = given, 1.0
        elif answer is True:
            c.phone, c.phone_confidence = self.caller_id, 1.0
        elif answer is False:  # not that number: ask for one
            return self._ask_key(Stage.PHONE, "ask_phone")
        elif self._failed(Stage.PHONE_CONFIRM) < 2 and self._may_ask(Stage.PHONE_CONFIRM):
            return self._ask(Stage.PHONE_CONFIRM, self._say(self._reconfirm_text()))
        else:
            c.phone, c.phone_confidence = self.caller_id, 1.0  # the number they call from
        return self._after_slot()

    def _on_phone(self, text: str) -> list[Action]:
        given = self._take_phone(text)
        c = self.collected
        if (not given or self._phone_unsure()) and self._may_ask(Stage.PHONE):
            return self._ask_key(Stage.PHONE, "reask_phone")
        if not given:
            c.phone = c.phone or self.caller_id
            c.phone_confidence = max(c.phone_confidence, 1.0 if c.phone else 0.0)
        self._settle("phone", self._sure(c.phone_confidence))
        return self._after_slot()

    def _take_phone(self, text: str) -> str | None:
        """An answer to the phone question: the number read over the n-best (E.164), heard
        with the answers before it; None when no number could be read."""
        number, agreement = phone_with_confidence(text, self._hyps[1:])
        given = as_e164(number)
        if given:
            self._hear_phone(given, min(agreement, self._stt))
        return given

    def _hear_phone(self, number: str, confidence: float) -> None:
        """Take the number the caller's answers support best. Two answers that read the same
        number are sure, whatever Whisper thought of each; otherwise the one read more surely
        stays: a number said again is heard no better than the first time (in whole calls the
        second reading of a dictated number was the worse one as often as not). A number
        given as a correction at the read-back replaces what was heard before."""
        if self._correcting == "phone":
            self._phone_readings.clear()
        readings = self._phone_readings
        readings[number] = 1.0 if number in readings else confidence
        best = max(readings, key=lambda heard: readings[heard])  # the first of equals
        self.collected.phone, self.collected.phone_confidence = best, readings[best]

    def _phone_unsure(self) -> bool:
        """The number taken is worth asking again. Before an urgent transfer a number heard,
        even unsure, is enough: the artisan is about to speak with the caller, and the
        read-back shows it if the transfer fails (re-asking a dictated number cost ~10 s
        before the mobile rang, issue 10)."""
        return not self._sure(self.collected.phone_confidence) and not self._transfer_now()

    def _on_readback(self, text: str) -> list[Action]:
        answer, field = lexicon.yes_no_heard(self._hyps), lexicon.field_named(text)
        # "oui c'est bien mon nom" names a field but corrects nothing: only a clear new value
        # counts after a yes, while after a no the field named guides the extraction.
        if self._correct(text, field, confirmed=answer is True):
            return self._readback()
        if answer is True:
            return self._close()
        if field is not None:
            return self._ask_again(field)
        if answer is False and self._may_ask(Stage.WHICH_FIELD):
            return self._ask_key(Stage.WHICH_FIELD, "ask_correction")
        if answer is None and self._may_ask(Stage.READBACK):
            return self._ask_key(Stage.READBACK, "reask_readback")
        return self._close()

    def _on_which_field(self, text: str) -> list[Action]:
        field = lexicon.field_named(text)
        if self._correct(text, field):
            return self._readback()
        if field is not None:
            return self._ask_again(field)
        return self._close()  # never loop: the artisan has the transcript

    def _ask_again(self, field: lexicon.Field) -> list[Action]:
        stage, key = {"name": (Stage.NAME, "ask_name"), "address": (Stage.ADDRESS, "ask_address"),
                      "phone": (Stage.PHONE, "ask_phone")}[field]  # fmt: skip
        if not self._may_ask(stage):
            # Asked twice already: the caller says it is wrong, the artisan will check it.
            self.collected.to_check.add(field)
            return self._close()
        self._correcting = field
        return self._ask_key(stage, key)

    def _correct(self, text: str, field: lexicon.Field | None, confirmed: bool = False) -> bool:
        """'non, c'est 14 rue ...' / 'le nom c'est Durand' / 'le numéro c'est le 07...'."""
        expecting: Expecting | None = None if confirmed else field
        u = self._nlp.understand(text, self.business.trade, expecting)
        changed = self._fix.apply(u, text, self._hyps, self._stt, field, confirmed)
        if changed is not None:
            self._settle(changed, self._fix.sure(changed))
        return changed is not None


def _surname_of_best(name: str, best: str) -> bool:
    """The surname of `name` is in the best reading `best`: said whole there, or what that
    reading alone gives (letters spelled in it: "..., U, P, O, N, T." is Dupont)."""
    surname = fold(name.split()[-1])
    alone, _ = name_and_confidence(best, expecting_name=True)
    return names_said_whole(fold(best), [surname]) > 0 or (
        alone is not None and fold(alone.split()[-1]) == surname
    )
