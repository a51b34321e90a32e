"""Which decodes of a turn's window are loops worth a full 30 s window decode (1-2 s on the
target box), and which are cut in place."""

from __future__ import annotations

import pytest

from agent.speech.decoding import DecodePlan
from agent.speech.stt import _clean, _loops
from agent.speech.whisper_direct import Hypothesis

PLAN = DecodePlan(prompt=None, beam_size=2, num_hypotheses=2, max_new_tokens=40, phrases=())


def hypothesis(text: str, tokens: int = 12) -> Hypothesis:
    return Hypothesis(text, tokens, -0.3)


def test_a_whole_sentence_said_twice_is_cut_without_a_full_window_decode() -> None:
    best = hypothesis(
        "Le radiateur de la chambre ne chauffe plus. Le radiateur de la chambre ne chauffe plus."
    )
    assert not _loops(best, PLAN)
    assert _clean(best, PLAN) == "Le radiateur de la chambre ne chauffe plus."


@pytest.mark.parametrize(
    "text",
    [
        "Rue Matabia, Rue Matabia, Rue Mata",  # a phrase looping, cut mid-word
        "J'habite au 45,5,5,5,5,5,5,5,5,5",  # digits looping
        "Oui c'est ça. Oui c'est ça. Et j'habite",  # a sentence twice, then more
    ],
)
def test_other_repeats_still_get_the_full_window(text: str) -> None:
    assert _loops(hypothesis(text), PLAN)


def test_running_out_of_budget_is_a_loop_even_without_a_repeat() -> None:
    assert _loops(hypothesis("Je voudrais un devis pour", tokens=40), PLAN)
