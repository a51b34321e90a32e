"""A spelled surname read over the recognizer's n-best (agent.dialogue.naming.best_spelling).
Readings are Whisper base's own, through the μ-law line (devkit.eval.name)."""

from agent.dialogue.naming import best_spelling, spelling_of, with_spelling


def test_a_listed_surname_in_a_lower_hypothesis_wins() -> None:
    name, _ = best_spelling(["B-A-R-B-E-U-R", "B-A-R-B-I-U-R"], None)  # type: ignore[misc]
    assert name == "Barbier"


def test_a_leading_c_of_cest_is_dropped_when_it_spells_a_known_name() -> None:
    name, _ = best_spelling(["C-P-U-R-R-E-N", "C-P-U-R-R-I-N"], None)  # type: ignore[misc]
    assert name == "Perrin"


def test_a_rare_name_spelled_alike_everywhere_is_kept_as_spelled() -> None:
    name, sure = best_spelling(["K-E-R-B-R-A-T", "K, E, R, B, R, A, T"], None)  # type: ignore[misc]
    assert name == "Kerbrat" and sure >= 0.75


def test_the_heard_surname_agrees_with_the_letters() -> None:
    name, sure = best_spelling(["D-U-R-A-N-D"], "Durant")  # type: ignore[misc]
    assert name == "Durand" and sure >= 0.9


def test_nothing_spelled() -> None:
    assert best_spelling(["Pouvez-vous épeler ?", "je sais pas"], None) is None


def test_a_spelling_said_twice_is_one_name():
    from agent.dialogue.naming import spelled_name

    assert spelled_name("F-A-U-R-E F-A-U-R-E") == "Faure"
    assert spelled_name("A-N-N-A") == "Anna"  # a name that only looks doubled stays whole


def test_a_listed_surname_heard_whole_outweighs_letters_lost_on_the_line():
    from agent.dialogue.naming import best_spelling

    # Seen in whole calls: "C'est un lit de Boyer." then "V-O-U-D-R-R" for B, O, Y, E, R.
    assert best_spelling(["V-O-U-D-R-R"], "Boyer") == ("Boyer", 0.6)
    # One real slip off the list name heard: a letter lost on the line far more often than
    # another name spelled on purpose (nlp.surnames._SNAP_PER_LETTER), and heard so: sure.
    assert best_spelling(["B-O-Y-E-T"], "Boyer") == ("Boyer", 0.95)
    # A confusion and a slip are the line too: N for M, R for I.
    assert best_spelling(["N-E-U-N-R-E-R"], "Meunier")[0] == "Meunier"  # type: ignore[index]


def test_a_listed_surname_ending_garbled_words_is_the_name_heard() -> None:
    from agent.dialogue.naming import heard_name
    from nlp.types import Understanding

    nothing = Understanding(urgent=False, category="autre", confidence=0.0)
    # The first name garbled into words, the surname whole at the end: kept (the dialogue
    # takes it as unsure and asks to spell).
    assert heard_name(nothing, "Et je pense que Tessier.") == "Tessier"
    assert heard_name(nothing, "J'ai envie de boire.") is None  # no surname in it


def test_a_listed_surname_replacing_the_heard_one_keeps_its_own_case() -> None:
    # Whole call (Nantes set): "L, E, puis G, O, F, F" resolved to the list's "Le Goff",
    # written "Le goff" on the lead and in the artisan's SMS.
    assert with_spelling("Yannick Legof", "Le Goff") == "Yannick Le Goff"
    assert with_spelling(None, "Le Goff") == "Le Goff"
    assert with_spelling("Yannick Legoff", "N'Diaye") == "Yannick N'Diaye"
    assert with_spelling("Paul Durant", "DURAND") == "Paul Durand"
    assert with_spelling("Paul", "durand") == "Paul Durand"


def test_a_doubled_letter_written_d_then_the_letter_is_read_both_ways() -> None:
    # "C, O, deux L, I, N." heard "C-U-D-L-I-N" (make eval-spelling): "deux L" came out D-L.
    assert best_spelling(["C-U-D-L-I-N"], None)[0] == "Collin"  # type: ignore[index]
    # Glued letters: "R, O, deux L, A, N, D." heard "R-U-Duel-AMD"; "B, R, U, N." "V-R-UN".
    assert best_spelling(["Alors, R-U-Duel-AMD"], None)[0] == "Rolland"  # type: ignore[index]
    assert best_spelling(["V-R-UN"], None)[0] == "Brun"  # type: ignore[index]
    # A real D stays a D.
    assert best_spelling(["B-O-D-I-N"], None)[0] == "Bodin"  # type: ignore[index]
    assert best_spelling(["A-N-D-R-E"], None)[0] == "André"  # type: ignore[index]


def test_the_letters_only_reading_joins_the_free_one() -> None:
    # Freely "Celle-ci." (no letters at all); letters only, Petit.
    got = spelling_of(["Celle-ci.", "C'est si."], ["P-E-T-I-T", "P-U-T-I-T"], None)
    assert got is not None and got[0] == "Petit"
    assert got[1] < 0.6  # the free reading named no surname: unsure, "à vérifier"


def test_two_readings_naming_one_surname_stay_sure() -> None:
    free = best_spelling(["G-A-R-N-I-E-R"], None)
    got = spelling_of(["G-A-R-N-I-E-R"], ["G, A, R, N, I, E, R"], None)
    assert free is not None and got == free and got[1] >= 0.6


def test_two_readings_naming_two_surnames_are_unsure() -> None:
    got = spelling_of(["G-A-R-N-I-E-R"], ["M-E-R-C-I-E-R"], None)
    assert got is not None and got[0] in ("Garnier", "Mercier") and got[1] < 0.6


def test_without_a_letters_reading_the_free_one_decides_alone() -> None:
    assert spelling_of(["R-U-S-S-O"], [], None) == best_spelling(["R-U-S-S-O"], None)
