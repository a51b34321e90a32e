"""PlaceReader on matches the area can return: a town with a number but no street."""

from __future__ import annotations

from collections.abc import Sequence

from agent.dialogue.places import PlaceReader, renumbered
from agent.dialogue.stages import Stage, hint_for
from nlp.types import AddressMatch, TownMatch, Understanding

from .fake_area import lyon_area


class _TownOnlyArea:
    """An area whose street matcher finds only the town (Whisper lost the street name)."""

    def towns(self) -> tuple[str, ...]:
        return ("Villeurbanne",)

    def neighbour_towns(self) -> tuple[str, ...]:
        return ()

    def street_names(self, town: str | None = None) -> tuple[str, ...]:
        return ("Cours Émile Zola",)

    def match_address(
        self, hypotheses: Sequence[str], town: str | None = None
    ) -> AddressMatch | None:
        return AddressMatch("", "40", None, "Villeurbanne", 1.0, hypotheses[0], True, False)

    def match_street(self, hypotheses: Sequence[str], town: str | None) -> AddressMatch | None:
        return None

    def house_numbers(self, street: str, town: str | None) -> tuple[str, ...]:
        return ()

    def match_town(self, hypotheses: Sequence[str]) -> TownMatch | None:
        return None


def test_a_number_alone_is_not_stored_as_the_street() -> None:
    reader = PlaceReader(_TownOnlyArea(), threshold=0.7)
    heard = ["40 de cour et mise là."]
    for place in (
        reader.street(heard, 0.9, Understanding(False, "other", 0.5), "Villeurbanne"),
        reader.address(heard, 0.9, Understanding(False, "other", 0.5), "Villeurbanne"),
    ):
        assert place.street is None and place.street_confidence == 0.0
        assert place.city == "Villeurbanne"


# -- the second hearing of a street answer (agent.speech.narrowing) -------------------------


def test_a_street_question_narrows_to_the_streets_of_the_town_known():
    hint = hint_for(Stage.STREET, lyon_area(), (), "Villeurbanne")
    assert hint.narrow is not None
    assert hint.narrow(["au 3 cours et mille zola"]).choices[0] == "Cours Émile Zola"
    # The streets of another town are not candidates; the town known is no context to add.
    assert "Rue Garibaldi" not in hint.narrow(["rue garibaldi"]).choices
    assert hint.narrow(["rue garibaldi"]).context == ()


def test_an_address_question_narrows_to_the_town_heard_and_keeps_it():
    hint = hint_for(Stage.ADDRESS, lyon_area(), (), None)
    assert hint.narrow is not None
    found = hint.narrow(["12 rue des lila a Bron"])
    # The town heard is context for the prompt, not one of the choices.
    assert found.choices[0] == "Rue des Lilas" and found.context == ("Bron",)
    assert "Bron" not in found.choices


def test_a_street_matched_almost_as_written_is_named_for_the_second_hearing_to_keep():
    garbled = {"rue des lila": ("Rue des Lilas", 0.9), "cours et mille": ("Cours Émile Zola", 0.7)}
    area = lyon_area(garbled_streets=garbled)
    narrow = hint_for(Stage.ADDRESS, area, (), None).narrow
    assert narrow is not None and narrow(["12 rue des lila a Bron"]).heard == "Rue des Lilas"
    # Garbled words matched loosely name nothing for sure: the second hearing decides.
    narrow = hint_for(Stage.STREET, area, (), "Villeurbanne").narrow
    assert narrow is not None and narrow(["au 3 cours et mille zola"]).heard is None


def test_no_area_or_another_question_does_not_narrow():
    assert hint_for(Stage.STREET, None, ("Lyon",), "Lyon").narrow is None
    assert hint_for(Stage.PHONE, lyon_area(), (), "Lyon").narrow is None
    assert hint_for(Stage.SPELL_NAME, lyon_area(), (), "Lyon").narrow is None


def test_a_name_question_narrows_to_the_closest_listed_surnames():
    hint = hint_for(Stage.NAME, None, (), None)
    assert hint.narrow is not None
    assert "Marchand" in hint.narrow(["On remarchant"]).choices
    # A first name that is also a listed surname is no candidate (it would be copied).
    assert "Julien" not in hint.narrow(["Julien Moreau"]).choices


def test_a_hesitation_heard_for_a_name_is_not_narrowed_into_a_surname():
    # "Euh... Petit." cut after "Euh...", heard "C'est...": told five surnames, Whisper wrote
    # "Dreyfus." and the dialogue took it (two whole calls of one run).
    hint = hint_for(Stage.NAME, None, (), None)
    assert hint.narrow is not None
    for heard in (["C'est...", "T'es..."], ["Oui, c'est bon."], ["Euh..."], []):
        assert hint.narrow(heard).choices == ()


# -- the house number weighed against the audio (agent.speech.rescoring) --------------------


def test_a_street_answer_with_a_number_is_weighed_with_the_numbers_it_may_be():
    hint = hint_for(Stage.STREET, lyon_area(), (), "Villeurbanne")
    assert hint.rescore is not None
    got = hint.rescore(["Au 40 de Cours Émile Zola"])
    assert got[:3] == (
        "Au 40 Cours Émile Zola.",
        "Au 41 Cours Émile Zola.",
        "Au 42 Cours Émile Zola.",
    )
    # The town heard in a whole address is said again after the street.
    address = hint_for(Stage.ADDRESS, lyon_area(), (), None)
    assert address.rescore is not None
    lilas = address.rescore(["Rue des Lilas, au 7, à Bron"])
    assert lilas[0] == "Rue des Lilas, au 7, à Bron."
    # A town not heard is not written in: whole call, "Au 4 rue de la République, à
    # Meyzieu." heard "... à mes yeux.", weighed as "..., à Lyon." (the town the matcher
    # found the street in), which the lead then took for sure.
    lilas = address.rescore(["Au 40 de rue des Lilas, à mes yeux."])
    assert lilas[:2] == ("Au 40 Rue des Lilas.", "Au 41 Rue des Lilas.")


def test_no_street_matched_or_no_number_heard_weighs_nothing():
    hint = hint_for(Stage.STREET, lyon_area(), (), "Villeurbanne")
    assert hint.rescore is not None
    assert hint.rescore(["Au 40 de la rue des Tanneurs"]) == ()
    assert hint.rescore(["Alors, Cours Émile Zola."]) == ()
    assert hint.rescore(["Cours Émile Zola, où n'est-ce"])[0] == "Cours Émile Zola, au 1."
    assert hint_for(Stage.STREET, None, ("Lyon",), "Lyon").rescore is None
    assert hint_for(Stage.NAME, lyon_area(), (), "Lyon").rescore is None
    town_only = hint_for(Stage.ADDRESS, _TownOnlyArea(), (), None).rescore
    assert town_only is not None and town_only(["40 de cour et mise là."]) == ()


def test_an_answer_that_already_holds_a_candidate_is_heard_once():
    # Told the candidates, Whisper would write the same: no second hearing (~350 ms).
    street = hint_for(Stage.STREET, lyon_area(), (), "Villeurbanne").narrow
    assert street is not None and street(["12 Cours Émile Zola."]).choices == ()
    assert street(["12 cours et mille zola"]).choices[0] == "Cours Émile Zola"
    name = hint_for(Stage.NAME, None, (), None).narrow
    assert name is not None and name(["Sophie Marchand."]).choices == ()
    assert "Marchand" in name(["On remarchant"]).choices


def test_a_same_street_with_a_number_of_its_own_is_renumbered():
    assert renumbered("80 Rue Garibaldi", "90 Rue Garibaldi")
    assert renumbered("Rue Garibaldi", "12 bis Rue Garibaldi")
    assert renumbered("40 bis rue Garibaldi", "42 Rue Garibaldi")
    assert not renumbered("80 Rue Garibaldi", "Rue Garibaldi")  # no number: nothing to take
    assert not renumbered("80 Rue Garibaldi", "2 Place Bellecour")
