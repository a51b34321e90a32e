from nlp.candidates import closest_names

STREETS = (
    "Rue Bugeaud", "Rue Garibaldi", "Cours Vitton", "Rue de la République", "Rue Masséna",
    "Avenue Jean Jaurès", "Place de Trion", "Rue Pré-Gaudry", "Boulevard Vivier Merle",
)  # fmt: skip


def test_a_garbled_street_brings_its_name_first():
    assert closest_names(["Alors, 7 Rubigeaux."], STREETS, 3)[0] == "Rue Bugeaud"
    assert closest_names(["Euf, c'est au 75 rue Macéna."], STREETS, 3)[0] == "Rue Masséna"


def test_every_hypothesis_counts_and_the_limit_holds():
    found = closest_names(["Cinq représgoudré.", "huit classes de trion"], STREETS, 2)
    assert set(found) == {"Rue Pré-Gaudry", "Place de Trion"}


def test_nothing_close_gives_nothing():
    assert closest_names(["oui"], ("Boulevard Vivier Merle",), 3) == ()
    assert closest_names([""], STREETS, 3) == ()
