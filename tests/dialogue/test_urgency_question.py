"""When the problem as heard does not tell whether it is urgent, the caller is asked.

"robinet qui goutte" gets p(urgent)=0.48 from the model: unsure either way (UNSURE_BAND)."""

from agent.dialogue.stages import Stage

UNSURE = "euh oui bonjour j'ai un souci avec mon robinet qui goutte"


def test_unsure_problem_asks_whether_it_is_urgent(make_call):
    call = make_call()
    said = call.said(call.say(UNSURE))
    assert call.dialogue.stage is Stage.URGENCY and "urgent" in said.lower()
    assert call.dialogue.hint.expect == "yes_no" and call.dialogue.hint.question == "urgent"


def test_no_makes_it_routine(make_call):
    call = make_call()
    call.say(UNSURE)
    said = call.said(call.say("Non, ça peut attendre."))
    assert not call.dialogue.collected.urgent
    assert "Très bien" in said and call.dialogue.stage is Stage.NAME


def test_yes_makes_it_urgent(make_call):
    call = make_call()
    call.say(UNSURE)
    said = call.said(call.say("Oui."))
    assert call.dialogue.collected.urgent and "urgent" in said


def test_words_of_urgency_without_yes(make_call):
    call = make_call()
    call.say(UNSURE)
    call.say("Quand vous aurez le temps.")
    assert not call.dialogue.collected.urgent


def test_key_two_means_no(make_call):
    call = make_call()
    call.say(UNSURE)
    call.dtmf("2")
    assert not call.dialogue.collected.urgent and call.dialogue.stage is Stage.NAME


def test_unheard_answer_keeps_the_models_guess(make_call):
    call = make_call()
    call.say(UNSURE)
    call.say("Euh, je sais pas trop.")
    assert call.dialogue.collected.urgent  # a missed emergency costs more than a false alarm
    assert call.dialogue.stage is Stage.NAME


def test_clear_problems_are_not_asked(make_call):
    for problem, urgent in (
        ("j'ai une grosse fuite d'eau sous l'évier, ça inonde la cuisine", True),
        ("je voudrais un devis pour refaire ma salle de bain", False),
    ):
        call = make_call()
        call.say(problem)
        assert call.dialogue.stage is not Stage.URGENCY, problem
        assert call.dialogue.collected.urgent is urgent, problem


def test_said_urgency_is_not_asked_again(make_call):
    call = make_call()
    call.say("c'est urgent, mon robinet goutte")
    assert call.dialogue.stage is not Stage.URGENCY and call.dialogue.collected.urgent
