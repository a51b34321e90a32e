"""The streets `make eval-outside` says are outside the demo file, and how it scores a match."""

from __future__ import annotations

from agent.area.service import SqliteServiceArea
from devkit.eval.outside_streets import OUTSIDE, outside_streets, verdict
from nlp.types import AddressMatch


def test_the_outside_set_is_outside_the_demo_file(demo_area: SqliteServiceArea) -> None:
    # A street the demo file comes to list would silently leave the set: it must stay whole.
    assert outside_streets(demo_area) == list(OUTSIDE)


def test_a_match_is_judged_on_its_street() -> None:
    listed = AddressMatch("Rue Vendôme", "4", "69006", "Lyon", 1.0, "4 rue Vendôme", True, True)
    heard = AddressMatch("rue Vauban", "4", None, "Lyon", 0.5, "4 rue Vauban", False, False)
    town = AddressMatch("", "4", None, "Lyon", 1.0, "au 4 à Lyon", True, False)
    assert verdict(listed, "rue Vendôme") == "listed right"
    assert verdict(listed, "rue Vauban") == "listed wrong"
    assert verdict(heard, "rue Vauban") == "as heard"
    assert verdict(town, "rue Vauban") == "town alone"
    assert verdict(None, "rue Vauban") == "nothing"
