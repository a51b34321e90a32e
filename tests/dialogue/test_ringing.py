"""What an urgent caller is asked while the artisan's mobile rings (agent.dialogue.ringing):
the street, then the spelling of a name heard unsure; nothing else."""

from __future__ import annotations

from agent.dialogue import DialogueSettings, SaveLead, Stage, Transfer

from .conftest import Call
from .fake_area import lyon_area

LEAK = "il y a une fuite d'eau énorme, ça inonde le salon"


def _ringing(
    call: Call,
    name: str,
    name_confidence: float,
    town: str = "à Lyon",
    town_confidence: float = 1.0,
) -> None:
    call.say(LEAK)
    call.say(name, confidence=name_confidence)
    call.say(town, confidence=town_confidence)
    assert call.transfers() and call.dialogue.stage is Stage.TRANSFERRING


def test_an_unsure_name_is_spelled_after_the_street_while_it_rings(make_call):
    call = make_call()
    _ringing(call, "je m'appelle Jean Dupond", 0.3)
    assert call.dialogue.asking_while_ringing and call.dialogue.hint.question == "address"
    said = call.say("14 rue de la République")
    assert call.said(said) == "Et pouvez-vous épeler votre nom ?"
    assert call.dialogue.asking_while_ringing and call.dialogue.hint.question == "spell"
    said = call.say("D, U, P, O, N, T.")
    assert call.said(said) == "Merci. Ne quittez pas."
    assert not call.dialogue.asking_while_ringing
    call.transfer("answered")
    lead = call.lead().lead
    assert lead.name == "Jean Dupont" and "République" in (lead.street or "")
    assert "name" not in lead.to_check


def test_a_sure_name_is_not_spelled(make_call):
    call = make_call()
    _ringing(call, "je m'appelle Jean Dupont", 1.0)
    said = call.say("14 rue de la République")
    assert call.said(said) == "Merci. Ne quittez pas."


def test_the_street_given_before_the_spelling_is_asked_first(make_call):
    call = make_call()
    _ringing(call, "je m'appelle Jean Dupond", 0.3, "au 14 rue de la République à Lyon")
    assert len(call.transfers()) == 1
    asked = "J'appelle l'artisan. En attendant, pouvez-vous épeler votre nom ?"
    assert call.said(call.actions[-2:]) == asked
    assert isinstance(call.actions[-1], Transfer)
    assert call.dialogue.hint.question == "spell"


def test_a_spelling_not_answered_before_the_bridge_is_not_counted(make_call):
    call = make_call()
    _ringing(call, "je m'appelle Jean Dupond", 0.3)
    call.say("14 rue de la République")
    said = call.transfer("no_answer")  # the mobile gave up before the letters were heard
    assert "épeler" in call.asked(said)  # asked again, now the caller is with the agent
    assert call.dialogue.stage is Stage.SPELL_NAME


def test_the_name_stays_to_check_when_the_artisan_answers_first(make_call):
    call = make_call()
    _ringing(call, "je m'appelle Jean Dupond", 0.3)
    call.say("14 rue de la République")
    call.transfer("answered")
    (lead,) = call.of(SaveLead)
    assert lead.lead.name == "Jean Dupont" and "name" in lead.lead.to_check


def test_nothing_is_asked_while_it_rings_when_asking_is_off(make_call):
    call = make_call(settings=DialogueSettings(ask_address_while_ringing=False))
    _ringing(call, "je m'appelle Jean Dupond", 0.3)
    assert not call.dialogue.asking_while_ringing
    assert "Ne quittez pas" in call.said(call.actions[-2:])


def test_a_name_not_heard_at_all_is_spelled_while_it_rings(make_call):
    call = make_call()
    _ringing(call, "oui oui", 0.3)
    assert not call.dialogue.collected.name
    said = call.say("14 rue de la République")
    assert call.said(said) == "Et pouvez-vous épeler votre nom ?"
    call.say("L, O, P, E, Z.")
    call.transfer("answered")
    assert call.lead().lead.name == "Lopez"


def test_a_town_said_for_the_name_is_not_the_name(make_call):
    call = make_call()
    call.say(LEAK)
    call.say("euh attendez")  # the rest of the answer is heard as a second half, later
    call.say("à Lyon")
    assert call.dialogue.collected.name is None


def test_an_unreadable_answer_while_it_rings_is_asked_again_once(make_call):
    call = make_call()
    _ringing(call, "je m'appelle Jean Dupont", 1.0)
    said = call.dialogue.on_unclear()
    assert call.said(said) == "Quelle est la rue, avec le numéro ?"
    assert call.dialogue.asking_while_ringing
    said = call.dialogue.on_unclear()
    assert call.said(said) == "Merci. Ne quittez pas."  # the bridge is not held longer
    assert not call.dialogue.asking_while_ringing


def test_an_unreadable_spelling_while_it_rings_is_not_asked_again(make_call):
    call = make_call()
    _ringing(call, "je m'appelle Jean Dupond", 0.3)
    call.say("14 rue de la République")
    said = call.dialogue.on_unclear()
    assert call.said(said) == "Merci. Ne quittez pas."
    assert not call.dialogue.asking_while_ringing


def test_garbled_words_naming_no_known_town_leave_the_town_given(make_call):
    # Whole call (held-out set): "Villeurbanne." answered the town question, then the street
    # while it rang was heard "Où sont Cribreuses, à Gilles Orban ?": the NLP read the town
    # "Gilles Orban", which replaced Villeurbanne in the lead.
    call = make_call(area=lyon_area())
    _ringing(call, "je m'appelle Sophie Lambert", 1.0, town="Villeurbanne")
    call.say("Où sont Cribreuses, à Gilles Orban ?")
    assert call.dialogue.collected.city == "Villeurbanne"
    # A town of the area said instead is taken (the caller corrects the town).
    call = make_call(area=lyon_area())
    _ringing(call, "je m'appelle Sophie Lambert", 1.0, town="Villeurbanne")
    call.say("12 rue Garibaldi à Lyon")
    assert call.dialogue.collected.city == "Lyon"


def test_garbled_words_naming_no_known_town_leave_a_town_heard_unsure(make_call):
    # Whole call: "Villeurbanne." heard unsure, then the address while it rang heard "Au 83,
    # Montardon, 73 corrémise-la à Gilbert-Dan.": "Gilbert-Dan" replaced Villeurbanne.
    call = make_call(area=lyon_area())
    _ringing(call, "je m'appelle Sophie Lambert", 1.0, "Villeurbanne", town_confidence=0.0)
    said = call.say("Au 83, Montardon, 73 corrémise-la à Gilbert-Dan.")
    assert call.said(said) == "Quelle est la rue, avec le numéro ?"
    call.transfer("answered")
    assert call.lead().lead.city == "Villeurbanne"


def test_a_spelling_looping_on_a_syllable_is_not_the_name(make_call):
    # Whole call (held-out set): "Je n'ai pas besoin." for the name, then "B, E, N, O, I, T."
    # heard "Ré-é-en-en-en-en-en-en-en-en." while it rang: that was the name in the lead.
    call = make_call()
    _ringing(call, "Je n'ai pas besoin.", 0.3)
    call.say("14 rue de la République")
    call.say("Ré-é-en-en-en-en-en-en-en-en.", confidence=0.4)
    assert "En-En" not in (call.dialogue.collected.name or "")


def test_a_street_heard_without_its_number_is_asked_again_while_it_rings(make_call):
    # Whole calls: "Au 15 rue Duguesclin, à Lyon." heard "Aucun Rue du Guesclin, Allion."
    # while the mobile rang; the call was put through and the lead kept no number.
    call = make_call(area=lyon_area())
    _ringing(call, "je m'appelle Jean Dupond", 0.3)
    said = call.say("aucun rue Garibaldi à Lyon")
    assert call.said(said) == "Quelle est la rue, avec le numéro ?"
    assert call.dialogue.asking_while_ringing and call.dialogue.hint.question == "street"
    said = call.say("rue Garibaldi, au 15")
    assert call.said(said) == "Et pouvez-vous épeler votre nom ?"  # then the spelling
    call.say("D, U, P, O, N, T.")
    call.transfer("answered")
    lead = call.lead().lead
    assert lead.street == "15 Rue Garibaldi" and lead.city == "Lyon"
    assert "address" not in lead.to_check


def test_a_street_asked_again_while_it_rings_is_asked_once(make_call):
    call = make_call(area=lyon_area())
    _ringing(call, "je m'appelle Jean Dupont", 1.0)
    said = call.say("où sont trente mille vels à Lyon")  # no street of the area
    assert call.said(said) == "Quelle est la rue, avec le numéro ?"
    said = call.dialogue.on_unclear()
    assert call.said(said) == "Merci. Ne quittez pas."  # the bridge is not held longer
    call.transfer("answered")
    lead = call.lead().lead
    assert lead.street is None and lead.city == "Lyon"


def test_a_street_heard_again_without_a_number_keeps_the_first(make_call):
    call = make_call(area=lyon_area())
    _ringing(call, "je m'appelle Jean Dupont", 1.0)
    call.say("rue Garibaldi à Lyon")
    said = call.say("c'est rue Garibaldi")
    assert call.said(said) == "Merci. Ne quittez pas."
    call.transfer("answered")
    lead = call.lead().lead
    assert lead.street == "Rue Garibaldi" and "address" in lead.to_check


def test_a_street_heard_sure_while_it_rings_is_not_asked_again(make_call):
    call = make_call(area=lyon_area())
    _ringing(call, "je m'appelle Jean Dupont", 1.0)
    said = call.say("12 rue Garibaldi à Lyon")
    assert call.said(said) == "Merci. Ne quittez pas."


def test_the_street_is_not_asked_again_while_it_rings_when_that_is_off(make_call):
    call = make_call(area=lyon_area(), settings=DialogueSettings(street_while_ringing=False))
    _ringing(call, "je m'appelle Jean Dupont", 1.0)
    said = call.say("rue Garibaldi à Lyon")
    assert call.said(said) == "Merci. Ne quittez pas."
