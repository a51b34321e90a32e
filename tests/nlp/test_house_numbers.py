"""House numbers a heard number may have been (nlp.house_numbers)."""

from nlp.house_numbers import heard_numbers, number_candidates, readings


def test_numbers_heard_leave_out_postcodes_glued_words_and_the_street_name():
    hyps = ["Au 80 d'Ecours Vitton, 79 000 6ions.", "au quarante-deux cours", "au 40bis"]
    assert heard_numbers(hyps, "Cours Vitton") == [80, 42, 40]
    assert heard_numbers(["Rue du 8 Mai 1945, au 12"], "Rue du 8 Mai 1945") == [12]
    assert heard_numbers(["Rue Garibaldi, au Carambé."], "Rue Garibaldi") == []


def test_a_number_proposes_the_compound_numbers_it_may_be_part_of():
    # "quarante-deux" -> "40 de": the unit dropped.
    assert number_candidates([40], ())[:4] == ["40", "41", "42", "43"]
    # "quatre-vingt-dix" -> "80": 81-89 and 90-99 too, within the limit.
    eighty = number_candidates([80], ())
    assert "90" in eighty and "97" not in eighty and len(eighty) == 16
    assert "97" in number_candidates([80], (), limit=20)
    # "vingt-sept" -> "un 7": the tens dropped.
    assert {"27", "77"} <= set(number_candidates([7], ()))
    assert number_candidates([42], ()) == ["42"]
    assert number_candidates([17], ()) == ["17"]


def test_the_street_s_own_numbers_come_first_with_their_bis_and_ter():
    known = ("40bis", "44", "46", "46ter")
    got = number_candidates([40], known)
    assert got[:5] == ["40", "40 bis", "44", "46", "46 ter"]
    assert "41" in got  # a file of a few numbers per street is no survey


def test_readings_keep_the_shape_of_the_answer():
    first = readings(["O 40 de cours et milles à Villeurbanne"], "Cours Émile Zola", (), ", à V")
    assert first[:2] == ("O 40 Cours Émile Zola, à V.", "O 41 Cours Émile Zola, à V.")
    after = readings(["Rue Garibaldi, au quarante."], "Rue Garibaldi", ("40bis",), "")
    assert after[:3] == (
        "Rue Garibaldi, au 40.",
        "Rue Garibaldi, au 40 bis.",
        "Rue Garibaldi, au 41.",
    )
    lead = readings(["Alors vin 7 avenue Jean Jaurès."], "Avenue Jean Jaurès", (), "")
    assert (
        lead[0] == "Alors vin 7 Avenue Jean Jaurès." and "Alors vin 27 Avenue Jean Jaurès." in lead
    )


def test_a_number_said_whole_between_a_cue_and_the_street_is_not_weighed():
    # Nothing of a compound number is left around it: weighing would cost ~20 ms a reading.
    for text in (
        "C'est le 7 avenue Jean Jaurès.",
        "Au 12 avenue Jean Jaurès",
        "7 Avenue Jean Jaurès",
    ):
        assert readings([text], "Avenue Jean Jaurès", (), "") == (), text
    # "un 7" (vingt-sept) or "40 de" (quarante-deux) leave a trace: weighed.
    assert readings(["Au 40 de avenue Jean Jaurès"], "Avenue Jean Jaurès", (), "")


def test_a_number_lost_in_words_is_weighed_in_their_place():
    got = readings(["Avenue Henri Barbusse, où n'est-ce ?"], "Avenue Henri Barbusse", (), "")
    assert got[8] == "Avenue Henri Barbusse, au 9." and len(got) == 16
    got = readings(["C'est le genre Rue de Créqui."], "Rue de Créqui", ("6", "6bis"), "")
    assert got[5:7] == ("C'est le 6 Rue de Créqui.", "C'est le 6 bis Rue de Créqui.")


def test_lost_words_opening_with_au_keep_it_before_the_number():
    # "c'est au 6 rue d'Enghien" heard "c'est aussi Rue d'Enghien": weighed without the
    # "au", "C'est 2 Rue" came first; with it, "C'est au 6 Rue" (held-out answers, seed 41).
    got = readings(["Alors c'est aussi Rue d'Enghien."], "Rue d'Enghien", (), "")
    assert got[5] == "Alors c'est au 6 Rue d'Enghien."
    got = readings(["Aucun Rue Du Guesclin, Allion."], "Rue Duguesclin", (), "", ("Lyon",))
    assert got[0] == "Au 1 Rue Duguesclin."
    # An "au" already heard is not doubled, and other lost words get none.
    brotteaux = "Boulevard des Brotteaux"
    got = readings([f"Peuf, c'est au sein de {brotteaux}."], brotteaux, (), "")
    assert got[0] == f"Peuf, c'est au 1 {brotteaux}."
    got = readings(["C'est tout vite, Avenue Maréchal Foch."], "Avenue Maréchal Foch", (), "")
    assert got[0] == "C'est 1 Avenue Maréchal Foch."


def test_no_number_and_no_words_for_one_gives_nothing_to_weigh():
    # Readings with and without a number differ in length: not comparable without an
    # end-of-speech term, so what was heard stands.
    assert readings(["Alors, Rue Antoine Charial."], "Rue Antoine Charial", (), "") == ()
    assert readings(["Rue Gasparin, Lyon."], "Rue Gasparin", (), "", ("Lyon",)) == ()


def test_a_trace_in_any_hypothesis_is_weighed():
    # Whole calls: the second hearing wrote "Aux 40 Cours Émile Zola" for "au 42 cours ...",
    # the first hearing behind it "40 de cours et milles".
    hyps = ["Aux 40 Cours Émile Zola, à Villeurbanne.", "O 40 de cours et milles à Villeurbanne"]
    got = readings(hyps, "Cours Émile Zola", (), ", à Villeurbanne")
    assert got[:3] == (
        "Aux 40 Cours Émile Zola, à Villeurbanne.",
        "Aux 41 Cours Émile Zola, à Villeurbanne.",
        "Aux 42 Cours Émile Zola, à Villeurbanne.",
    )
    assert readings(hyps[:1], "Cours Émile Zola", (), "") == ()


def test_a_corrected_number_is_weighed_after_the_correction():
    # "Au 35, non, 33 avenue Jean Jaurès": weighed as "Au 35 ..." the number taken back
    # sounded likelier than the one kept (-30.0 against -36.8, Pico through mu-law).
    hyps = [
        "Au 35, non, 33 Avenue Jean Jaurès, Avenue Jules.",
        "Au 35, non, 33 Avenue Jean-Jaurès.",
    ]
    got = readings(hyps, "Avenue Jean Jaurès", (), ", à Vénissieux")
    assert got[0] == "Au 35 non 33 Avenue Jean Jaurès, à Vénissieux."
    assert all(r.startswith("Au 35 non ") for r in got)
    assert heard_numbers(hyps, "Avenue Jean Jaurès") == [33]
    # Whole calls: "Euh, 4, non pardon, 14 rue Victor Hugo" heard "1, 4, non pardon, 4 Rue".
    hyps = ["1, 4, non pardon, 4 Rue Victor Hugo, Allion.", "1, 4, non pardon, 14 Rue Victor"]
    got = readings(hyps, "Rue Victor Hugo", (), "")
    assert got[:2] == ("1 4 non pardon 4 Rue Victor Hugo.", "1 4 non pardon 14 Rue Victor Hugo.")
    # A number with no correction after it: all numbers heard are weighed, as before.
    assert heard_numbers(["Non, c'est au 12 rue Garibaldi"], "Rue Garibaldi") == [12]


def test_a_number_lost_after_a_correction_is_weighed_after_it():
    # "Au 51, non pardon, 9 Quai Fulchiron" heard "..., ne ce qu'elle s'ulchiront": the
    # readings keep what was taken back, the lost number weighed in the words after it.
    text = "Au 51, non pardon, ne ce qu'elle s'ulchiront, allion."
    got = readings([text], "Quai Fulchiron", (), "", ("Lyon",))
    assert got[8] == "Au 51, non pardon, 9 Quai Fulchiron." and len(got) == 16
    # Taken back and nothing left after the correction but cues: nothing to weigh.
    heard = "O 17, non pardon, C'est Rue Saint-Georges."
    assert readings([heard], "Rue Saint-Georges", (), "") == ()
