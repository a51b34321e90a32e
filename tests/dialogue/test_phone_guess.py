"""A callback number only guessed from Whisper's garbled pairs (nlp.phone_groups) is asked
again, and a clear second answer replaces it."""

from agent.dialogue.manager import Stage


def test_a_guessed_number_is_asked_again_then_replaced(make_call):
    call = make_call()
    call.say("j'ai besoin d'un devis pour un chauffe-eau")
    call.say("je m'appelle Luc Bernard")
    call.say("5 place Bellecour à Lyon")
    said = call.say("non")
    assert "À quel numéro" in call.said(said)
    call.say("Zéro sept, soyez vers deux, onze, quarante, dix-neuf.")
    assert call.dialogue.stage is Stage.PHONE  # a guess: asked again
    assert call.dialogue.collected.phone == "+33762114019"
    assert call.dialogue.collected.phone_confidence < 0.6
    call.say("zéro sept soixante-deux onze quarante dix-neuf")
    assert call.dialogue.collected.phone == "+33762114019"
    assert call.dialogue.collected.phone_confidence == 1.0
