"""Per-expectation decoding set-ups and the text clean-ups (no model needed)."""

from __future__ import annotations

import re

import pytest

from agent.speech.decoding import (
    FIRST_NAMES,
    PROFILES,
    collapse_repeats,
    drop_cut_repeat,
    echoes_question,
    plan,
)
from agent.speech.hallucinations import is_hint_echo
from agent.speech.hint import EXPECTATIONS, Expectation, Hint
from agent.speech.settings import SttSettings
from agent.speech.whisper_direct import FULL_WINDOW, WindowRule

STREETS = tuple(f"Rue numéro {n} de la ville" for n in range(60))


def test_every_expectation_has_a_profile() -> None:
    assert set(PROFILES) == set(EXPECTATIONS)


@pytest.mark.parametrize("expect", EXPECTATIONS)
def test_prompts_hold_no_example_content(expect: Expectation) -> None:
    """Whisper copies example letters and digits from a prompt (DESIGN §6)."""
    decoding = plan(Hint(expect, "other", ()), SttSettings(), 2.0)
    prompt = decoding.prompt or ""
    assert not re.search(r"\d", prompt)
    assert not re.search(r"\b[A-Z]\b,", prompt)  # no spelled letters
    assert 1 <= decoding.num_hypotheses <= decoding.beam_size


def test_name_prompt_holds_no_list_of_first_names() -> None:
    """Whisper copies listed names, and an answer made only of them is dropped as a hint
    echo: the name question's prompt is the question and the hint's phrases only."""
    decoding = plan(Hint("name", "name", ("Dubois",)), SttSettings(), 2.0)
    assert decoding.phrases == ("Dubois",)
    assert decoding.prompt is not None and decoding.prompt.endswith("C'est à quel nom ?")
    assert not any(first in decoding.prompt for first in FIRST_NAMES)
    assert not is_hint_echo("Gérard Lemoine.", decoding.phrases)


def test_token_budget_per_expectation() -> None:
    settings = SttSettings()
    budget = {e: plan(Hint(e), settings, 3.0).max_new_tokens for e in EXPECTATIONS}
    assert budget["yes_no"] <= 16
    assert budget["phone"] <= 40
    assert budget["yes_no"] < budget["town"] < budget["address"]
    # An open description gets a budget that follows its length, up to a bound.
    assert plan(None, settings, 1.0).max_new_tokens < plan(None, settings, 10.0).max_new_tokens
    assert plan(None, settings, 60.0).max_new_tokens == PROFILES["problem"].max_tokens
    # A long answer to a closed question cannot run away.
    assert plan(Hint("yes_no"), settings, 14.0).max_new_tokens == PROFILES["yes_no"].max_tokens
    # ... unless its "non" carries the answer: another callback number.
    confirm = Hint("yes_no", "phone_confirm")
    assert plan(confirm, settings, 0.8).max_new_tokens < 32  # a bare "Oui." stays short
    assert plan(confirm, settings, 8.0).max_new_tokens == 64


def test_phrases_bias_the_prompt_but_are_capped() -> None:
    decoding = plan(Hint("street", "street", STREETS), SttSettings(), 2.0)
    assert decoding.prompt is not None and "Rue numéro 0 de la ville" in decoding.prompt
    assert 0 < len(decoding.phrases) < len(STREETS)
    assert len(decoding.prompt) <= PROFILES["street"].phrase_chars + 40
    # Spelling must not be steered towards a word: its letters would be copied.
    spelled = plan(Hint("spell", "spell", ("Martin",)), SttSettings(), 2.0)
    assert "Martin" not in (spelled.prompt or "") and spelled.phrases == ()


def test_problem_keeps_the_trade_vocabulary_and_towns() -> None:
    settings = SttSettings(vocabulary=("chauffe-eau",), towns=("Antibes",))
    problem = plan(None, settings, 5.0)
    assert problem.prompt == "chauffe-eau, Antibes."
    assert plan(None, SttSettings(), 5.0).prompt is None  # nothing to bias: no prompt at all
    assert "chauffe-eau" not in (plan(Hint("town"), settings, 2.0).prompt or "")
    custom = plan(None, SttSettings(initial_prompt="Appel pour un plombier."), 5.0)
    assert custom.prompt == "Appel pour un plombier."


def test_beam_follows_settings_for_the_problem_only() -> None:
    assert plan(None, SttSettings(beam_size=1), 5.0).beam_size == 1
    assert plan(Hint("town"), SttSettings(beam_size=1), 2.0).num_hypotheses > 1


@pytest.mark.parametrize(
    ("looping", "expected"),
    [
        ("Rue Matabia, Rue Matabia, Rue Matabia, Rue Matab", "Rue Matabia,"),
        ("J'habite à Colomiers. J'habite à Colomiers.", "J'habite à Colomiers."),
        ("Rue Pargaminières, Rue de Muret, Rue de Muret, Rue de Muret, Rue de M", None),
        ("Muret Muret Muret", "Muret"),
        ("j j j j j j j j j j j j", "j"),  # seen on a barge-in turn in the sandbox
        ("N, G, G, G, G, G, G", "N, G,"),
    ],
)
def test_loops_are_cut_to_one_copy(looping: str, expected: str | None) -> None:
    if expected is None:
        expected = "Rue Pargaminières, Rue de Muret,"
    assert collapse_repeats(looping) == expected


@pytest.mark.parametrize(
    "said",
    [
        "Oui oui, vous pouvez.",
        "06 66 66 66 12",
        "0 6 6 6 6",
        "0 6 6 6 6 6 6 6 1 2",
        "B, E, L, L, E",
        "Non non.",
        "",
    ],
)
def test_real_repetitions_are_kept(said: str) -> None:
    assert collapse_repeats(said) == said


def test_question_given_back_is_recognised() -> None:
    assert echoes_question("C'est à quel nom !", "C'est à quel nom ?")
    assert not echoes_question("Au nom de Dupont.", "C'est à quel nom ?")
    assert not echoes_question("Oui.", None)


def test_hint_echo_is_only_the_phrases() -> None:
    phrases = ("Villeurbanne", "Rue de la République")
    assert is_hint_echo("Villeurbanne, Villeurbanne.", phrases)
    assert is_hint_echo("Rue de la République à Villeurbanne", phrases)
    assert not is_hint_echo("J'habite à Villeurbanne.", phrases)
    assert not is_hint_echo("Villeurbanne", ())


def test_window_fits_the_audio() -> None:
    rule = WindowRule(margin_s=3, floor_s=6)
    assert rule.frames(150) == 600
    assert rule.frames(801) == 1102  # even: the encoder halves it
    assert rule.frames(2900) == FULL_WINDOW
    assert WindowRule(margin_s=1, floor_s=2, scale=2).frames(500) == 1000


def test_a_restart_cut_by_the_budget_is_dropped() -> None:
    assert drop_cut_repeat("Non, c'est pas ça. Non, c'") == "Non, c'est pas ça."
    assert drop_cut_repeat("Bonjour. Je suis") == "Bonjour. Je suis"
    assert drop_cut_repeat("Oui.") == "Oui."


def test_the_retry_without_question_keeps_the_phrases() -> None:
    hinted = plan(Hint("street", "street", ("Rue Garibaldi",)), SttSettings(), 2.0)
    retry = hinted.without_question()
    assert retry.prompt == "Rue Garibaldi." and retry.question is None
    assert retry.phrases == hinted.phrases and retry.beam_size == hinted.beam_size
    assert plan(Hint("name", "name"), SttSettings(), 2.0).without_question().prompt is None


def test_a_question_given_back_in_part_and_changed_is_an_echo() -> None:
    spell = PROFILES["spell"].question
    # Whisper base for a spelled "F, O, U, R, N, I, E, R." on a whole call.
    assert echoes_question("Fouvez-vous épeler ? Fouvez-vous épeler", spell)
    assert not echoes_question("D, U, P, O, N, T", spell)
    assert not echoes_question("C'est Dupont", PROFILES["name"].question)
    assert not echoes_question("Dans la rue Garibaldi", PROFILES["street"].question)


def test_a_digit_looping_eight_times_is_cut() -> None:
    # Whisper base on "Au 45 avenue Camille Rousset, à Bron." in a whole call.
    looping = "O 45,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5"
    assert collapse_repeats(looping) == "O 45,5"
    assert collapse_repeats("O 45, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5") == "O 45, 5"
