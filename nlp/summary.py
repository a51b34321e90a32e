"""One-line problem summary for the lead: category label, urgency, and the caller's own
words about the problem with greetings, fillers and contact details stripped."""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.letters import find_spelled
from nlp.names import TITLES
from nlp.numbers import words_to_digits
from nlp.text import FILLERS, fold, is_common, normalize

LABELS: dict[str, str] = {
    "fuite": "Fuite", "degat_des_eaux": "Dégât des eaux", "debouchage": "Débouchage",
    "robinetterie": "Robinetterie", "chauffe_eau": "Chauffe-eau", "porte_claquee": "Porte claquée",
    "serrure": "Serrure", "panne_chauffage": "Panne de chauffage", "gaz": "Gaz",
    "entretien": "Entretien", "panne_electrique": "Panne électrique", "diagnostic": "Diagnostic",
    "toiture": "Toiture", "vitre_cassee": "Vitre cassée", "devis": "Devis",
    "suivi_chantier": "Suivi de chantier", "administratif": "Administratif",
    "demarchage": "Démarchage", "autre": "Autre",
}  # fmt: skip
MAX_WORDS = 16
_OPENING = re.compile(
    r"^(?:(?:allô|allo|oui|bonjour|bonsoir|monsieur|madame|excusez-moi|excusez moi|pardon"
    r"|de vous déranger|je vous (?:appelle|téléphone) (?:parce que|car|pour)|c'est pour"
    r"|j'ai eu votre numéro par un voisin|voilà|alors|et)\s+)+"
)
# Contact cues around the slots: dropped so the summary keeps only the problem.
_CONTACT = re.compile(
    r"\b(?:je m'?\s?appelle|mon nom (?:c'?\s?est|est)?|j'?\s?habite (?:au|à|a)?"
    r"|mon adresse (?:c'?\s?est)?|(?:et )?mon (?:numéro|numero|portable|téléphone)"
    r"(?: c'?\s?est(?: le)?)?|vous pouvez me rappeler(?: au)?|rappelez-moi(?: au)?"
    r"|merci(?: beaucoup| au revoir| d'avance)?|au revoir"
    r"|(?:je suis|c'est|ici) (?=madame|monsieur|mademoiselle)|je suis (?:au|à)"
    r"|(?:ça|ca) s'(?:écrit|ecrit|épelle))\b"
)
# STT splits elisions ("j ai", "c est", "l évier"): glue them back for a readable summary.
_ELISION = re.compile(r"\b([cdjlmnst]|qu) (?=[aeiouyéèêàâîôh])")

_DANGLING = frozenset(
    [
        "à",
        "a",
        "au",
        "aux",
        "de",
        "du",
        "des",
        "le",
        "la",
        "les",
        "et",
        "est",
        "en",
        "sur",
        "c'est",
        "je",
        "j'",
        "suis",
        "mon",
        "ma",
        "qui",
        "que",
    ]
)
_LEADING = frozenset({"et", "donc", "alors", "puis", "mais", "ensuite"})
_KEEP_SHORT = frozenset({"à", "a", "y"})  # other one-letter tokens are spelled letters


def problem_words(text: str, slots: Sequence[str | None] = ()) -> list[str]:
    """The caller's words about the problem: no greeting, filler, stutter, number or slot."""
    # Words of the slots heard ("dupont", "lilas", "bron"), not their particles ("des").
    drop = {w for slot in slots if slot for w in fold(slot).split() if not is_common(w)}
    drop |= {"bis", "ter"} if any(slots) else set()
    fillers = FILLERS - {"oui", "donc"}
    tokens = [w for w in normalize(text).split() if w not in fillers]
    spelled = {k for start, end, _ in find_spelled(tokens) for k in range(start, end)}
    norm = " ".join(w for k, w in enumerate(tokens) if k not in spelled)
    norm = _CONTACT.sub(" ", _OPENING.sub("", _ELISION.sub(r"\1'", norm) + " "))
    words: list[str] = []
    for word in words_to_digits(norm).split():
        if words and word == words[-1]:
            continue  # stutters ("le le")
        if word.isdigit() or set(fold(word).split()) <= drop or word in TITLES:
            continue
        if (len(word) == 1 and word not in _KEEP_SHORT) or (not words and word in _LEADING):
            continue  # spelled letters; "et la porte a claqué" once the name is gone
        words.append(word)
    while words and words[-1] in _DANGLING:
        words.pop()  # "... coule partout à" once the city is gone
    return words


def summarize(text: str, category: str, urgent: bool, slots: Sequence[str | None] = ()) -> str:
    """'URGENT · Fuite : j'ai une fuite sous l'évier ça coule partout'."""
    label = ("URGENT · " if urgent else "") + LABELS.get(category, category)
    words = problem_words(text, slots)
    if not words:
        return label
    body = " ".join(words[:MAX_WORDS]) + (" …" if len(words) > MAX_WORDS else "")
    return f"{label} : {body}"
