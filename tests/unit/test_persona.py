"""Persona files for `decroche simulate`, question -> answer mapping, and the eval set itself."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from agent.config import PROJECT_ROOT
from agent.speech.hint import QUESTIONS
from devkit.sim.persona import (
    ANSWER_KEYS,
    DEFAULT_OTHER,
    PersonaError,
    answer_key,
    load_persona,
    parse_persona,
)
from devkit.sim.simulate import main as simulate_main
from nlp.types import TRADES

EVAL = PROJECT_ROOT / "eval/personas"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_persona_file_is_read_and_unknown_keys_are_ignored(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'id = "fuite"\ncaller_id = "0698765432"\nmood = "calme"\n'
        '[answers]\nproblem = "Une fuite."\nname = "Anne Roy."\nlater_question = "Plus tard."\n'
        "[expect]\nurgent = true\n",
    )
    persona = load_persona(path)
    assert persona.id == "fuite"
    assert persona.caller_id == "0698765432" and not persona.hidden_number
    assert dict(persona.answers) == {"problem": "Une fuite.", "name": "Anne Roy."}
    assert persona.expect == {"urgent": True}


def test_empty_caller_id_is_a_hidden_number(tmp_path: Path) -> None:
    persona = load_persona(_write(tmp_path, 'id = "x"\ncaller_id = ""\n'))
    assert persona.hidden_number


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('id = "x"\n[answers\n', "not valid TOML"),
        ('caller_id = "0698765432"\n', "missing `id`"),
        ('id = ""\n', "missing `id`"),
        ('id = "x"\n[answers]\nname = 3\n', "answers.name must be a string"),
        ('id = "x"\ncaller_id = 612345678\n', "caller_id"),
    ],
)
def test_a_bad_persona_file_is_refused_clearly(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(PersonaError, match=message) as caught:
        load_persona(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_simulate_refuses_a_bad_persona_before_starting_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, 'caller_id = ""\n')
    assert simulate_main([str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("decroche simulate:") and "missing `id`" in err
    assert len(err.splitlines()) == 1


def test_each_question_of_the_dialogue_maps_to_an_answer_key() -> None:
    for question in QUESTIONS:
        key = answer_key(question)
        assert key in ANSWER_KEYS
        assert key == (question if question != "which_field" else "other")
    assert answer_key("a_question_added_later") == "other"


def test_a_missing_answer_falls_back_to_other(tmp_path: Path) -> None:
    persona = load_persona(
        _write(tmp_path, 'id = "x"\n[answers]\nname = "Luc Roy."\nother = "Aucune idée."\n')
    )
    assert persona.answer("name") == "Luc Roy."
    assert persona.answer("street") == "Aucune idée."
    assert persona.answer("which_field") == "Aucune idée."
    bare = load_persona(_write(tmp_path, 'id = "y"\n'))
    assert bare.answer("phone") == DEFAULT_OTHER


def test_the_evaluation_set_covers_what_the_issue_asks() -> None:
    personas = [load_persona(path) for path in sorted(EVAL.glob("*.toml"))]
    assert len(personas) >= 40
    assert len({p.id for p in personas}) == len(personas)
    for persona in personas:
        missing = {"trade", "urgent", "surname", "street", "number", "town", "phone"}
        assert not missing - set(persona.expect), persona.id
        assert persona.expect["trade"] in TRADES
        assert {"problem", "name", "address", "readback"} <= set(persona.answers), persona.id
    trades = Counter(p.expect["trade"] for p in personas)
    assert set(trades) == {"plombier", "serrurier", "electricien", "chauffagiste", "couvreur",
                           "vitrier"}  # fmt: skip
    assert sum(p.expect["urgent"] for p in personas) >= 10
    assert sum(not p.expect["urgent"] for p in personas) >= 10
    assert sum(p.hidden_number for p in personas) >= 5
    assert any(not p.expect.get("in_area", True) for p in personas)
    # a street that exists in two towns, said with each
    towns_by_street: dict[str, set[str]] = {}
    for p in personas:
        towns_by_street.setdefault(p.expect["street"], set()).add(p.expect["town"])
    assert any(len(towns) > 1 for towns in towns_by_street.values())


def test_urgency_question_is_answered_from_the_callers_own_problem() -> None:
    routine = parse_persona({"id": "p", "expect": {"urgent": False}})
    assert routine.answer("urgent") == "Non, ça peut attendre."
    said = parse_persona(
        {"id": "p", "answers": {"urgent": "Oui, vite."}, "expect": {"urgent": False}}
    )
    assert said.answer("urgent") == "Oui, vite."
    assert parse_persona({"id": "p"}).answer("urgent") == "Je ne sais pas."
