"""devkit.eval.phone_replay: which caller turns answer the number question, the halves."""

import json

from devkit.eval.phone_replay import call_pairs, halves, phone_turns


def _turn(speaker: str, text: str, **more: object) -> dict[str, object]:
    return {"speaker": speaker, "text": text, **more}


def test_only_answers_to_the_number_question_count_and_a_split_answer_once():
    transcript = [
        _turn("agent", "Quelle est la rue, avec le numéro ?"),
        _turn("caller", "Douze rue de la Gare."),
        _turn("agent", "À quel numéro pouvons-nous vous rappeler ?"),
        _turn("caller", "Zéro six, douze", continued=True),
        _turn("agent_interrupted", "Très bien"),
        _turn("caller", "Zéro six, douze, trente-quatre.", continues_previous=True),
        _turn("agent", "Je peux vous rappeler au 06 12 34 56 78 ?"),
        _turn("caller", "Non, le zéro sept."),
    ]
    said = [str(t["text"]) for t in phone_turns(transcript, confirm=False)]
    assert said == ["Zéro six, douze, trente-quatre."]
    said = [str(t["text"]) for t in phone_turns(transcript, confirm=True)]
    assert said[-1] == "Non, le zéro sept."


def test_halves_alternate_over_the_sorted_ids():
    assert halves(["c", "a", "b"]) == {"a": "tune", "b": "held", "c": "tune"}


def test_call_pairs_read_a_run_file(tmp_path):
    report = {
        "persona": "chauffagiste-entretien-chaudiere",
        "transcript": [
            _turn("agent", "À quel numéro pouvons-nous vous rappeler ?"),
            _turn("caller", "Zéro quatre, soixante-douze, trente-trois.", confidence=0.7),
        ],
    }
    run = tmp_path / "run.jsonl"
    run.write_text(json.dumps({"report": report}) + "\nnot json\n", "utf-8")
    pairs = call_pairs(str(run))
    assert [(p.texts, p.want, p.stt) for p in pairs] == [
        (("Zéro quatre, soixante-douze, trente-trois.",), "+33472331846", 0.7)
    ]
