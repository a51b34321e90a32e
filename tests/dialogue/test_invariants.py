"""Random event sequences (seeded) against the invariants every call must keep: it ends, one
lead at most, nothing after the end, at most one transfer and one hang-up, no SMS for spam."""

from __future__ import annotations

import random

import pytest

from agent.dialogue import Hangup, SaveLead, SendSms, Stage, Transfer

UTTERANCES = (
    "allô ?", "oui", "non", "euh", "pardon ?", "je m'appelle Jean Dupont", "D U P O N T",
    "14 rue de la République à Lyon", "à Villeurbanne", "06 98 76 54 32", "c'est urgent",
    "il y a une fuite d'eau, ça inonde la cuisine", "je voudrais un devis pour une douche",
    "non, c'est 16 rue Victor Hugo", "le nom", "l'adresse", "le numéro", "oui c'est ça",
    "nous proposons des panneaux solaires", "je sais pas", "ça sent le gaz",
)  # fmt: skip
EVENTS = ("say",) * 6 + ("silence", "dtmf", "transfer")


@pytest.mark.parametrize("seed", range(40))
def test_random_calls_keep_the_invariants(make_call, seed):
    rng = random.Random(seed)
    call = make_call(caller=rng.choice(("+33612345678", None, "0478000000")))
    events = 0
    while call.dialogue.stage is not Stage.DONE and events < 60:
        events += 1
        kind = rng.choice(EVENTS)
        if kind == "say":
            call.say(rng.choice(UTTERANCES))
        elif kind == "silence":
            call.silence()
        elif kind == "dtmf":
            call.dtmf(rng.choice("129"))
        else:
            call.transfer(rng.choice(("answered", "no_answer", "busy", "failed")))
    # A caller who keeps talking nonsense still reaches the end: every question is bounded.
    assert call.dialogue.stage is Stage.DONE, f"seed {seed}: still at {call.dialogue.stage}"
    call.hangup()
    after = len(call.actions)
    call.say("allô ?")
    call.silence()
    call.transfer("answered")
    assert len(call.actions) == after
    assert len(call.of(SaveLead)) == 1
    assert len(call.of(Transfer)) <= 1 and len(call.of(Hangup)) <= 1
    lead = call.lead().lead
    kinds = [a.kind for a in call.of(SendSms)]  # type: ignore[attr-defined]
    assert len(kinds) == len(set(kinds))
    if lead.outcome == "spam":
        assert kinds == []
    elif lead.outcome == "no_info":
        assert "artisan_missed" in kinds
    else:
        assert "artisan_recap" in kinds
