"""A house number said but not written (nlp.unwritten_number)."""

from nlp.unwritten_number import Unwritten, sounded_numbers, unwritten_number

TOWNS = ("Lyon", "Villeurbanne")


def test_words_between_the_cues_and_the_street_are_the_number():
    assert unwritten_number("C'est le genre Rue de Créqui.", "Rue de Créqui", TOWNS) == (
        Unwritten("C'est le", True, "genre")
    )
    assert unwritten_number("Doru Chaponnay.", "Rue Chaponnay", TOWNS) == Unwritten(
        "", True, "doru"
    )
    # The street as Whisper wrote it ("Racy" for Racine) is still found.
    got = unwritten_number("Oui, c'est aussi Rue Racy.", "Rue Racine", TOWNS)
    assert got == Unwritten("Oui, c'est", True, "aussi")


def test_words_before_the_last_cue_stay_in_the_lead():
    # Whisper writes a caller's "Euh" as "Hein ?": the readings must keep it before the cue,
    # else "1 Rue Voltaire." is weighed against audio that opens with "Euh, c'est au".
    got = unwritten_number("Hein ? C'est aussi rue Voltaire.", "Rue Voltaire", TOWNS)
    assert got == Unwritten("Hein ? C'est", True, "aussi")
    got = unwritten_number("Mais c'est aussi rue Voltaire.", "Rue Voltaire", TOWNS)
    assert got == Unwritten("Mais c'est", True, "aussi")
    # With no cue to end the lead, every word before the street may be the number.
    assert unwritten_number("Saint-Rue Jaboulay.", "Rue Jaboulay", TOWNS) == Unwritten(
        "", True, "saint-rue"
    )


def test_words_after_the_street_are_the_number_unless_they_are_a_town():
    got = unwritten_number("Avenue Henri Barbusse, Où n'est-ce ?", "Avenue Henri Barbusse", TOWNS)
    assert got is not None and not got.first and got.rest == "ou n'est-ce"
    assert unwritten_number("Rue Gasparin, à Lyon.", "Rue Gasparin", TOWNS) is None


def test_nothing_but_cues_and_the_street_is_no_number():
    for text in ("Alors, Rue Antoine Charial.", "Oui, c'est la rue Racine.", "Rue Rue Gasparin."):
        street = " ".join(text.split()[-2:]).rstrip(".")
        assert unwritten_number(text, street, TOWNS) is None, text
    assert unwritten_number("Au 40 de la rue des Tanneurs.", "Rue Garibaldi", TOWNS) is None


def test_small_numbers_then_those_that_sound_alike():
    got = sounded_numbers("carambe", 16)
    assert got[:12] == list(range(1, 13))
    assert {41, 42} <= set(got)  # "quarante"
    assert 28 in sounded_numbers("vincent feet", 20)  # "vingt-huit"


def test_numbers_sound_as_said_with_their_final_consonants():
    # "Rue Léon Blum, au 19." through the phone line: "Rue Léon Blum, Rue Disney." The
    # written key of "dix-neuf" drops its x as silent (DINEF); said, it is "diz-neuf".
    assert 19 in sounded_numbers("disney", 16)
    assert 18 in sounded_numbers("disuite", 16)  # "dix-huit"
    assert 28 in sounded_numbers("vincent feet", 20)  # and as written, still
