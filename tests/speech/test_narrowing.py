"""The second, narrowed hearing (agent.speech.narrowing) on a scripted engine."""

import asyncio
from collections.abc import Sequence

import numpy as np

from agent.speech.hint import Hint, Narrowed
from agent.speech.narrowing import NarrowingTranscriber
from agent.speech.stt import Transcript
from tests.speech.helpers import ScriptedEngine as Engine

AUDIO = np.ones(1600, dtype=np.int16)


def _narrow_to(found: tuple[str, ...], seen: list[Sequence[str]], context: tuple[str, ...] = ()):
    def narrow(hypotheses: Sequence[str]) -> Narrowed:
        seen.append(tuple(hypotheses))
        return Narrowed(found, context)

    return narrow


def _run(engine: Engine, hint: Hint | None) -> Transcript:
    return asyncio.run(NarrowingTranscriber(engine).transcribe(AUDIO, hint))


def test_the_answer_is_heard_again_with_the_closest_streets_only():
    seen: list[Sequence[str]] = []
    first = ("Alors, 7 Rubigeaux.", ("Alors 7 rue bijou",))
    engine = Engine([first, ("Alors, 7, Rue Bugeaud.", ())])
    narrow = _narrow_to(("Rue Bugeaud", "Rue Bugnon"), seen)
    got = _run(engine, Hint("street", "street", ("Rue A", "Rue B"), narrow))
    assert seen == [("Alors, 7 Rubigeaux.", "Alors 7 rue bijou")]
    second = engine.hints[1]
    assert second is not None and second.phrases == ("Rue Bugeaud", "Rue Bugnon")
    assert second.expect == "street" and second.narrow is None
    # The first hearing stays behind as alternatives (a number the second one dropped).
    assert got.text == "Alors, 7, Rue Bugeaud."
    assert got.alternatives == ("Alors, 7 Rubigeaux.", "Alors 7 rue bijou")
    assert got.elapsed_s == 0.4
    assert got.confidence == 0.4  # the surer second hearing does not hide a garbled first


def test_no_candidate_or_no_narrower_means_one_hearing():
    engine = Engine([("Rue du Bois.", ())])
    assert _run(engine, Hint("street", "street", (), _narrow_to((), []))).text == "Rue du Bois."
    assert len(engine.hints) == 1
    engine = Engine([("Rue du Bois.", ())])
    assert _run(engine, Hint("street", "street")).text == "Rue du Bois."
    assert _run(Engine([("oui", ())]), None).text == "oui"


def test_silence_is_not_heard_twice_and_an_empty_second_keeps_the_first():
    engine = Engine([("", ())])
    assert _run(engine, Hint("street", "street", (), _narrow_to(("Rue X",), []))).text == ""
    assert len(engine.hints) == 1
    engine = Engine([("Rubigeaux", ()), ("", ())])
    assert _run(engine, Hint("street", "street", (), _narrow_to(("Rue Bugeaud",), []))).text == (
        "Rubigeaux"
    )


def test_a_list_read_back_from_the_prompt_is_not_taken():
    engine = Engine([("Pasquet.", ()), ("Pasquet, Carlier, Le Bihan.", ())])
    narrow = _narrow_to(("Pasquet", "Carlier", "Le Bihan"), [])
    got = _run(engine, Hint("name", "name", (), narrow))
    assert got.text == "Pasquet." and got.alternatives == ()
    # One candidate, with the caller's own words around it, is an answer.
    engine = Engine([("Il aime caron", ()), ("Il aime Carron.", ())])
    got = _run(engine, Hint("name", "name", (), _narrow_to(("Carron", "Caron"), [])))
    assert got.text == "Il aime Carron."


def test_the_town_heard_is_context_in_the_prompt_and_not_a_second_choice():
    engine = Engine([("12 rue Macéna à Lyon", ()), ("12 rue Masséna à Lyon.", ())])
    narrow = _narrow_to(("Rue Masséna", "Rue Macé"), [], ("Lyon",))
    got = _run(engine, Hint("address", "address", (), narrow))
    second = engine.hints[1]
    assert second is not None and second.phrases == ("Rue Masséna", "Rue Macé", "Lyon")
    assert got.text == "12 rue Masséna à Lyon."


def _narrow_heard(found: tuple[str, ...], heard: str):
    def narrow(hypotheses: Sequence[str]) -> Narrowed:
        return Narrowed(found, (), heard)

    return narrow


def test_a_street_the_first_hearing_named_is_not_replaced_by_another_choice():
    """Whole call: "Rue de Rennes" (Route de Rennes, matched at 0.88) heard again as "Rue de
    la Garenne", another street of the prompt, which went to the lead."""
    first = ("C'est Rue de Rennes, Rue 140, Orvault.", ())
    engine = Engine([first, ("C'est 140 Rue de la Garenne, Orvault.", ())])
    narrow = _narrow_heard(("Rue de la Garenne", "Route de Rennes"), "Route de Rennes")
    got = _run(engine, Hint("address", "address", (), narrow))
    assert (got.text, got.alternatives) == first
    # The same street written whole, or no choice at all: the second hearing is taken.
    engine = Engine([first, ("C'est Route de Rennes, au 140, Orvault.", ())])
    got = _run(engine, Hint("address", "address", (), narrow))
    assert got.text == "C'est Route de Rennes, au 140, Orvault."
    engine = Engine([first, ("C'est rue de Renne, 140, Orvault.", ())])
    got = _run(engine, Hint("address", "address", (), narrow))
    assert got.text == "C'est rue de Renne, 140, Orvault."
