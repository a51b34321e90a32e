"""Towns around the area (nlp.gazetteer, agent.area.neighbours): a caller from just outside
is named right and kept outside, and no served town is taken from their words."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from agent.area import neighbours as neighbours_module
from agent.area.index import ensure_index
from agent.area.neighbours import neighbour_towns
from agent.area.service import SqliteServiceArea
from agent.area.settings import DEMO_ADDRESSES
from agent.dialogue.places import PlaceReader
from nlp.gazetteer import towns_near
from nlp.types import Understanding

from .conftest import DEMO_TOWNS

_NOTHING = Understanding(urgent=False, category="autre", confidence=0.0)


def test_the_towns_near_lyon_and_not_its_own_arrondissements() -> None:
    near = towns_near(DEMO_TOWNS)
    assert {"Meyzieu", "Vaulx-en-Velin", "Villefranche-sur-Saône", "Saint-Priest"} <= set(near)
    assert not set(DEMO_TOWNS) & set(near)
    assert not any(name.startswith("Lyon ") for name in near)  # "Lyon 07" is Lyon
    assert "Marseille" not in near and "Grenoble" not in near  # 100 km and more
    assert near.index("Vaulx-en-Velin") < near.index("Villefranche-sur-Saône")  # nearest first
    assert towns_near(("Nowhere-sur-Rien",)) == ()


def test_neighbours_are_cached_and_merged_with_the_files_other_towns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = neighbour_towns(("Bron",), tmp_path, also=("Corbas", "Bron", "Écully-Est"))
    (cached,) = tmp_path.glob("neighbours-*.json")
    assert json.loads(cached.read_text("utf-8"))[0] != "Bron"
    assert "Vénissieux" in first and first[-1] == "Écully-Est" and "Bron" not in first
    assert first.count("Corbas") == 1

    def no_gazetteer(served: object) -> tuple[str, ...]:
        raise AssertionError("read from the cache, not the gazetteer")

    monkeypatch.setattr(neighbours_module, "towns_near", no_gazetteer)
    assert neighbour_towns(("Bron",), tmp_path, also=("Corbas", "Bron", "Écully-Est")) == first
    assert neighbour_towns((), tmp_path) == ()


@pytest.fixture(scope="module")
def area_and_around(tmp_path_factory: pytest.TempPathFactory) -> SqliteServiceArea:
    cache: Path = tmp_path_factory.mktemp("area")
    db = ensure_index(DEMO_ADDRESSES, cache).path
    return SqliteServiceArea(DEMO_TOWNS, db, neighbour_towns(DEMO_TOWNS, cache))


def test_a_neighbouring_town_heard_garbled_is_named_and_kept_outside(
    area_and_around: SqliteServiceArea,
) -> None:
    # Whole call: "Villefranche-sur-Saône." heard so; alone it matched no served town.
    found = area_and_around.match_town(["Vas-y, le franche sur sonne."])
    assert found is not None and found.city == "Villefranche-sur-Saône" and not found.in_area
    said = area_and_around.match_address(["8 rue de la mairie, à Mézieu."])
    assert said is not None and said.city == "Meyzieu" and not said.in_area


def test_a_neighbour_glued_to_its_a_or_cut_at_ville_is_named(
    area_and_around: SqliteServiceArea,
) -> None:
    # Whole calls (s17b): "C'est au 12 rue Nationale, à Villefranche-sur-Saône." heard
    # "..., Avile Srange sur Sonne." on top and "..., à Ville-Srange sur Sonne." below:
    # the lead had no town, and a lower hypothesis gave Villeurbanne.
    said = ["C'est au 12 Rue Nationale, Avile Srange sur Sonne.",
            "C'est au 12 Rue Nationale, à Ville-Srange sur Sonne.",
            "C'est au 12 Rue Nationale, à Ville-Srange sur Somme."]  # fmt: skip
    found = area_and_around.match_address(said)
    assert found is not None and found.city == "Villefranche-sur-Saône" and not found.in_area
    found = area_and_around.match_address(said[:1])
    assert found is not None and found.city == "Villefranche-sur-Saône" and not found.in_area
    # A neighbour's name inside a street's name is not the town ("Vienne" is one).
    found = area_and_around.match_address(["12 rue de Vienne à Grenoble."])
    assert found is not None and found.city == "Grenoble" and not found.in_area
    # "à Vénissieux" heard "Avenue Miceux" after the street: a served town, glued to its "à".
    found = area_and_around.match_address(["Le 118, Avenue Jean Jaurès, Avenue Miceux."])
    assert found is not None and (found.street, found.city) == ("Avenue Jean Jaurès", "Vénissieux")


def test_the_town_question_names_the_neighbour_the_address_named(
    area_and_around: SqliteServiceArea,
) -> None:
    from agent.dialogue.stages import Stage, hint_for

    # Told only the served towns, Whisper wrote "Villeurbanne, Villeurbanne," for
    # "Villefranche-sur-Saône." (whole calls, s17b).
    served = area_and_around.towns()
    phrases = hint_for(Stage.CITY, area_and_around, (), "Villefranche-sur-Saône").phrases
    assert phrases == ("Villefranche-sur-Saône", *served)
    for town in ("Lyon", "Gilbert-Dan", None):  # served, known to no list, none yet
        assert hint_for(Stage.CITY, area_and_around, (), town).phrases == served


def test_a_town_answer_naming_no_town_is_heard_again_with_the_nearest_neighbours(
    area_and_around: SqliteServiceArea,
) -> None:
    from agent.dialogue.stages import NARROWED_TOWNS, Stage, hint_for

    narrow = hint_for(Stage.CITY, area_and_around, (), None).narrow
    assert narrow is not None
    # "Meyzieu." heard "Un milieu." (whole calls: "Milleur.", "Médieux."): no town named.
    again = narrow(["Un milieu."])
    assert "Meyzieu" in again.choices and len(again.choices) <= NARROWED_TOWNS
    assert again.context == area_and_around.towns()  # the served towns stay in the prompt
    # A town named (served or near), or no word to go on: the first hearing stands.
    for heard in ("Lyon.", "Abron.", "Meyzieu.", "Euh..."):
        assert narrow([heard]).choices == (), heard


@pytest.mark.parametrize(
    ("heard", "town"),
    [("Léon.", "Lyon"), ("À Villeurbanne.", "Villeurbanne"), ("Allion.", "Lyon"),
     ("Caluire.", "Caluire-et-Cuire"), ("Vénissieux.", "Vénissieux"), ("Bron.", "Bron")],
)  # fmt: skip
def test_served_towns_heard_as_before(
    area_and_around: SqliteServiceArea, heard: str, town: str
) -> None:
    found = area_and_around.match_town([heard])
    assert found is not None and found.city == town and found.in_area


def test_the_dialogue_keeps_a_neighbouring_town_flagged(
    area_and_around: SqliteServiceArea,
) -> None:
    reader = PlaceReader(area_and_around, threshold=0.6)
    place = reader.town(["Vas-y, le franche sur sonne."], 0.9, _NOTHING)
    assert place.city == "Villefranche-sur-Saône" and place.town_confidence < 0.6
    whole = reader.address(["12 rue Nationale, à Meyzieu."], 0.9, _NOTHING, None)
    assert whole.city == "Meyzieu" and whole.town_confidence < 0.6


def test_a_failed_gazetteer_leaves_the_area_without_neighbours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/false")
    assert neighbour_towns(("Bron",), tmp_path) == ()
    assert "towns around the area not read" in caplog.text
    assert not list(tmp_path.glob("neighbours-*.json"))  # tried again at the next start


def test_a_neighbour_whose_name_holds_a_served_town_is_that_neighbour(
    area_and_around: SqliteServiceArea,
) -> None:
    # Held-out Bordeaux towns: "Artigues-près-Bordeaux" heard "Artic Prébordeaux" was Bordeaux.
    for heard in ("À Sainte Foie les Lyon.", "Sainte-Foy-lès-Lyon."):
        town = area_and_around.match_town([heard])
        assert town is not None and town.city == "Sainte-Foy-lès-Lyon" and not town.in_area
    said = area_and_around.match_address(["12 rue Pasteur, à Sainte-Foy-lès-Lyon."])
    assert said is not None and said.city == "Sainte-Foy-lès-Lyon" and not said.in_area
    lyon = area_and_around.match_address(["12 rue Pasteur, à Lyon."])
    assert lyon is not None and lyon.city == "Lyon" and lyon.in_area
