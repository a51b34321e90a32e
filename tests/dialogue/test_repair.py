"""Hearing the caller right: hints per question, the service area matched over n-best,
confidence per field, one re-ask phrased differently, then "à vérifier"."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from agent.dialogue import DialogueSettings, Stage
from agent.speech.hint import Hint
from nlp.types import TownMatch

from .conftest import TOWNS, Call
from .fake_area import FakeArea, lyon_area

QUOTE = "je voudrais un devis pour refaire la salle de bain"


def to_address(call: Call, name: str = "je m'appelle Marie Dupont") -> None:
    call.say(QUOTE)
    call.say(name)
    assert call.dialogue.stage is Stage.ADDRESS


# -- hints ------------------------------------------------------------------------------------


def test_every_question_hands_its_hint_and_candidates(make_call):
    area = lyon_area()
    call = make_call(area=area)
    d = call.dialogue
    assert d.hint == Hint("problem", "problem")
    call.say(QUOTE)
    assert d.hint == Hint("name", "name")
    call.say("je m'appelle Marie Dupont")
    # No town known yet: the towns of the area, not thousands of streets.
    assert d.hint == Hint("address", "address", ("Lyon", "Villeurbanne", "Bron"))
    call.say("euh je ne sais plus", confidence=0.9)
    assert d.hint == Hint("town", "town", ("Lyon", "Villeurbanne", "Bron"))
    call.say("à Villeurbanne")
    # The town is known: its streets.
    assert d.hint == Hint("street", "street", area.streets["Villeurbanne"])
    call.say("12 avenue Jean Jaurès")
    assert d.hint == Hint("yes_no", "phone_confirm")
    call.say("non")
    assert d.hint == Hint("phone", "phone")
    call.say("06 98 76 54 32")
    assert d.hint == Hint("yes_no", "readback")
    call.say("non")
    assert d.hint == Hint("choice", "which_field")
    call.say("le nom")
    assert d.hint == Hint("name", "name")


def test_spelling_hint_and_towns_from_the_config_without_area(make_call):
    call = make_call()
    call.say(QUOTE)
    call.say("je sais plus")
    assert call.dialogue.hint == Hint("spell", "spell")
    call.say("D U P O N T")
    assert call.dialogue.hint == Hint("address", "address", TOWNS)


# -- addresses --------------------------------------------------------------------------------


def test_clear_address_matched_to_the_area_over_alternatives(make_call):
    area = lyon_area()
    call = make_call(area=area)
    to_address(call)
    # The best hypothesis is garbled; the second one names the street and the town.
    said = call.say("douze avenue jean jaurais à vile", "12 avenue Jean Jaurès à Villeurbanne",
                    confidence=0.8)  # fmt: skip
    assert "06 12 34 56 78" in call.said(said)  # straight on to the phone: no re-ask
    c = call.dialogue.collected
    assert (c.street, c.postcode, c.city) == ("12 Avenue Jean Jaurès", "69100", "Villeurbanne")
    hyps = ("douze avenue jean jaurais à vile", "12 avenue Jean Jaurès à Villeurbanne")
    assert ("address", hyps, "Villeurbanne") in area.calls  # all hypotheses, within the town
    call.say("oui")
    call.say("oui")
    lead = call.lead().lead
    assert lead.street == "12 Avenue Jean Jaurès" and lead.city == "Villeurbanne"
    assert lead.address_heard == "douze avenue jean jaurais à vile"
    assert lead.address_confidence is not None and lead.address_confidence >= 0.6
    assert lead.to_check == ()


def test_unsure_town_asked_alone_then_street_matched_within_it(make_call):
    area = lyon_area(garbled_towns={"leon": ("Lyon", 0.55)})
    call = make_call(area=area)
    to_address(call)
    said = call.say("au 8 rue de la République à Léon", confidence=0.6)
    assert call.asked(said) == "Dans quelle ville ?"
    said = call.say("Villeurbanne", confidence=0.9)
    # The street exists in Lyon and Villeurbanne: the town resolves it, no street re-ask.
    assert "06 12 34 56 78" in call.said(said)
    c = call.dialogue.collected
    assert (c.street, c.city, c.postcode) == ("8 Rue de la République", "Villeurbanne", "69100")
    assert not c.to_check


def test_garbled_address_town_then_street_then_marked_to_check(make_call):
    area = lyon_area(garbled_streets={"changer": ("Avenue Jean Jaurès", 0.45)},
                     garbled_towns={"leon": ("Lyon", 0.5)})  # fmt: skip
    call = make_call(area=area)
    to_address(call)
    said = call.say("D'où ça peut-être mieux changer à Léon ?", confidence=0.4)
    assert call.asked(said) == "Dans quelle ville ?"
    said = call.say("euh Villeurbanne", confidence=0.8)
    assert call.asked(said) == "Quelle est la rue, avec le numéro ?"
    said = call.say("jean changer", confidence=0.3)
    assert "06 12 34 56 78" in call.said(said)  # moved on: one re-ask only
    call.say("oui")
    said = call.say("oui")
    lead = call.lead().lead
    assert lead.city == "Villeurbanne" and lead.street == "Avenue Jean Jaurès"
    assert lead.to_check == ("address",)
    assert lead.address_confidence is not None and lead.address_confidence < 0.6
    assert "D'où ça peut-être mieux changer à Léon ?" in lead.address_heard
    artisan = call.sms()["artisan_recap"].text
    assert "à vérifier : adresse" in artisan and len(artisan) <= 160


def test_street_missing_its_number_is_asked_again_once(make_call):
    call = make_call(area=lyon_area())
    to_address(call)
    said = call.say("rue Garibaldi à Lyon", confidence=0.7)
    assert call.asked(said) == "Quelle est la rue, avec le numéro ?"
    call.say("au 14 rue Garibaldi", confidence=0.7)
    c = call.dialogue.collected
    assert c.street == "14 Rue Garibaldi" and c.city == "Lyon" and not c.to_check


def test_address_outside_the_area_kept_as_heard_and_flagged(make_call):
    call = make_call(area=lyon_area())
    to_address(call)
    call.say("14 rue Victor Hugo à Lyon", confidence=0.9)
    said = call.say("14 rue Victor Hugo", confidence=0.9)  # the street alone, still unknown
    assert call.dialogue.stage is Stage.PHONE_CONFIRM, call.said(said)
    c = call.dialogue.collected
    assert c.street == "14 rue Victor Hugo" and c.city == "Lyon"
    assert c.to_check == {"address"}


def test_without_area_low_confidence_address_is_repaired_the_same_way(make_call):
    call = make_call()
    to_address(call)
    said = call.say("14 rue Victor Hugo à Lyon", confidence=0.1)
    assert call.asked(said) == "Dans quelle ville ?"
    said = call.say("Lyon", confidence=0.95)
    assert call.asked(said) == "Quelle est la rue, avec le numéro ?"
    call.say("14 rue Victor Hugo", confidence=0.95)
    c = call.dialogue.collected
    assert c.street == "14 rue Victor Hugo" and c.city == "Lyon" and not c.to_check


def test_threshold_is_a_setting(make_call):
    settings = DialogueSettings.from_table({"confidence_threshold": 0.3})
    call = make_call(settings=settings)
    to_address(call)
    said = call.say("14 rue Victor Hugo à Lyon", confidence=0.1)  # 0.55 >= 0.3: sure enough
    assert "06 12 34 56 78" in call.said(said)


# -- names ------------------------------------------------------------------------------------


def test_unsure_name_is_spelled_and_the_spelling_replaces_the_surname(make_call):
    call = make_call()
    call.say(QUOTE)
    said = call.say("Paul Durant", confidence=0.35)
    assert call.asked(said) == "Pouvez-vous épeler votre nom ? Par exemple D comme Denis."
    said = call.say("D comme Denis, U, R, A, N, D", confidence=0.8)
    assert call.dialogue.collected.name == "Paul Durand"
    assert call.dialogue.stage is Stage.ADDRESS
    assert "name" not in call.dialogue.collected.to_check


def test_unsure_spelling_moves_on_and_marks_the_name(make_call):
    call = make_call()
    call.say(QUOTE)
    call.say("je m'appelle Paul Durant", confidence=0.3)
    call.say("B, U, R, N, A, R, D", confidence=0.4)
    assert call.dialogue.stage is Stage.ADDRESS
    # U for E is a measured Whisper slip on spelled letters: snapped to the listed surname,
    # still marked for checking since Whisper was unsure of every letter.
    assert call.dialogue.collected.name == "Paul Bernard"
    assert call.dialogue.collected.to_check == {"name"}


def test_sure_name_is_not_spelled(make_call):
    call = make_call()
    call.say(QUOTE)
    said = call.say("je m'appelle Nadia Benali", confidence=0.85)
    assert call.asked(said) == "Quelle est l'adresse de l'intervention ?"


# -- read-back and corrections -----------------------------------------------------------------


def test_no_at_read_back_which_field_then_unsure_correction_is_marked(make_call):
    call = make_call(area=lyon_area())
    to_address(call)
    call.say("5 place Bellecour à Lyon", confidence=0.9)
    call.say("oui")
    said = call.say("non")
    assert call.asked(said) == "Qu'est-ce qui n'est pas correct : le nom, l'adresse ou le numéro ?"
    said = call.say("l'adresse")
    assert call.asked(said) == "Quelle est l'adresse de l'intervention ?"
    said = call.say("7 place Bellecour", confidence=0.1)
    assert call.said(said).startswith("Je récapitule") and "7 Place Bellecour" in call.said(said)
    assert call.dialogue.collected.to_check == {"address"}
    call.say("oui")
    assert call.lead().lead.to_check == ("address",)


def test_unsure_phone_number_is_asked_once_more_and_two_readings_agree(make_call):
    call = make_call(caller=None)
    to_address(call)
    call.say("5 place Bellecour à Lyon")
    said = call.say("zéro six quatre-vingt-dix-huit soixante-seize cinquante-quatre trente-deux",
                    confidence=0.3)  # fmt: skip
    assert call.asked(said).startswith("Pardon, pouvez-vous redire le numéro")
    said = call.say("06 98 76 54 32", confidence=0.4)
    assert call.said(said).startswith("Je récapitule")
    c = call.dialogue.collected
    assert c.phone == "+33698765432" and not c.to_check


def test_a_number_said_again_does_not_replace_a_surer_first_reading(make_call):
    # Whole call: "06 24, dix sep, quatres intu, 52" read right but unsure (0.49); asked
    # again, "Zéro, six, un quatre, dix, sept, ..." read another number, surer of nothing
    # (0.4), and it was the one kept.
    call = make_call(caller=None)
    to_address(call)
    call.say("5 place Bellecour à Lyon")
    said = call.say("06 24 17 81 52", confidence=0.45)
    assert call.asked(said).startswith("Pardon, pouvez-vous redire le numéro")
    said = call.say("06 14 17 81 52", confidence=0.35)
    assert call.said(said).startswith("Je récapitule") and "06 24 17 81 52" in call.said(said)
    c = call.dialogue.collected
    assert c.phone == "+33624178152" and c.to_check == {"phone"}


def test_a_surer_second_reading_of_the_number_replaces_the_first(make_call):
    call = make_call(caller=None)
    to_address(call)
    call.say("5 place Bellecour à Lyon")
    call.say("06 24 17 81 52", confidence=0.35)
    said = call.say("06 14 17 81 52", confidence=0.45)
    assert "06 14 17 81 52" in call.said(said)
    assert call.dialogue.collected.phone == "+33614178152"


def test_a_number_corrected_at_the_read_back_replaces_the_one_heard(make_call):
    call = make_call(caller=None)
    to_address(call)
    call.say("5 place Bellecour à Lyon")
    call.say("06 24 17 81 52", confidence=0.9)
    call.say("non")
    call.say("le numéro")
    said = call.say("06 14 17 81 52", confidence=0.5)
    assert call.dialogue.collected.phone == "+33614178152"
    assert "06 14 17 81 52" in call.said(said)


def test_a_town_said_for_the_name_is_not_taken_as_the_name(make_call):
    call = make_call(area=lyon_area())
    call.say(QUOTE)
    said = call.say("Villeurbanne")
    assert call.dialogue.collected.name is None
    assert call.asked(said).startswith("Pouvez-vous épeler votre nom")


def test_a_looping_spelling_is_not_taken_as_the_name(make_call):
    call = make_call()
    call.say(QUOTE)
    call.say("t'as ce qu'il a", confidence=0.3)
    call.say("N, G, G, G, G, G, G, G, G, G, G, G", confidence=0.45)
    assert call.dialogue.stage is Stage.ADDRESS
    assert "GGG" not in (call.dialogue.collected.name or "").upper()
    assert "name" in call.dialogue.collected.to_check


def test_letters_run_together_that_spell_nothing_are_not_the_name(make_call):
    # Whole call (Nantes set): "G, U, E accent aigu, R, I, N." heard "J-U-Laxon-I-D-R-U-N"
    # was taken as a name said again and read back as such; the name heard first stays,
    # marked for checking.
    call = make_call()
    call.say(QUOTE)
    call.say("Maxime Guéraud", confidence=0.3)
    call.say("J-U-Laxon-I-D-R-U-N", confidence=0.6)
    assert call.dialogue.stage is Stage.ADDRESS
    assert call.dialogue.collected.name == "Maxime Guéraud"
    assert call.dialogue.collected.to_check == {"name"}
    call = make_call()
    call.say(QUOTE)
    call.say("Brun", confidence=0.3)
    call.say("V-R-UN", confidence=0.6)
    assert call.dialogue.collected.name == "Brun"


def test_a_round_ten_is_a_number_maybe_cut_short_asked_once_more(make_call):
    # "quatre-vingt-dix" heard "80": the street is asked again, its number said last.
    call = make_call(area=lyon_area())
    to_address(call)
    said = call.say("au 80 rue Garibaldi à Lyon", confidence=0.9)
    assert call.asked(said) == "Quelle est la rue, avec le numéro ?"
    # Heard less surely the second time, but the same street with a number of its own.
    call.say("rue Garibaldi, au 90", confidence=0.7)
    c = call.dialogue.collected
    assert c.street == "90 Rue Garibaldi" and c.city == "Lyon"
    assert call.dialogue.stage is Stage.PHONE_CONFIRM


def test_a_round_ten_heard_twice_is_kept_and_flagged(make_call):
    call = make_call(area=lyon_area())
    to_address(call)
    call.say("au 40 rue Garibaldi à Lyon", confidence=0.9)
    call.say("rue Garibaldi, au 40", confidence=0.9)
    c = call.dialogue.collected
    assert c.street == "40 Rue Garibaldi" and c.to_check == {"address"}


def test_a_number_not_round_is_not_doubted(make_call):
    call = make_call(area=lyon_area())
    to_address(call)
    said = call.say("au 42 rue Garibaldi à Lyon", confidence=0.9)
    assert call.asked(said) != "Quelle est la rue, avec le numéro ?"
    assert call.dialogue.collected.street == "42 Rue Garibaldi"


def test_the_street_asked_again_without_its_number_keeps_the_number_heard(make_call):
    call = make_call(area=lyon_area())
    to_address(call)
    call.say("au 80 rue Garibaldi à Lyon", confidence=0.9)
    call.say("c'est la rue Garibaldi", confidence=0.9)
    c = call.dialogue.collected
    assert c.street == "80 Rue Garibaldi" and c.to_check == {"address"}


def test_a_surname_only_a_lower_reading_gave_does_not_outweigh_the_spelling(make_call):
    # Whole call: "Pierre-Yves Caradec" unheard, a lower reading copied "Henry Paris" from
    # the narrowed prompt; the spelling "C-A-R-A-D-U-C" then lost to it.
    call = make_call(area=lyon_area())
    call.say(QUOTE)
    said = call.say("Bon, ça va.", "Henry Paris.", confidence=0.4)
    assert call.asked(said).startswith("Pouvez-vous épeler votre nom")
    call.say("C-A-R-A-D-U-C", confidence=0.6)
    assert call.dialogue.collected.name == "Henry Caraduc"


def test_a_surname_of_the_best_reading_still_weighs_against_the_letters(make_call):
    call = make_call(area=lyon_area())
    call.say(QUOTE)
    call.say("C'est un lit de Boyer.", confidence=0.4)
    call.say("V-O-U-D-R-R", confidence=0.6)
    assert call.dialogue.collected.name == "Boyer"


def test_a_surname_spelled_inside_the_best_reading_still_weighs_against_the_letters(make_call):
    # Whole call: "Dupont, D comme Denis, U, P, O, N, T." heard with the letters, then a
    # spelling garbled into words: the name heard stays.
    call = make_call(area=lyon_area())
    call.say(QUOTE)
    call.say("Rp du point, déconne de nous, U, P, O, N, T.", confidence=0.4)
    call.say("Déconténez l'U-Pécompère ou N-T", confidence=0.4)
    assert call.dialogue.collected.name == "Dupont"


def test_another_number_given_unsure_at_the_confirmation_is_asked_again(make_call):
    # Whole call: "Non, sur le fixe plutôt : zéro quatre, soixante-dix-huit, ..." heard
    # "0,4, 3,4, 10, 8, 26, 55, 0, 2", a number read only by a lower hypothesis.
    call = make_call(area=lyon_area())
    to_address(call)
    call.say("au 14 rue Garibaldi à Lyon", confidence=0.9)
    said = call.say("non, plutôt le 04 78 26 55 02", confidence=0.3)
    assert call.asked(said) == "Pardon, pouvez-vous redire le numéro chiffre par chiffre ?"
    said = call.say("04 78 26 55 02", confidence=0.9)
    assert call.dialogue.collected.phone == "+33478265502"
    assert call.asked(said).startswith("Je récapitule")


def test_a_name_corrected_at_the_next_question_replaces_the_name(make_call):
    """Whole call (eval/lyon4): "Patrick Morel... non pardon, Patrick Moreau." was heard in
    two turns, the pause ending the first; the correction came as the answer to "Dans quelle
    ville ?" and the lead kept Morel."""
    call = make_call(area=lyon_area())
    call.say("il y a une fuite d'eau énorme, ça inonde le salon")
    call.say("Patrick Morel.")
    assert call.dialogue.stage is Stage.CITY
    call.say("Non pardon, Patrick Moreau.")
    assert call.dialogue.collected.name == "Patrick Moreau"
    assert call.transfers()  # the town, asked once on an urgent call, is asked while it rings
    # On a call not put through, the question is asked again.
    call = make_call(area=lyon_area())
    to_address(call, "je m'appelle Marie Dupont")
    said = call.say("Non pardon, Marie Dupuis.")
    assert call.dialogue.collected.name == "Marie Dupuis"
    assert call.dialogue.stage is Stage.ADDRESS and "adresse" in call.asked(said)
    # The town itself is the town question's answer, as before.
    call = make_call(area=lyon_area())
    call.say("il y a une fuite d'eau énorme, ça inonde le salon")
    call.say("Patrick Morel.")
    call.say("Non, pardon, à Villeurbanne.")
    assert (call.dialogue.collected.name, call.dialogue.collected.city) == (
        "Patrick Morel",
        "Villeurbanne",
    )


def test_a_no_after_the_name_that_names_no_one_is_not_a_name(make_call):
    call = make_call(area=lyon_area())
    to_address(call, "je m'appelle Marie Dupont")
    call.say("Non, je ne sais pas.")
    assert call.dialogue.collected.name == "Marie Dupont"
    # "Non. Non." read "Nantes." lower down: no name in what was said.
    from agent.dialogue.naming import name_taken_back

    assert name_taken_back(["Non. Non.", "Nantes."]) is None


class _TownsWithoutPostcode(FakeArea):
    """Towns matched without a postcode, as the real area reads "Villeurbanne." alone."""

    def match_town(self, hypotheses: Sequence[str]) -> TownMatch | None:
        found = super().match_town(hypotheses)
        return dataclasses.replace(found, postcode=None) if found else None


def test_a_new_town_does_not_keep_the_postcode_of_the_town_before(make_call):
    """Whole call (s18): "Au 4 rue de la République" matched in Lyon (69001), the town
    question then heard "Villeur." (for Meyzieu): the lead read "69001 Villeurbanne"."""
    area = _TownsWithoutPostcode(**vars(lyon_area()))
    call = make_call(area=area)
    to_address(call)
    call.say("12 rue Garibaldi", confidence=0.9)
    assert call.dialogue.collected.postcode == "69003"
    call.dialogue.collected.town_confidence = 0.3  # the street's town only a guess
    call.dialogue.stage = Stage.CITY
    call.say("Villeurbanne.")
    c = call.dialogue.collected
    assert (c.city, c.postcode) == ("Villeurbanne", None)


def test_a_number_given_by_voice_reaches_the_artisan_with_the_caller_id(make_call):
    # Another number given by voice, confirmed at the read-back (a caller says yes to ten
    # digits read fast, and whole calls misheard pairs: 85 for 95): the artisan's SMS gives
    # the number the caller rang from too, so a misheard number still leaves a way back.
    call = make_call()
    to_address(call)
    call.say("5 place Bellecour à Lyon")
    said = call.say("non rappelez-moi plutôt au 06 24 17 81 52", confidence=0.9)
    assert "rappel au 06 24 17 81 52" in call.said(said)
    call.say("oui")
    artisan = call.sms()["artisan_recap"].text
    assert "06 24 17 81 52 (appel du 06 12 34 56 78)" in artisan and len(artisan) <= 160


def test_the_caller_id_taken_as_the_callback_number_is_sent_once(make_call):
    call = make_call()
    to_address(call)
    call.say("5 place Bellecour à Lyon")
    call.say("oui")
    call.say("oui")
    artisan = call.sms()["artisan_recap"].text
    assert artisan.count("06 12 34 56 78") == 1 and "appel du" not in artisan
