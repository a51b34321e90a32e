"""Whole calls driven by text: what the caller says in, what the receptionist does out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from agent.dialogue import Action, Hangup, SaveLead, Say, SendSms, Stage, Transfer

from .conftest import ARTISAN_MOBILE, CALLER, Call


def collect_urgent_details(
    call: Call, name: str = "Jean Dupont", address: str = "14 rue de la République à Lyon"
) -> list[Action]:
    call.say(f"je m'appelle {name}")
    return call.say(address)


def test_greeting_names_business_and_recording_then_asks_problem(make_call):
    call = make_call()
    first = call.actions
    assert isinstance(first[0], Say) and first[0].key == "greeting"
    assert "Plomberie Martin" in first[0].text
    assert "cet appel peut être enregistré" in first[0].text.lower()
    assert first[-1] == Say("Quel est votre problème ?", "ask_problem")
    assert call.dialogue.stage is Stage.PROBLEM


def test_urgent_water_leak_is_transferred_with_one_sentence_summary(make_call):
    call = make_call()
    said = call.say("j'ai une grosse fuite d'eau sous l'évier, ça inonde toute la cuisine")
    assert "urgent" in call.said(said).lower()
    actions = collect_urgent_details(call)
    transfer = [a for a in actions if isinstance(a, Transfer)]
    assert len(transfer) == 1
    assert transfer[0].target == ARTISAN_MOBILE
    summary = transfer[0].summary_for_artisan
    assert "Dupont" in summary and "Lyon" in summary and "urgent" in summary
    assert summary.count(".") == 1  # one sentence
    assert call.dialogue.stage is Stage.TRANSFERRING
    assert call.say("allô ? il y a quelqu'un ?") == []  # ringing: nothing to act on

    done = call.transfer("answered")
    lead = call.lead().lead
    assert lead.outcome == "transferred" and lead.urgent
    assert lead.name == "Jean Dupont" and lead.city == "Lyon"
    assert [a.kind for a in done if isinstance(a, SendSms)] == ["artisan_recap"]
    assert not call.hangups()  # the caller is now bridged to the artisan
    assert call.hangup() == []  # nothing saved twice


def test_urgent_locked_out_at_night_still_transferred(make_call):
    call = make_call(trade="serrurier", when=datetime(2026, 11, 24, 23, 40), name="Serrures Bron")
    call.say("je suis bloqué dehors, la porte a claqué et mes clés sont à l'intérieur")
    collect_urgent_details(call, "Sophie Martin", "3 avenue Jean Jaurès à Villeurbanne")
    assert len(call.transfers()) == 1
    assert "Villeurbanne" in call.transfers()[0].summary_for_artisan


def test_gas_smell_is_urgent(make_call):
    call = make_call(trade="chauffagiste")
    call.say("ça sent le gaz très fort dans la cuisine depuis ce matin")
    collect_urgent_details(call, "Paul Girard", "8 rue Garibaldi à Lyon")
    assert call.dialogue.collected.urgent
    assert len(call.transfers()) == 1


def test_quote_request_collects_confirms_and_closes_within_the_hour(make_call):
    call = make_call()
    said = call.say("bonjour je voudrais un devis pour refaire la plomberie de ma salle de bain")
    assert call.said(said).endswith("Quel est votre nom ?")
    call.say("Dupont, Marie Dupont")
    said = call.say("12 rue des Lilas à Bron")
    assert "06 12 34 56 78" in call.said(said)  # caller ID read back naturally
    said = call.say("oui c'est ça")
    text = call.said(said)
    assert text.startswith("Je récapitule")
    assert "Dupont" in text and "rue des Lilas" in text and "Bron" in text
    said = call.say("oui")
    assert "dans l'heure" in call.said(said)
    assert isinstance(said[-1], Hangup) and said[-1].reason == "completed"
    assert not call.transfers()
    lead = call.lead().lead
    assert lead.outcome == "callback_needed" and not lead.urgent
    assert lead.caller_number == CALLER and lead.street and "Lilas" in lead.street
    sms = call.sms()
    assert set(sms) == {"caller_recap", "artisan_recap"}
    assert sms["caller_recap"].recipient == CALLER
    assert "bien noté votre appel" in sms["caller_recap"].text
    assert sms["artisan_recap"].recipient == ARTISAN_MOBILE
    assert "06 12 34 56 78" in sms["artisan_recap"].text


def test_name_not_understood_is_asked_spelled(make_call):
    call = make_call()
    call.say("je voudrais un devis pour changer mon chauffe-eau")
    said = call.say("je sais plus")
    assert "épeler" in call.said(said)  # the one re-ask, phrased differently
    said = call.say("D U P O N T")
    assert call.dialogue.collected.name == "Dupont"
    assert call.dialogue.stage is Stage.ADDRESS


def test_spelling_fails_too_moves_on_without_looping(make_call):
    call = make_call()
    call.say("je voudrais un devis pour changer mon chauffe-eau")
    call.say("je sais plus")
    call.say("je sais plus")
    assert call.dialogue.collected.name is None
    assert call.dialogue.stage is Stage.ADDRESS


def test_address_corrected_at_read_back(make_call):
    call = make_call()
    call.say("je voudrais un devis pour une nouvelle douche")
    call.say("je m'appelle Pierre Lambert")
    call.say("14 rue Victor Hugo à Lyon")
    call.say("oui")
    said = call.say("non, c'est 16 rue Victor Hugo")
    assert "16 rue Victor Hugo" in call.said(said)
    assert call.said(said).startswith("Je récapitule")
    call.say("oui c'est bon")
    lead = call.lead().lead
    assert lead.street is not None and lead.street.startswith("16")
    assert lead.city == "Lyon"


def test_name_corrected_at_read_back(make_call):
    call = make_call()
    call.say("je voudrais un devis pour une nouvelle douche")
    call.say("je m'appelle Pierre Lambert")
    call.say("14 rue Victor Hugo à Lyon")
    call.say("oui")
    said = call.say("non, le nom c'est Pierre Lampert")
    assert "Lampert" in call.said(said)
    call.say("oui")
    assert call.lead().lead.name == "Pierre Lampert"


def test_no_at_read_back_asks_which_field_then_that_field(make_call):
    call = make_call()
    call.say("je voudrais un devis pour une nouvelle douche")
    call.say("je m'appelle Pierre Lambert")
    call.say("14 rue Victor Hugo à Lyon")
    call.say("oui")
    said = call.say("non")
    assert "le nom, l'adresse ou le numéro" in call.said(said)
    said = call.say("le numéro")
    assert call.dialogue.stage is Stage.PHONE
    said = call.say("zéro sept quatre-vingt-dix-huit soixante-seize cinquante-quatre trente-deux")
    assert "07 98 76 54 32" in call.said(said)


def test_caller_refuses_caller_id_and_gives_another_number(make_call):
    call = make_call()
    call.say("j'ai besoin d'un devis pour un chauffe-eau")
    call.say("je m'appelle Luc Bernard")
    call.say("5 place Bellecour à Lyon")
    said = call.say("non, rappelez-moi plutôt au 07 98 76 54 32")
    assert "07 98 76 54 32" in call.said(said)
    call.say("oui")
    lead = call.lead().lead
    assert lead.caller_number == "+33798765432"
    assert call.sms()["caller_recap"].recipient == "+33798765432"


def test_caller_says_no_to_caller_id_then_gives_number(make_call):
    call = make_call()
    call.say("j'ai besoin d'un devis pour un chauffe-eau")
    call.say("je m'appelle Luc Bernard")
    call.say("5 place Bellecour à Lyon")
    said = call.say("non")
    assert "À quel numéro" in call.said(said)
    call.say("06 98 76 54 32")
    assert call.dialogue.collected.phone == "+33698765432"


def test_hangup_during_greeting_tells_both_sides_of_a_missed_call(make_call):
    call = make_call()
    call.hangup()
    assert call.lead().lead.outcome == "no_info"
    sms = call.sms()
    assert set(sms) == {"caller_missed", "artisan_missed"}
    assert "Plomberie Martin" in sms["caller_missed"].text
    assert "06 12 34 56 78" in sms["artisan_missed"].text
    assert call.dialogue.on_silence() == []
    assert call.hangup() == []


def test_hangup_mid_dialogue_keeps_what_was_understood(make_call):
    call = make_call()
    call.say("je voudrais un devis pour remplacer mon ballon d'eau chaude")
    call.say("je m'appelle Anne Roux")
    call.hangup()
    lead = call.lead().lead
    assert lead.outcome == "callback_needed"
    assert lead.name == "Anne Roux" and "ballon" in lead.problem
    assert any(t.speaker == "caller" and "Anne Roux" in t.text for t in lead.transcript)
    assert set(call.sms()) == {"caller_recap", "artisan_recap"}
    assert "Nous avons bien noté" in call.sms()["caller_recap"].text.replace("nous", "Nous", 1)


def test_silence_reprompts_then_closes_politely(make_call):
    call = make_call()
    call.say("je voudrais un devis pour un adoucisseur d'eau")
    first = call.silence()
    assert "toujours là" in call.said(first) and "Quel est votre nom ?" in call.said(first)
    call.silence()
    last = call.silence()
    assert isinstance(last[-1], Hangup) and last[-1].reason == "completed"
    assert "Au revoir" in call.said(last)
    assert call.lead().lead.outcome == "callback_needed"


def test_spam_salesman_is_ended_politely_and_not_a_lead(make_call):
    call = make_call()
    said = call.say(
        "bonjour madame je suis de la société Soleil Plus, nous proposons des panneaux solaires"
    )
    assert "sollicitations commerciales" in call.said(said)
    assert isinstance(said[-1], Hangup) and said[-1].reason == "spam"
    assert call.lead().lead.outcome == "spam"
    assert not call.of(SendSms)
    assert call.hangup() == []


def test_silent_robot_call_ends_after_two_prompts(make_call):
    call = make_call()
    assert "toujours là" in call.said(call.silence())
    assert "toujours là" in call.said(call.silence())
    last = call.silence()
    assert isinstance(last[-1], Hangup) and last[-1].reason == "silence"
    assert call.lead().lead.outcome == "no_info"
    assert set(call.sms()) == {"caller_missed", "artisan_missed"}


def finish_quote(call: Call) -> list[Action]:
    call.say("je voudrais un devis pour refaire ma salle de bain")
    call.say("je m'appelle Marie Dupont")
    call.say("12 rue des Lilas à Bron")
    call.say("oui")
    return call.say("oui")


def test_closing_outside_hours_says_tomorrow_morning(make_call):
    call = make_call(when=datetime(2026, 11, 24, 20, 30))  # Tuesday evening
    assert "demain matin dès 8 h" in call.said(finish_quote(call))
    assert "demain matin dès 8 h" in call.sms()["caller_recap"].text


def test_closing_on_saturday_afternoon_skips_sunday(make_call):
    call = make_call(when=datetime(2026, 11, 28, 13, 0))  # Saturday after closing
    assert "lundi dès 8 h" in call.said(finish_quote(call))


def test_closing_on_a_holiday(make_call):
    call = make_call(when=datetime(2026, 12, 25, 10, 0))  # Friday, Christmas
    assert "demain matin dès 9 h" in call.said(finish_quote(call))


def test_transfer_no_answer_comes_back_and_takes_an_urgent_lead(make_call):
    call = make_call()
    call.say("il y a de l'eau partout, une fuite au plafond")
    collect_urgent_details(call)
    said = call.transfer("no_answer")
    text = call.said(said)
    assert "ne peut pas répondre" in text and "06 12 34 56 78" in text
    call.say("oui")
    closing = call.say("oui")
    assert "au plus vite" in call.said(closing)
    lead = call.lead().lead
    assert lead.outcome == "callback_needed" and lead.urgent
    sms = call.sms()
    assert sms["artisan_recap"].text.startswith("URGENT")
    assert "au plus vite" in sms["caller_recap"].text


def test_anonymous_caller_is_asked_for_a_number(make_call):
    call = make_call(caller=None)
    call.say("je voudrais un devis pour une nouvelle douche")
    call.say("je m'appelle Pierre Lambert")
    said = call.say("14 rue Victor Hugo à Lyon")
    assert "À quel numéro" in call.said(said)


def test_dtmf_one_confirms_the_caller_id(make_call):
    call = make_call()
    call.say("je voudrais un devis pour une nouvelle douche")
    call.say("je m'appelle Pierre Lambert")
    call.say("14 rue Victor Hugo à Lyon")
    said = call.dtmf("1")
    assert call.said(said).startswith("Je récapitule")


def test_address_not_understood_twice_moves_on(make_call):
    call = make_call()
    call.say("je voudrais un devis pour une nouvelle douche")
    call.say("je m'appelle Pierre Lambert")
    assert call.said(call.say("je sais plus trop")) == "Dans quelle ville ?"
    said = call.say("euh je sais plus")
    assert call.dialogue.stage is Stage.PHONE_CONFIRM, call.said(said)


def test_every_lead_has_the_full_transcript(make_call):
    call = make_call()
    finish_quote(call)
    turns = call.lead().lead.transcript
    assert turns[0].speaker == "agent" and "Plomberie Martin" in turns[0].text
    assert sum(t.speaker == "caller" for t in turns) == 5
    assert isinstance(call.of(SaveLead)[0], SaveLead)


def test_vague_opening_is_asked_again_not_classified(make_call):
    call = make_call()
    said = call.say("allô ?")
    assert call.dialogue.stage is Stage.PROBLEM and "décrire le problème" in call.said(said)
    call.say("euh oui bonjour j'ai un souci avec mon robinet qui goutte")
    assert "robinet" in call.dialogue.collected.problem


def test_vague_twice_is_accepted_without_loop_and_not_made_urgent_by_guess(make_call):
    call = make_call()
    call.say("bonjour")
    call.say("j'ai un problème")
    assert call.dialogue.stage is Stage.NAME
    assert not call.dialogue.collected.urgent
    assert not call.transfers()


def test_saying_it_is_urgent_counts_even_before_the_problem(make_call):
    call = make_call()
    call.say("allô c'est urgent")
    call.say("ça coule sous l'évier")
    assert call.dialogue.collected.urgent


def test_filler_is_not_taken_as_a_name(make_call):
    call = make_call()
    call.say("je voudrais un devis pour changer mon chauffe-eau")
    said = call.say("pardon ?")  # the question was not heard: said again, word for word
    assert call.dialogue.collected.name is None and call.said(said) == "Quel est votre nom ?"
    call.say("Bernard")
    assert call.dialogue.collected.name == "Bernard"


def test_caller_gives_everything_at_once_and_is_only_asked_what_is_missing(make_call):
    call = make_call()
    said = call.say(
        "bonjour je voudrais un devis pour une douche à l'italienne, je suis madame Leroy "
        "au 5 rue Paul Bert à Villeurbanne"
    )
    assert "06 12 34 56 78" in call.said(said)
    assert call.dialogue.collected.name == "Leroy"
    assert call.dialogue.collected.city == "Villeurbanne"


def test_hangup_while_the_artisan_rings_keeps_an_urgent_lead(make_call):
    call = make_call()
    call.say("il y a une fuite d'eau énorme, ça inonde le salon")
    collect_urgent_details(call)
    assert call.transfers()
    call.hangup()
    lead = call.lead().lead
    assert lead.outcome == "callback_needed" and lead.urgent
    assert call.transfer("no_answer") == []  # the result of a transfer nobody waits for


def test_transfer_rejected_by_artisan_is_handled_like_no_answer(make_call):
    call = make_call()
    call.say("il y a une fuite d'eau énorme, ça inonde le salon")
    collect_urgent_details(call)
    said = call.transfer("rejected")
    assert "ne peut pas répondre" in call.said(said)
    assert call.dialogue.stage is Stage.PHONE_CONFIRM


def test_urgent_outside_hours_not_transferred_when_configured_so(make_call):
    from agent.dialogue import DialogueSettings

    settings = DialogueSettings(transfer_urgent_outside_hours=False)
    call = make_call(when=datetime(2026, 11, 24, 23, 0), settings=settings)
    call.say("il y a une fuite d'eau énorme, ça inonde le salon")
    collect_urgent_details(call)
    call.say("oui")
    closing = call.say("oui")
    assert not call.transfers()
    assert "au plus vite" in call.said(closing)
    assert call.lead().lead.urgent


def test_landline_caller_gets_no_sms_but_artisan_does(make_call):
    call = make_call(caller="04 78 00 00 00")
    finish_quote(call)
    assert set(call.sms()) == {"artisan_recap"}
    assert call.lead().lead.caller_number == "+33478000000"


def test_yes_naming_a_field_is_not_a_correction(make_call):
    call = make_call()
    call.say("je voudrais un devis pour une nouvelle douche")
    call.say("je m'appelle Pierre Lambert")
    call.say("14 rue Victor Hugo à Lyon")
    call.say("oui")
    said = call.say("oui c'est bien mon nom")
    assert isinstance(said[-1], Hangup)
    assert call.lead().lead.name == "Pierre Lambert"


def test_corrections_are_bounded(make_call):
    call = make_call()
    call.say("je voudrais un devis pour une nouvelle douche")
    call.say("je m'appelle Pierre Lambert")
    call.say("14 rue Victor Hugo à Lyon")
    call.say("oui")
    call.say("non, c'est 16 rue Victor Hugo")
    said = call.say("non, c'est 18 rue Victor Hugo")
    assert isinstance(said[-1], Hangup)  # a third read-back would ask it three times: close
    assert call.say("non, c'est 20 rue Victor Hugo") == []
    assert call.lead().lead.street.startswith("18")


def test_unclear_read_back_answer_asked_once_then_closed(make_call):
    call = make_call()
    call.say("je voudrais un devis pour une nouvelle douche")
    call.say("je m'appelle Pierre Lambert")
    call.say("14 rue Victor Hugo à Lyon")
    call.say("oui")
    said = call.say("euh")
    assert "oui ou par non" in call.said(said)
    said = call.say("hmm")
    assert isinstance(said[-1], Hangup)


def test_silence_after_only_hello_is_a_missed_call(make_call):
    call = make_call()
    call.say("allô ?")
    for _ in range(3):
        last = call.silence()
    assert isinstance(last[-1], Hangup) and last[-1].reason == "silence"
    assert call.lead().lead.outcome == "no_info"


def test_speech_resets_the_silence_count(make_call):
    call = make_call()
    call.silence()
    call.silence()
    call.say("je voudrais un devis pour une nouvelle douche")
    call.silence()
    call.silence()
    assert not call.hangups()


def test_custom_phrases_and_business_greeting(make_call):
    from agent.dialogue import DialogueSettings

    settings = DialogueSettings.from_table(
        {"ask_name": "C'est de la part de qui, pour {business} ?", "artisan": "Julien"}
    )
    call = make_call(settings=settings, greeting="Bonjour, vous êtes chez Martin.")
    assert call.said().startswith("Bonjour, vous êtes chez Martin. Cet appel peut être")
    said = call.say("il y a une fuite d'eau énorme, ça inonde le salon")
    assert "C'est de la part de qui, pour Plomberie Martin ?" in call.said(said)
    call.say("Jean Dupont")
    said = call.say("à Lyon")
    assert "J'appelle Julien." in call.said(said)


def test_town_without_street_is_kept_and_never_loops(make_call):
    call = make_call()
    call.say("je voudrais un devis pour une nouvelle douche")
    call.say("je m'appelle Pierre Lambert")
    said = call.say("à Villeurbanne")
    assert call.dialogue.stage is Stage.STREET and "la rue" in call.said(said)
    call.say("à Villeurbanne je vous dis")
    assert _stage(call) is Stage.PHONE_CONFIRM
    assert call.dialogue.collected.city == "Villeurbanne"


def test_correction_cycles_through_which_field_are_bounded(make_call):
    call = make_call()
    call.say("je voudrais un devis pour une nouvelle douche")
    call.say("je m'appelle Pierre Lambert")
    call.say("14 rue Victor Hugo à Lyon")
    call.say("oui")
    for name in ("Durand", "Durant", "Duran", "Durang"):
        if call.hangups():
            break
        call.say("non")
        call.say("le nom")
        call.say(name)
    assert call.hangups() and call.dialogue.stage is Stage.DONE
    assert sum(1 for a in call.actions if isinstance(a, Say) and "récapitule" in a.text) == 2


def test_recorded_robot_message_is_spam(make_call):
    call = make_call()
    said = call.say("ceci est un message automatique, vous avez été sélectionné pour une étude")
    assert isinstance(said[-1], Hangup) and said[-1].reason == "spam"
    assert call.lead().lead.outcome == "spam" and not call.of(SendSms)


def test_anonymous_hangup_tells_the_artisan_only(make_call):
    call = make_call(caller=None)
    call.hangup()
    sms = call.sms()
    assert set(sms) == {"artisan_missed"}
    assert "numéro masqué" in sms["artisan_missed"].text


# -- urgent calls: the mobile rings once the artisan knows who calls and from which town ------


def _questions(call: Call, actions: Sequence[Action]) -> list[str]:
    return [a.key for a in actions if isinstance(a, Say) and a.key and a.key.startswith("ask")]


def test_urgent_call_asks_name_and_town_only_then_transfers(make_call):
    call = make_call()
    first = call.say("au secours, le chauffe-eau a explosé, il y a de l'eau partout")
    assert _questions(call, first) == ["ask_name"]
    asked = call.say("euh oui c'est madame Leroy, Nadine Leroy")
    assert _questions(call, asked) == ["ask_city"]
    actions = call.say("Villeurbanne")
    (transfer,) = [a for a in actions if isinstance(a, Transfer)]
    assert "Leroy" in transfer.summary_for_artisan
    assert "Villeurbanne" in transfer.summary_for_artisan
    assert call.dialogue.collected.street is None  # the street waits for after the transfer


def test_urgent_caller_giving_name_and_town_at_once_is_transferred_at_once(make_call):
    call = make_call()
    actions = call.say(
        "bonjour je suis monsieur Girard à Vénissieux, c'est urgent, la cuisine est inondée"
    )
    assert call.transfers() and call.dialogue.stage is Stage.TRANSFERRING, call.said(actions)


def test_after_an_unanswered_transfer_the_street_and_callback_are_taken(make_call):
    call = make_call()
    call.say("j'ai une fuite énorme au plafond, ça coule partout")
    call.say("Dupont, Jean Dupont")
    call.say("à Lyon")
    said = call.transfer("no_answer")
    assert "ne peut pas répondre" in call.said(said)
    assert call.asked(said) == "Quelle est la rue, avec le numéro ?"
    asked = call.say("14 rue de la République")
    assert call.dialogue.stage is Stage.PHONE_CONFIRM, call.said(asked)
    call.say("oui")
    call.say("oui c'est ça")
    lead = call.lead().lead
    assert lead.outcome == "callback_needed" and lead.urgent
    assert lead.city == "Lyon" and "République" in (lead.street or "")


def test_town_not_heard_before_the_transfer_is_not_asked_twice_then(make_call):
    call = make_call()
    call.say("il y a une fuite de gaz je crois, ça sent très fort")
    call.say("je m'appelle Paul Girard")
    actions = call.say("je sais plus trop")  # the town question gets nothing usable
    assert call.transfers(), call.said(actions)
    said = call.transfer("busy")
    assert call.asked(said) == "Quelle est l'adresse de l'intervention ?"


def test_a_hesitation_is_waited_for_not_taken_as_the_answer(make_call):
    # "Euh... Petit. Lucas Petit.": Whisper wrote the lone "Euh..." as "C'est".
    call = make_call()
    call.say("je voudrais un devis pour une nouvelle douche")
    for hesitation in ("C'est", "Euh...", "Alors, attendez."):
        assert call.say(hesitation) == [] and call.dialogue.stage is Stage.NAME
    call.say("Lucas Petit")
    assert call.dialogue.collected.name == "Lucas Petit"


def _stage(call: Call) -> Stage:
    """The stage now (read through a call: mypy keeps an attribute narrowed after an assert)."""
    stage: Stage = call.dialogue.stage
    return stage
