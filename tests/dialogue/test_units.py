"""Pieces of the dialogue: settings validation, opening hours, the small lexicon."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent.config_reader import ConfigError
from agent.dialogue import DialogueSettings
from agent.dialogue.hours import OpeningHours, speak_time, when_words
from agent.dialogue.lexicon import (
    field_named,
    is_spam,
    plain_name,
    plausible_name,
    yes_no,
)
from nlp.keywords import said_urgency
from nlp.letters import spelled_letters

from .conftest import PARIS, business


def test_settings_defaults_and_overrides():
    s = DialogueSettings.from_table({"ask_problem": "Que puis-je pour vous ?",
                                     "max_silence_prompts": 1, "sms_to_caller": False})  # fmt: skip
    assert s.ask_problem == "Que puis-je pour vous ?"
    assert s.max_silence_prompts == 1 and not s.sms_to_caller
    assert DialogueSettings.from_table(None) == DialogueSettings()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"confirm_phone": "Je rappelle le {numero} ?"}, "dialogue.confirm_phone"),
        ({"ask_name": "Votre nom {"}, "dialogue.ask_name"),
        ({"ask_nom": "x"}, "unknown key"),
        ({"max_readbacks": 0}, "dialogue.max_readbacks"),
        ({"transfer_urgent": "yes"}, "dialogue.transfer_urgent"),
    ],
)
def test_settings_errors_name_the_key(table, message):
    with pytest.raises(ConfigError, match=message):
        DialogueSettings.from_table(table)


def test_opening_hours_with_holiday():
    hours = OpeningHours.from_business(business())
    tuesday_10h = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
    assert hours.is_open(tuesday_10h)
    assert not hours.is_open(datetime(2026, 11, 24, 18, 0, tzinfo=PARIS))
    christmas = datetime(2026, 12, 25, 10, 0, tzinfo=PARIS)
    assert not hours.is_open(christmas)
    nxt = hours.next_opening(christmas)
    assert nxt == datetime(2026, 12, 26, 9, 0, tzinfo=PARIS)
    assert when_words(christmas, nxt) == "demain matin" and speak_time(nxt) == "9 h"
    # UTC input is converted: 05:30 UTC is 06:30 in Paris (winter), before opening.
    early = datetime(2026, 11, 24, 5, 30, tzinfo=UTC)
    opening = hours.next_opening(early)
    assert opening is not None and when_words(early, opening) == "ce matin"


def test_no_hours_configured_means_no_promise():
    hours = OpeningHours.from_business(business(hours={}))
    assert not hours.known


@pytest.mark.parametrize(
    ("text", "answer"),
    [("oui", True), ("oui c'est ça", True), ("c'est bien ça", True), ("exactement", True),
     ("non", False), ("non, c'est 14 rue Victor Hugo", False), ("pas du tout", False),
     ("c'est pas ça", False), ("euh", None), ("14 rue Victor Hugo", None)],
)  # fmt: skip
def test_yes_no(text, answer):
    assert yes_no(text) is answer


def test_fields_spam_and_names():
    assert field_named("le nom c'est Durand") == "name"
    assert field_named("non, c'est 16 rue Victor Hugo") == "address"
    assert field_named("le numéro c'est le 07") == "phone"
    assert is_spam("nous proposons des panneaux solaires", ["panneaux solaires"])
    assert not is_spam("j'ai vu votre site internet", ["panneaux solaires"])
    assert plain_name("c'est madame Durand") == "Durand"
    assert plain_name("euh je sais pas trop") is None
    assert spelled_letters("D comme Denis, U, P, O, N, T") == "Dupont"
    assert spelled_letters("deux L") is None


@pytest.mark.parametrize(
    ("text", "urgent"),
    [("c'est urgent", True), ("une urgence !", True), ("venez au plus vite", True),
     ("ce n'est pas urgent", False), ("pas très urgent", False), ("rien d'urgent", False),
     ("sans urgence", False), ("pas pressé", False), ("un devis", False),
     ("c'est grave, ça fuit partout", True), ("c'est pas grave", False),
     ("venez tout de suite", True)],
)  # fmt: skip
def test_caller_claims_of_urgency(text, urgent):
    # One rule for the dialogue and the NLP (nlp.keywords): the dialogue's "c'est grave" and
    # the NLP's "tout de suite" both count.
    assert (said_urgency(text) is True) is urgent


@pytest.mark.parametrize(
    "heard", ["Eh", "n'Étais", "Qu'est-Ce", "m'Achujotez", "Bon", "À Quel Point", "Quelle Ville"]
)
def test_whisper_scraps_are_no_names(heard: str) -> None:
    # What Whisper base wrote for names it could not read, on whole sandbox calls, and the
    # name question echoed back ("C'est à quel point ?" for "Agnès... Fournier").
    assert not plausible_name(heard)


@pytest.mark.parametrize("name", ["D'Amico", "L'Hermite", "Jean Dupont", "Le Goff"])
def test_names_with_particles_stay_names(name: str) -> None:
    assert plausible_name(name)


@pytest.mark.parametrize(
    ("expect", "text", "closed"),
    [("yes_no", "Oui.", True), ("yes_no", "oui c'est bien ça", True),
     ("yes_no", "Non.", False), ("yes_no", "oui et puis il y a aussi le chauffe-eau", False),
     ("phone", "06 51 42 89 73", True), ("phone", "zéro six, cinquante et un", False),
     ("town", "Villeurbanne.", True), ("town", "c'est à Bron", True),
     ("town", "à Lyon, au 14 rue", False), ("town", "Allion", False), ("name", "Lyon", False)],
)  # fmt: skip
def test_closed_answers_end_the_turn_early(expect, text, closed):
    from agent.dialogue.closed import closed_answer

    assert closed_answer(expect, text, ("Lyon", "Villeurbanne", "Bron")) is closed
