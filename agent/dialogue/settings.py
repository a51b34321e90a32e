"""`[dialogue]`: every phrase the receptionist says or texts, and its few behaviour knobs.

Phrases are str.format templates; the placeholders each may use are listed in PLACEHOLDERS and
checked at load time, so a typo fails at start rather than in the middle of a call.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from agent.config_reader import ConfigError, TableReader

__all__ = ["DEFAULT_SPAM_PHRASES", "DialogueSettings"]

DEFAULT_SPAM_PHRASES: tuple[str, ...] = (
    "démarchage", "nous proposons", "je vous propose", "on vous propose", "notre société propose",
    "panneaux solaires", "panneau solaire", "photovoltaïque", "isolation à un euro",
    "isolation à 1 euro", "prime énergie", "bilan énergétique gratuit", "cpf",
    "compte personnel de formation", "mutuelle", "sondage", "enquête de satisfaction",
    "étude de marché", "offre commerciale", "partenariat commercial", "référencement",
    "annuaire professionnel", "encart publicitaire", "espace publicitaire",
    "votre contrat d'énergie", "changer de fournisseur", "ceci est un message automatique",
    "appel automatisé", "message enregistré", "pour ne plus être appelé",
)  # fmt: skip


@dataclass(frozen=True)
class DialogueSettings:
    # Behaviour
    artisan: str = "l'artisan"  # how the agent names the person calls are transferred to
    max_silence_prompts: int = 2  # re-prompts after silence before ending the call
    max_readbacks: int = 2  # read-backs (the first plus corrections) before closing anyway
    # A field (name, address, phone) whose confidence is below this gets one re-ask phrased
    # differently (spelling; town then street; the number again), then is marked "à vérifier".
    # Confidence = match score x (0.5 + 0.5 x Whisper's mean token probability), see slots.py.
    confidence_threshold: float = 0.6
    transfer_urgent: bool = True
    transfer_urgent_outside_hours: bool = True  # emergency trades answer at night
    # While the mobile rings (attended transfers only), the street is asked: the lead, the
    # SMS and the dashboard then hold the whole address even when the artisan picks up.
    # False: nothing is asked while it rings (the spelling below neither).
    ask_address_while_ringing: bool = True
    # Then, a name heard unsure is spelled (urgent callers are not asked before it rings).
    spell_name_while_ringing: bool = True
    # Before it, a street heard unsure (no house number, matched to no street of the area)
    # is asked once more, alone: "Quelle est la rue, avec le numéro ?".
    street_while_ringing: bool = True
    sms_to_caller: bool = True
    sms_to_artisan: bool = True
    spam_phrases: tuple[str, ...] = DEFAULT_SPAM_PHRASES
    # What the agent says
    greeting: str = "{business}, bonjour. Je suis l'assistant vocal de l'entreprise."
    recording_notice: str = "Cet appel peut être enregistré."
    ask_problem: str = "Quel est votre problème ?"
    reask_problem: str = (
        "Pardon, je n'ai pas bien compris. Pouvez-vous me décrire le problème en quelques mots ?"
    )
    # Asked only when the problem as heard does not tell (see nlp.understander.UNSURE_BAND).
    ask_urgency: str = "Est-ce urgent ? Faut-il intervenir aujourd'hui ?"
    # Short: each second of it is a second more before the mobile rings (issue 10); the
    # transfer itself is announced two questions later.
    ack_urgent: str = "Je comprends, c'est urgent."
    ack_normal: str = "Très bien, je note."
    ask_name: str = "Quel est votre nom ?"
    # Said to the caller only: example letters never go into the recognizer's prompt.
    spell_name: str = "Pouvez-vous épeler votre nom ? Par exemple D comme Denis."
    ask_address: str = "Quelle est l'adresse de l'intervention ?"
    ask_city: str = "Dans quelle ville ?"
    ask_street: str = "Quelle est la rue, avec le numéro ?"
    confirm_phone: str = "Je peux vous rappeler au {phone} ?"
    reconfirm_phone: str = (
        "Pouvons-nous vous rappeler au {phone} ? Dites oui, ou donnez un autre numéro."
    )
    ask_phone: str = "À quel numéro pouvons-nous vous rappeler ?"
    # Digit by digit: read right 6 of 6 times through Whisper base on the phone line, against
    # about 1 in 3 for pairs (devkit.eval.phone).
    reask_phone: str = "Pardon, pouvez-vous redire le numéro chiffre par chiffre ?"
    readback: str = "Je récapitule : {summary}. Est-ce correct ?"
    reask_readback: str = "Est-ce que tout est correct ? Répondez par oui ou par non."
    ask_correction: str = "Qu'est-ce qui n'est pas correct : le nom, l'adresse ou le numéro ?"
    transfer: str = "Je vous mets en relation avec {artisan}. Ne quittez pas."
    transfer_ask_address: str = (
        "J'appelle {artisan}. En attendant, quelle est l'adresse exacte, avec le numéro ?"
    )
    transfer_ask_spelling: str = "J'appelle {artisan}. En attendant, pouvez-vous épeler votre nom ?"
    ringing_ask_spelling: str = "Et pouvez-vous épeler votre nom ?"
    transfer_noted: str = "Merci. Ne quittez pas."
    transfer_failed: str = (
        "{artisan} ne peut pas répondre à l'instant. Votre demande est notée comme urgente."
    )
    closing: str = "Merci. {callback} Vous allez recevoir un SMS récapitulatif. Au revoir !"
    callback_open: str = "Nous vous rappelons dans l'heure."
    callback_closed: str = "Nous vous rappelons {when} dès {time}."
    callback_urgent: str = "{artisan} vous rappelle au plus vite."
    callback_unknown: str = "Nous vous rappelons dans les meilleurs délais."
    # Safety first: said before anything else when the caller reports one of these dangers.
    safety_gas: str = (
        "Sortez du logement, ne touchez à aucun interrupteur, n'allumez pas de flamme, "
        "et appelez GRDF Urgence Sécurité Gaz au 0 800 47 33 33."
    )
    safety_fire: str = (
        "Si vous voyez des flammes ou de la fumée, sortez et appelez les pompiers au 18 ou le 112."
    )
    safety_co: str = (
        "Sortez du logement, ouvrez les fenêtres en partant si vous le pouvez, "
        "et appelez les pompiers au 18 ou le 112."
    )
    safety_sparks: str = (
        "Si vous pouvez le faire sans risque, coupez le disjoncteur général et ne touchez à rien. "
        "S'il y a de la fumée, sortez et appelez le 18."
    )
    still_there: str = "Vous êtes toujours là ?"
    # Booking a visit in the artisan's calendar ([calendar], issue 13)
    checking_calendar: str = "Je regarde l'agenda de {artisan}."
    offer_slots: str = "{artisan} peut passer {slots}. Qu'est-ce qui vous convient ?"
    reask_slot: str = "Dites le premier ou le deuxième, ou appuyez sur 1 ou 2."
    no_slot_wished: str = "Je n'ai pas de créneau libre à ce moment-là."
    booking_wait: str = "Très bien, je note le rendez-vous."
    slot_taken: str = "Ce créneau vient d'être pris, je regarde les suivants."
    calendar_down: str = "Je n'arrive pas à consulter l'agenda."
    booked: str = (
        "C'est noté : {slot}, au {address}. Vous allez recevoir un SMS de confirmation. Au revoir !"
    )
    sms_caller_booked: str = "{business} : rendez-vous {slot}, {address}. ({problem})"
    sms_artisan_booked: str = "RDV {slot} : {details}. {problem}"
    silent_close: str = "Je ne vous entends pas. N'hésitez pas à nous rappeler. Au revoir."
    spam_close: str = (
        "Merci, mais nous ne donnons pas suite aux sollicitations commerciales. Au revoir."
    )
    # What gets texted
    sms_caller_recap: str = "{business} : nous avons bien noté votre appel ({problem}). {callback}"
    sms_artisan_recap: str = "{urgent}Nouveau contact : {details}. {problem}"
    sms_caller_missed: str = (
        "{business} : nous avons manqué votre appel. Rappelez-nous ou répondez à ce SMS, "
        "nous vous recontactons."
    )
    sms_artisan_missed: str = "Appel manqué de {phone} à {time}, sans message."
    transfer_summary: str = "Appel {urgency} de {name}{town}, {problem}."

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None) -> DialogueSettings:
        r = TableReader("dialogue", table)
        values: dict[str, Any] = {}
        for f in fields(cls):
            default = getattr(cls, f.name)
            if isinstance(default, bool):
                values[f.name] = r.flag(f.name, default)
            elif isinstance(default, float):
                values[f.name] = r.number(f.name, default, low=0.0, high=1.0)
            elif isinstance(default, int):
                values[f.name] = r.integer(f.name, default, low=1, high=10)
            elif isinstance(default, tuple):
                values[f.name] = tuple(p.lower() for p in r.texts(f.name, default))
            else:
                values[f.name] = r.text(f.name, default)
                _check_placeholders(r.key(f.name), values[f.name], PLACEHOLDERS.get(f.name, ()))
        r.finish()
        return replace(cls(), **values)


COMMON = ("business", "artisan")
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "confirm_phone": ("phone",),
    "reconfirm_phone": ("phone",),
    "readback": ("summary",),
    "closing": ("callback",),
    "callback_closed": ("when", "time"),
    "sms_caller_recap": ("problem", "callback"),
    "sms_artisan_recap": ("urgent", "details", "problem"),
    "sms_artisan_missed": ("phone", "time"),
    "transfer_summary": ("urgency", "name", "town", "problem"),
    "offer_slots": ("slots",),
    "booked": ("slot", "address"),
    "sms_caller_booked": ("slot", "address", "problem"),
    "sms_artisan_booked": ("slot", "details", "problem"),
}


def _check_placeholders(key: str, template: str, allowed: tuple[str, ...]) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise ConfigError(f"{key}: not a valid template: {exc}") from None
    unknown = sorted(names - set(allowed) - set(COMMON))
    if unknown:
        known = ", ".join("{" + n + "}" for n in (*COMMON, *allowed))
        raise ConfigError(f"{key}: unknown placeholder(s) {unknown}; this phrase may use {known}")
