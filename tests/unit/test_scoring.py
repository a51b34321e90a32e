"""Scoring a simulated call against its persona's [expect] table."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from devkit.sim.evaluate import _config_for, area_towns, listed
from devkit.sim.scoring import normalise, score, summarise

EXPECT = {
    "urgent": True,
    "surname": "Le Gall",
    "street": "Rue Garibaldi",
    "number": "40 bis",
    "town": "Caluire-et-Cuire",
    "phone": "+33698765432",
}


def _report(**lead: Any) -> dict[str, Any]:
    base = {
        "urgent": True,
        "name": "Yannick Le Gall",
        "street": "40 bis rue Garibaldi",
        "city": "Caluire et Cuire",
        "caller_number": "+33698765432",
    }
    return {
        "persona": "p",
        "call": {"ended_at": "2026-01-01T00:00:00"},
        "lead": {**base, **lead},
        "questions": ["problem", "name", "address", "readback"],
        "turn_ms": [1500, 2100, 1800],
    }


def test_normalise_ignores_case_accents_hyphens_and_punctuation() -> None:
    assert normalise("Caluire-et-Cuire") == normalise("caluire et cuire")
    assert normalise("Cours Émile-Zola,") == "cours emile zola"
    assert normalise("Léon") != normalise("Lyon")
    assert normalise(None) == ""


def test_a_right_lead_scores_every_field() -> None:
    result = score(_report(), EXPECT)
    assert all(result.fields.values()), result.fields
    assert result.max_asks == 1


def test_wrong_fields_are_wrong() -> None:
    result = score(
        _report(urgent=False, name="Poules Durant", street="40 rue Garibaldi", city="Léon"),
        EXPECT,
    )
    assert result.fields["urgency"] is False
    assert result.fields["surname"] is False
    assert result.fields["street"] is False  # the "bis" is part of the number
    assert result.fields["town"] is False
    assert result.fields["callback"] is True


def test_no_lead_and_open_row_score_wrong() -> None:
    report: dict[str, Any] = {
        "persona": "p",
        "call": {"ended_at": None},
        "lead": None,
        "questions": [],
    }
    result = score(report, EXPECT)
    assert result.fields["row_closed"] is False
    assert result.fields["urgency"] is False and result.fields["callback"] is False


def test_street_outside_the_area_is_not_scored_and_repeats_are_counted() -> None:
    report = _report()
    report["questions"] = ["problem", "name", "name", "name", "address"]
    result = score(report, {**EXPECT, "in_area": False})
    assert result.fields["street"] is None
    assert result.max_asks == 3
    summary = summarise([result, score(_report(), EXPECT)])
    assert summary.rates["street"] == (1, 1)
    assert summary.rates["urgency"] == (2, 2)
    assert summary.over_asked == ("p",)
    assert summary.turn_ms_median == 1800


def test_a_street_missing_from_the_area_file_is_not_scored(tmp_path: Path) -> None:
    area = tmp_path / "area.csv"
    area.write_text(
        "numero;rep;nom_voie;code_postal;nom_commune\n"
        "40;bis;Rue Garibaldi;69300;Caluire-et-Cuire\n"
        "3;;Montée des Forts;69300;Caluire-et-Cuire\n",
        encoding="utf-8",
    )
    assert listed(EXPECT, area)["in_file"] is True
    elsewhere = listed({**EXPECT, "street": "Montée des Soldats"}, area)
    assert elsewhere["in_file"] is False
    assert score(_report(street="montée des Soldats"), elsewhere).fields["street"] is None
    assert score(_report(street="Rue Coste"), listed(EXPECT, area)).fields["street"] is False


def test_another_area_gives_the_business_its_towns_and_streets(tmp_path: Path) -> None:
    area = tmp_path / "nantes.csv"
    area.write_text(
        "numero;rep;nom_voie;code_postal;nom_commune\n"
        "9;;Rue Jean Jaurès;44400;Rezé\n"
        "3;;Rue Jean Jaurès;44000;Nantes\n"
        "12;;Route de Rennes;44700;Orvault\n",
        encoding="utf-8",
    )
    assert area_towns(area) == ("Rezé", "Nantes", "Orvault")
    config = tomllib.loads(_config_for("serrurier", tmp_path, "", area).read_text("utf-8"))
    assert config["business"]["towns"] == ["Rezé", "Nantes", "Orvault"]
    assert config["business"]["trade"] == "serrurier"
    assert Path(config["area"]["addresses"]) == area.resolve()
    assert listed({**EXPECT, "street": "Rue Jean Jaurès", "town": "Rezé"}, area)["in_file"]


def test_calls_put_through_are_reported_apart_for_the_fields_asked_while_ringing() -> None:
    through = score(_report(outcome="transferred", name="Yannick Legal"), EXPECT)
    kept = score(_report(outcome="callback_needed"), EXPECT)
    assert through.put_through and not kept.put_through
    summary = summarise([through, kept])
    assert summary.put_through == {"street": (1, 1), "surname": (0, 1)}
    assert summary.not_put_through == {"street": (1, 1), "surname": (1, 1)}
    assert summary.rates["surname"] == (1, 2)
    assert summary.as_dict()["put_through"] == {"street": [1, 1], "surname": [0, 1]}
