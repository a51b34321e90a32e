"""Random event sequences (seeded) against the invariants every call must keep: it ends, one
lead at most, nothing after the end, at most one transfer and one hang-up, no SMS for spam, and
no question asked more than twice (whatever the recognizer's confidence)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from agent.dialogue import Hangup, SaveLead, Say, SendSms, Stage, Transfer

from .fake_area import lyon_area

UTTERANCES = (
    "allô ?", "oui", "non", "euh", "pardon ?", "je m'appelle Jean Dupont", "D U P O N T",
    "14 rue de la République à Lyon", "à Villeurbanne", "06 98 76 54 32", "c'est urgent",
    "il y a une fuite d'eau, ça inonde la cuisine", "je voudrais un devis pour une douche",
    "non, c'est 16 rue Victor Hugo", "le nom", "l'adresse", "le numéro", "oui c'est ça",
    "nous proposons des panneaux solaires", "je sais pas", "ça sent le gaz",
    "pardon ?", "comment ?", "l'adresse", "D comme Denis, U, R, A, N, D", "Villeurbanne",
    "au 8 rue de la République", "Léon", "rue Garibaldi", "il y a de la fumée",
)  # fmt: skip
NOT_QUESTIONS = frozenset({"still_there", "ack_normal", "ack_urgent", "transfer_failed"})
EVENTS = ("say",) * 6 + ("silence", "dtmf", "transfer")


@pytest.mark.parametrize("seed", range(60))
def test_random_calls_keep_the_invariants(make_call, seed):
    rng = random.Random(seed)
    area = rng.choice((None, lyon_area(garbled_towns={"leon": ("Lyon", 0.5)})))
    call = make_call(caller=rng.choice(("+33612345678", None, "0478000000")), area=area)
    asked: Counter[str] = Counter()
    events = 0
    while call.dialogue.stage is not Stage.DONE and events < 60:
        events += 1
        kind = rng.choice(EVENTS)
        if kind == "say":
            others = rng.sample(UTTERANCES, rng.randint(0, 2))
            actions = call.say(rng.choice(UTTERANCES), *others, confidence=rng.random())
        elif kind == "silence":
            actions = call.silence()
        elif kind == "dtmf":
            actions = call.dtmf(rng.choice("129"))
        else:
            actions = call.transfer(rng.choice(("answered", "no_answer", "busy", "failed")))
        # What was asked, seen from outside: the question the caller hears last.
        says = [a for a in actions if isinstance(a, Say)]
        waiting = call.dialogue.stage not in (Stage.DONE, Stage.TRANSFERRING)
        if says and waiting and says[-1].key not in NOT_QUESTIONS:
            asked[call.dialogue.hint.question] += 1
    assert max(asked.values(), default=0) <= 2, f"seed {seed}: {asked}"
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
    kinds = [a.kind for a in call.of(SendSms)]
    assert len(kinds) == len(set(kinds))
    if lead.outcome == "spam":
        assert kinds == []
    elif lead.outcome == "no_info":
        assert "artisan_missed" in kinds
    else:
        assert "artisan_recap" in kinds
