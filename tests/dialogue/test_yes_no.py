"""Yes/no over the recognizer's n-best and by sound; speech with no readable word."""

from __future__ import annotations

import pytest

from agent.dialogue import DialogueSettings, Hangup, Stage
from agent.dialogue.lexicon import sounds_yes_no, yes_no_heard


@pytest.mark.parametrize(
    ("hypotheses", "answer"),
    [
        # misreadings of Pico's answers through μ-law (measured), read by sound
        (("Tu as fait ?", "Tu as fait."), True),  # "Tout à fait."
        (("Où tu as fait ?",), True),  # "Oui, tout à fait."
        (("On voilà !",), True),  # "Oui, voilà."
        (("Pas de tout.",), False),  # "Pas du tout."
        (("Et non.",), False),  # "Euh non."
        (("On...",), True),  # "Oui." (every reading a bare "on"/"un": whole calls)
        # whole sandbox calls: a short yes whose "Oui" Whisper wrote "On"
        (("On se juiste.",), True),  # "Oui, c'est juste."
        (("On s'il bon !",), True),  # "Oui, c'est le bon."
        (("On est...",), True),  # "Oui." cut
        (("On...", "Hum..."), True),  # the other readings garble the same "Oui."
        # "on" the pronoun, a wait, a number: no yes
        (("On ne sait pas.",), None),
        (("On verra.",), None),
        (("On peut me rappeler sur le fixe ?",), None),
        (("Un moment.",), None),
        (("On 06 12",), None),
        # a clear word decides, in the best reading first
        (("Non, c'est fou.", "Oui"), False),
        # another reading counts by its sound only: a lone "Non" there is too short to tell
        (("Dany", "Oui c'est ça"), True),
        (("Dany", "Non"), None),
        # neither: replies that answer nothing, too short to tell, long sentences
        (("Je ne sais pas.",), None),
        (("Un instant",), None),
        (("Bonjour",), None),
        (("Pardon ?",), None),
        (("1, 2, 3",), None),
        (("Attendez, je vérifie l'adresse de la rue",), None),
    ],
)
def test_yes_no_over_the_n_best(hypotheses: tuple[str, ...], answer: bool | None) -> None:
    assert yes_no_heard(hypotheses) is answer


def test_a_sound_alike_of_both_sides_decides_nothing() -> None:
    # "On, c'est ça." is as close to "c'est ça" as to "non c'est pas ça" by sound
    assert sounds_yes_no("On sait ça") is None


def test_unclear_speech_at_the_read_back_asks_yes_or_no_at_once(make_call):
    call = make_call()
    call.say("bonjour je voudrais un devis pour changer mon chauffe-eau")
    call.say("Dupont, Marie Dupont")
    call.say("12 rue des Lilas à Bron")
    call.say("oui c'est ça")
    assert call.dialogue.stage is Stage.READBACK
    said = call.dialogue.on_unclear()
    assert call.said(said) == DialogueSettings().reask_readback
    said = call.dialogue.on_unclear()  # asked twice: nothing more, the silence rule follows
    assert said == [] and call.dialogue.stage is Stage.READBACK
    said = call.say("Tu as fait ?")  # "Tout à fait." misheard, read by sound
    assert isinstance(said[-1], Hangup) and said[-1].reason == "completed"


def test_unclear_speech_repeats_an_open_question(make_call):
    call = make_call()
    said = call.say("bonjour je voudrais un devis pour changer mon chauffe-eau")
    question = call.asked(said)
    assert call.asked(call.dialogue.on_unclear()) == question


def test_a_lone_oui_read_as_on_or_un_is_a_yes() -> None:
    from agent.dialogue.lexicon import yes_no_heard

    assert yes_no_heard(["Un.", "On..."]) is True  # Whisper base on a Pico "Oui." (μ-law)
    assert yes_no_heard(["On..."]) is True
    # Whole calls: "Oui." read "On..." with "Non." below it (153 times, never for a "Non.",
    # which comes first: "Non Non", then "Non"); a lone oui's sounds are the yes.
    assert yes_no_heard(["On...", "Non."]) is True
    assert yes_no_heard(["On... On...", "Non !"]) is True
    assert yes_no_heard(["Non Non", "Non"]) is False
    # Words besides the garbled "Oui" and a "non" below: the reading is not trusted.
    assert yes_no_heard(["On s'il bon", "Non, c'est le bon."]) is None
    assert yes_no_heard(["On sait pas."]) is not True


def test_confirmations_a_caller_uses_are_yes() -> None:
    for said in ("C'est juste.", "Tout est bon.", "C'est le bon.", "Ça me va.", "C'est celui-là."):
        assert yes_no_heard([said]) is True, said
    assert yes_no_heard(["Pas celui-là."]) is False
