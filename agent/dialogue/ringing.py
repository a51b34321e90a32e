"""What the receptionist asks an urgent caller while the artisan's mobile rings.

The mobile takes seconds to pick up (and the artisan hears the summary first): the street is
asked meanwhile (once more, alone, when heard unsure), then, when the name was heard unsure,
its spelling. A call put through still leaves a lead with the whole address and a surname the
artisan can read; the call layer bridges once the answer is heard (agent.call.handover).
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
        if asked is Stage.STREET:
            self._take_street(text)
        else:
            u = self._understand(text, "address")
            self._take_address(u)
            if self._street_while_ringing():
                return self._ask_while_it_rings(Stage.STREET, "ask_street")
        if self._spell_while_ringing():
            return self._ask_while_it_rings(Stage.SPELL_NAME, "ringing_ask_spelling")
        return [self._say_key("transfer_noted")]

    def _ask_while_it_rings(self, stage: Stage, key: str) -> list[Action]:
        self._ringing_ask = stage
        self._asked[question_of(stage)] += 1
        return [self._say_key(key)]

    def _street_while_ringing(self) -> bool:
        """The address answer left the street unsure (no house number, no street of the
        area, nothing readable): asked once more, alone, as it would be on a call that is not
        put through. Said with its number at the end ("Rue Duguesclin, au 15"), a number is
        heard where the same number opening the answer is lost (agent.dialogue.places)."""
        c = self.collected
        return (
            self.settings.street_while_ringing
            and not (c.street and self._sure(c.street_confidence))
            and self._may_ask(Stage.STREET)
        )

    def _again_while_ringing(self) -> list[Action]:
        """Not understood ("Pardon ?", or no word readable): the question once more if it
        may still be asked, else thanks (the bridge is not held for a third try)."""
        asked = self._ringing_ask
        assert asked is not None
        if self._may_ask(asked):
            self._asked[question_of(asked)] += 1
            spelling = asked is Stage.SPELL_NAME
            return [self._say_key("spell_name" if spelling else "ask_street")]
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
