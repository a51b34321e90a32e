"""Safety rules that make a call urgent whatever the model says: gas or carbon monoxide,
fire or smoke, sparks or electric shock, flooding, a child or frail person locked in.

They run on accent-folded text, skip negated mentions ("pas d'odeur de gaz") and may also
say which category the danger belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.text import fold


@dataclass(frozen=True)
class Rule:
    reason: str
    pattern: re.Pattern[str]
    category: str | None = None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_VULNERABLE = (
    r"(?:bebe|nourrisson|enfant|enfants|fils|fille|gamin|mere|pere|grand mere"
    r"|grand pere|personne agee|mamie|papi|papy|handicape"
    # "petit" is a child only as a noun ("le petit est enfermé"), not in "un petit souci".
    r"|(?:mon|ma|le|la|notre) petite?(?= (?:garcon|fille|fils|dernier|derniere|est|s est|qui"
    r"|reste|se)\b))"
)
_LOCKED = r"(?:enferme|enfermee|enfermes|bloque|bloquee|coince|coincee|a l interieur|dedans)"

RULES: tuple[Rule, ...] = (
    Rule("gas smell", _rx(r"\b(?:sent|sens|sentait|odeur|odeurs|pue|fuite)\b(?: \w+){0,3} "
                          r"(?:gaz|gars|gaze|gas)\b"), "gaz"),
    Rule("gas smell", _rx(r"\b(?:gaz|gars|gas) (?:qui )?(?:sent|fuit|siffle)\b"), "gaz"),
    # Town gas is odorised with mercaptan: callers describe it as rotten eggs.
    Rule("gas smell", _rx(r"\b(?:odeur|sent|sens|pue)\b(?: \w+){0,3} (?:d )?o?eufs? "
                          r"pourris?\b"), "gaz"),
    Rule("carbon monoxide", _rx(r"\b(?:monoxyde|monoxide|co2?) ?(?:\w+ ){0,3}"
                                r"(?:sonne|declench|alarme|bip)|\bmonoxyde\b"), "gaz"),
    # Whisper mishears "monoxyde" on the phone ("obstacle de carbone") but keeps "carbone";
    # a detector ringing that is not a smoke detector (removed by _EXCLUDE) is a CO one.
    Rule("carbon monoxide", _rx(r"(?<!fibre )\b(?:de|du) carbone\b|\bdetecteur\b(?: \w+){0,5} "
                                r"(?:sonne|bip|declench|alarme)"), "gaz"),
    Rule("fire or smoke", _rx(r"\b(?:pris feu|prend feu|en feu|flammes?|incendie|brule"
                              r"|de la fumee|fumee (?:qui )?sort|ca fume|fume)\b")),
    Rule("sparks or electric shock", _rx(
        r"\b(?:etincelles?|electrocut\w*|arc electrique"
        r"|pris (?:une|un) (?:decharge|coup de jus)|pris le jus)\b")),
    Rule("flooding", _rx(r"\b(?:inond\w*|eau (?:qui )?monte|(?:de l )?eau partout"
                         r"|deborde\w*)\b")),
    # Water reaching the wiring: a shock and fire risk. Whisper keeps "tableau électrique"
    # even when it garbles the water ("goûte sur le tableau", "l'autre àvers ce platon").
    Rule("water on electrics", _rx(
        r"\b(?:eau|gout+\w*|coule\w*|ruissel\w*|infiltr\w*|mouill\w*|tremp\w*)\b"
        r"(?: \w+){0,5} (?:tableau|prises?|compteur|disjoncteur|installation) electrique"
        r"|\b(?:tableau|compteur|disjoncteur) electrique\b(?: \w+){0,3} "
        r"(?:mouille|trempe|sous l eau|prend l eau)")),
    Rule("vulnerable person locked in", _rx(
        rf"\b{_VULNERABLE}\b(?: \w+){{0,6}} {_LOCKED}\b"
        rf"|\b{_LOCKED}\b(?: \w+){{0,5}} {_VULNERABLE}\b"
    )),
)  # fmt: skip
_NEGATION = _rx(r"\b(?:pas|plus|aucun|aucune|jamais|sans|ni)\b(?: \w+){0,2} ?$")
_INNER_NEG = _rx(r"\b(?:pas|plus|aucune?)\b")
# Routine words that look like a danger: detectors or alarms to install (cold callers sell
# them too), a blown bulb or fuse, a boiler's pilot flame, gutters overflowing outside, a
# busy person ("je suis débordé"), a device (not a person) that is stuck.
_EXCLUDE = _rx(
    r"\b(?:detecteurs?|alarmes?|extincteurs?) (?:de fumee|d incendie|incendie)\b"
    r"|\b(?:ampoules?|fusibles?|lampes?|spots?|resistance) (?:\w+ ){0,4}brule\b"
    r"|\bflamme (?:de la |du )?(?:veilleuse|bruleur|chaudiere)\b"
    r"|\bgouttieres? (?:\w+ ){0,2}debord\w*"
    r"|\b(?:suis|sommes|etes|etre|es) (?:tres |un peu )?debord\w*"
    r"|\b(?:interphone|visiophone|volets?|stores?|portail|telecommande|moteur|mitigeur"
    r"|robinet|chasse d eau) (?:\w+ ){0,2}(?:bloque|coince)e?s?\b"
)


def safety_reasons(text: str) -> list[Rule]:
    """Rules that fire on `text` (at most one per reason)."""
    folded = _EXCLUDE.sub(" ", fold(text))
    fired: list[Rule] = []
    for rule in RULES:
        if any(r.reason == rule.reason for r in fired):
            continue
        for match in rule.pattern.finditer(folded):
            negated = _NEGATION.search(folded[: match.start()]) or _INNER_NEG.search(match[0])
            if not negated:
                fired.append(rule)
                break
    return fired
