"""A simulated caller: what a person says, keyed by the question the agent asked.

A persona file (TOML) holds an `id`, the caller ID (`""` = hidden number), an `[answers]`
table keyed by question (see `ANSWER_KEYS`) and, for the evaluator only, an `[expect]` table.
Unknown answer keys are ignored so that later questions can be added without breaking old
persona files; a question without an answer falls back to `other`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.speech.hint import QUESTIONS

__all__ = ["ANSWER_KEYS", "DEFAULT_OTHER", "Persona", "PersonaError", "answer_key", "load_persona"]

# The questions a person tells apart; the agent's `which_field` ("le nom, l'adresse ou le
# numéro ?") and anything unknown are answered with `other`.
ANSWER_KEYS: tuple[str, ...] = tuple(q for q in QUESTIONS if q != "which_field")
DEFAULT_OTHER = "Je ne sais pas."
URGENT_ANSWERS = {True: "Oui, c'est urgent.", False: "Non, ça peut attendre."}


class PersonaError(ValueError):
    """A persona file that cannot be used (not TOML, no id, wrong types)."""


def answer_key(question: str) -> str:
    """The persona key answering the agent's question (`Hint.question`)."""
    return question if question in ANSWER_KEYS else "other"


@dataclass(frozen=True)
class Persona:
    id: str
    caller_id: str  # "" = hidden number
    answers: Mapping[str, str]
    expect: Mapping[str, Any] = field(default_factory=dict)
    source: Path | None = None

    @property
    def hidden_number(self) -> bool:
        return not self.caller_id

    def answer(self, question: str) -> str:
        """What this caller says when asked `question`; `other` when they have no answer.
        Asked whether it is urgent, a caller without an `urgent` line answers from what
        they know of their own problem (`[expect] urgent`), as a person would."""
        key = answer_key(question)
        said = self.answers.get(key)
        if not said and key == "urgent" and isinstance(self.expect.get("urgent"), bool):
            said = URGENT_ANSWERS[self.expect["urgent"]]
        return said or self.answers.get("other") or DEFAULT_OTHER


def load_persona(path: Path) -> Persona:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PersonaError(f"{path}: no such persona file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PersonaError(f"{path}: not valid TOML: {exc}") from None
    return parse_persona(data, path)


def parse_persona(data: Mapping[str, Any], source: Path | None = None) -> Persona:
    where = str(source) if source else "persona"
    ident = data.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise PersonaError(f"{where}: missing `id` (a non-empty string)")
    caller_id = data.get("caller_id", "")
    if not isinstance(caller_id, str):
        raise PersonaError(f'{where}: `caller_id` must be a string ("" = hidden number)')
    raw_answers = data.get("answers", {})
    if not isinstance(raw_answers, Mapping):
        raise PersonaError(f"{where}: [answers] must be a table")
    answers: dict[str, str] = {}
    for key, value in raw_answers.items():
        if key not in ANSWER_KEYS:
            continue  # later work adds questions; an old simulator ignores them
        if not isinstance(value, str):
            raise PersonaError(f"{where}: answers.{key} must be a string")
        answers[key] = value
    expect = data.get("expect", {})
    if not isinstance(expect, Mapping):
        raise PersonaError(f"{where}: [expect] must be a table")
    return Persona(ident.strip(), caller_id.strip(), answers, dict(expect), source)
