"""What the receptionist asks an urgent caller while the artisan's mobile rings.

The mobile takes seconds to pick up (and the artisan hears the summary first): the street is
asked meanwhile, then, when the name was heard unsure, its spelling. A call put through still
leaves a lead with the whole address and a surname the artisan can read; the call layer
bridges once the answer is heard (agent.call.handover).
"""

from __future__ import annotations

from agent.dialogue import lexicon
from agent.dialogue.actions import Action
from agent.dialogue.flow import Flow
from agent.dialogue.naming import heard_name, looks_spelled, spelling_of, with_spelling
from agent.dialogue.places import matched
from agent.dialogue.stages import Stage, question_of

__all__ = ["RingingFlow"]


class RingingFlow(Flow):
    def _on_answer_while_ringing(self, text: str) -> list[Action]:
        """An answer to what was asked while the mobile rings: kept, then the next ringing
        question or thanks; nothing else is asked (a failed transfer asks the rest after)."""
        asked = self._ringing_ask
        assert asked is not None
        if lexicon.hesitation(text):
            return []  # "Euh..." then the answer: heard as one (agent.call.continuation)
        if lexicon.asks_repeat(text):
            return self._again_while_ringing()  # "Pardon ?": the question again
        self._ringing_ask = None
        if asked is Stage.SPELL_NAME:
            self._take_spelling(text)
            return [self._say_key("transfer_noted")]
        u = self._understand(text, "address")
        known = self.collected.city if self._sure(self.collected.town_confidence) else None
        self._take(self._places.address(self._hyps, self._stt, u, known), replace=True)
        if self._spell_while_ringing():
            self._ringing_ask = Stage.SPELL_NAME
            self._asked[question_of(Stage.SPELL_NAME)] += 1
            return [self._say_key("ringing_ask_spelling")]
        return [self._say_key("transfer_noted")]

    def _again_while_ringing(self) -> list[Action]:
        """Not understood ("Pardon ?", or no word readable): the question once more if it
        may still be asked, else thanks (the bridge is not held for a third try)."""
        asked = self._ringing_ask
        assert asked is not None
        if self._may_ask(asked):
            self._asked[question_of(asked)] += 1
            return [self._say_key("ask_street" if asked is Stage.ADDRESS else "spell_name")]
        self._ringing_ask = None
        return [self._say_key("transfer_noted")]

    def _ringing_unanswered(self) -> None:
        """The mobile was answered (or gave up) before the caller answered what was asked
        meanwhile: not counted as asked, so a failed transfer may ask it again."""
        asked, self._ringing_ask = self._ringing_ask, None
        if asked is not None:
            self._asked[question_of(asked)] -= 1

    def _take_spelling(self, text: str) -> None:
        """The name as spelled: the letters heard, snapped to a list surname when near
        enough under the line's letter confusions (nlp.surnames), else kept as spelled."""
        c = self.collected
        heard = c.name.split()[-1] if c.name else None
        # Only a surname of the best reading weighs against the letters: a lower one may be
        # copied from the narrowed prompt ("Henry Paris" for an unheard "Caradec").
        spelling = spelling_of(self._hyps, self._letters, None if self._surname_unsaid else heard)
        if spelling:
            surname, sure = spelling
            c.name, c.name_confidence = with_spelling(c.name, surname), matched(sure, self._stt)
        elif not looks_spelled(text):
            u = self._nlp.understand(text, self.business.trade, "name")
            name = heard_name(u, text)
            # A name said again rather than spelled is kept, as unsure as the first one was.
            if name and (not c.name or self._stt > c.name_confidence):
                c.name, c.name_confidence = name, min(self._stt, self._threshold / 2)
        self._settle("name", bool(c.name) and self._sure(c.name_confidence))
