"""Dangers first: the caller hears what to do and whom to call before any question, and the
artisan still gets the transfer or the urgent lead. Also the artisan SMS after a transfer."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from agent.dialogue import Action, DialogueSettings, Say, Stage, Transfer
from agent.dialogue.safety import advice_keys

from .conftest import ARTISAN_MOBILE

GAS = "GRDF Urgence Sécurité Gaz au 0 800 47 33 33"
FIRE = "appelez les pompiers au 18 ou le 112"


def says(actions: Sequence[Action]) -> list[str]:
    return [a.text for a in actions if isinstance(a, Say)]


def test_gas_smell_safety_text_first_then_urgent_ack_then_transfer(make_call):
    call = make_call(trade="chauffagiste")
    said = says(call.say("euh bonjour, ça sent le gaz très fort dans la cuisine"))
    assert GAS in said[0] and "ne touchez à aucun interrupteur" in said[0]
    assert "urgent" in said[1]  # then: acknowledge, name, town, transfer
    call.say("je m'appelle Paul Girard")
    actions = call.say("à Lyon, dans le septième")
    assert [a.target for a in actions if isinstance(a, Transfer)] == [ARTISAN_MOBILE]
    assert sum(GAS in t for t in says(call.actions)) == 1  # said once, not at every turn


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("il y a de la fumée qui sort du four, ça brûle", FIRE),
        ("le détecteur de monoxyde de carbone sonne depuis tout à l'heure", "ouvrez les fenêtres"),
        ("ça sent le brûlé dans le tableau électrique, il y a des étincelles", "disjoncteur"),
    ],
)
def test_each_danger_gets_its_advice_before_the_ack(make_call, text, expected):
    call = make_call(trade="electricien")
    said = says(call.say(text))
    assert expected in said[0]
    assert call.dialogue.collected.urgent
    assert call.dialogue.stage is Stage.NAME


def test_co_advice_names_the_emergency_numbers(make_call):
    said = says(make_call().say("l'alarme monoxyde bipe et j'ai mal à la tête"))
    assert "18" in said[0] and "112" in said[0]


def test_danger_mentioned_later_is_still_advised_and_makes_it_urgent(make_call):
    call = make_call()
    call.say("je voudrais un devis pour un chauffe-eau")
    assert not call.dialogue.collected.urgent
    said = says(call.say("Jean Dupont, et attendez, ça sent le gaz en fait"))
    assert GAS in said[0]
    assert call.dialogue.collected.urgent


def test_gas_heard_with_an_s_still_gets_the_gas_advice():
    # Whisper through the phone line wrote "gas" for "gaz" (bench, issue 10): no advice was said.
    assert advice_keys("Ça sent le gas très fort dans mon entrée") == ("safety_gas",)
    assert advice_keys("le gas qui fuit dans la cave") == ("safety_gas",)


def test_no_advice_for_a_negated_danger_or_a_leak():
    assert advice_keys("non il n'y a pas d'odeur de gaz") == ()
    assert advice_keys("une fuite d'eau sous l'évier") == ()
    assert advice_keys("ça sent le gaz et il y a des flammes") == ("safety_gas", "safety_fire")


def test_safety_phrases_are_settings_and_prerendered(make_call):
    settings = DialogueSettings.from_table({"safety_gas": "Sortez, puis appelez {artisan}."})
    call = make_call(settings=settings)
    said = call.say("ça sent le gaz")
    # Keyed, so pre-rendered at start-up (the Call fixture checks the text is that rendering).
    assert said[0] == Say("Sortez, puis appelez l'artisan.", "safety_gas")


def test_early_urgent_transfer_tells_the_artisan_the_caller_id(make_call):
    call = make_call()
    call.say("il y a une fuite d'eau énorme, ça inonde le salon")
    call.say("je m'appelle Jean Dupont")
    call.say("14 rue de la République à Lyon")
    assert call.transfers()  # before any phone question
    call.transfer("answered")
    text = call.sms()["artisan_recap"].text
    assert "06 12 34 56 78" in text and "masqué" not in text


def test_hidden_number_is_asked_before_the_urgent_transfer(make_call):
    call = make_call(caller=None)
    call.say("il y a une fuite d'eau énorme, ça inonde le salon")
    call.say("je m'appelle Jean Dupont")
    said = call.say("euh c'est à Bron")
    assert call.asked(said) == "À quel numéro pouvons-nous vous rappeler ?"
    call.say("zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit")
    assert call.dialogue.stage is Stage.TRANSFERRING
    call.transfer("answered")
    assert "06 12 34 56 78" in call.sms()["artisan_recap"].text


def test_hidden_number_never_given_is_still_said_hidden(make_call):
    call = make_call(caller=None)
    call.say("il y a une fuite d'eau énorme, ça inonde le salon")
    call.say("je m'appelle Jean Dupont")
    call.say("14 rue de la République à Lyon")
    call.say("euh je ne sais plus")
    call.say("non")
    assert call.dialogue.stage is Stage.TRANSFERRING
    call.transfer("answered")
    assert "numéro masqué" in call.sms()["artisan_recap"].text


def test_hidden_number_heard_unsure_is_not_asked_again_before_the_urgent_transfer(make_call):
    call = make_call(caller=None)
    call.say("c'est urgent, une canalisation a éclaté dans la cave")
    call.say("Karim Benali")
    call.say("à Vénissieux")
    # A whole number, Whisper unsure of it.
    call.say(
        "zéro six cinquante et un quarante-deux quatre-vingt-neuf soixante-treize", confidence=0.3
    )
    assert call.dialogue.stage is Stage.TRANSFERRING
    said = call.transfer("no_answer")
    assert "ne peut pas répondre" in call.said(said)
