"""Caller names: 'je m'appelle jean dupont', 'madame martin', bare 'dupont jean-pierre',
spelled 'N G U Y E N'. Returned as 'Prénom Nom'."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from nlp.letters import find_spelled
from nlp.text import FILLERS, capitalize_words, fold, is_common, normalize

TITLES = frozenset(
    ["madame", "monsieur", "mademoiselle", "mme", "mlle", "m", "mr", "docteur", "maître", "maitre"]
)
PARTICLES = frozenset({"de", "du", "des", "le", "la", "van", "von", "d'", "ben", "el"})
_STRONG = re.compile(
    r"(?:je m'?\s?appelle|moi c'?\s?est|mon nom (?:de famille )?(?:c'?\s?est |est )?"
    r"|de la part de|au nom de|nom de famille|prénom|prenom)\s*"
)
# Weak cues ("c'est vraiment urgent") only count when a known first name follows.
_WEAK = re.compile(r"(?:je suis|c'?\s?est|ici)\s+")
_SPELL_CUES = re.compile(r"\b(?:ça|ca|je vous|j'|ce qui) (?:s'écrit|s'ecrit|s'épelle|épelle)\b")
# Words that end a name: verbs, pronouns, slot cues, problem words.
STOP = (
    frozenset(
        [
            "et",
            "je",
            "j'ai",
            "j'habite",
            "jai",
            "j",
            "habite",
            "mon",
            "ma",
            "mes",
            "c'est",
            "cest",
            "est",
            "suis",
            "à",
            "a",
            "au",
            "aux",
            "en",
            "pour",
            "qui",
            "que",
            "dans",
            "sur",
            "chez",
            "rue",
            "avenue",
            "numéro",
            "numero",
            "téléphone",
            "telephone",
            "portable",
            "vous",
            "nous",
            "il",
            "elle",
            "on",
            "ça",
            "ca",
            "ce",
            "cette",
            "le",
            "la",
            "les",
            "un",
            "une",
            "des",
            "du",
            "de",
            "d'",
            "l'",
            "y",
            "avait",
            "ai",
            "appelle",
            "appelais",
            "parce",
            "car",
            "mais",
            "bonjour",
            "merci",
            "oui",
            "non",
            "s'il",
            "plait",
            "plaît",
            "excusez",
            "voudrais",
            "voulais",
            "souhaite",
            "souhaiterais",
            "besoin",
            "problème",
            "probleme",
            "urgent",
            "urgence",
            "fuite",
            "plombier",
            "serrurier",
            "électricien",
            "electricien",
            "chauffagiste",
            "couvreur",
            "vitrier",
            "désolé",
            "propriétaire",
            "locataire",
            "habite",
            "appel",
            "appelle",
            "téléphone",
            "ai",
            "avez",
            "pas",
            "ne",
            "n'ai",
            "bien",
            "tout",
            "très",
            "tres",
            "trop",
            "encore",
            "aussi",
            "même",
            "depuis",
            "ici",
            "là",
            "la-bas",
            "comme",
        ]
    )
    | FILLERS
)


@cache
def first_names() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "prenoms.txt"
    words = (w for line in path.read_text("utf-8").splitlines() if not line.startswith("#")
             for w in line.split())  # fmt: skip
    return frozenset(words)


def is_first_name(word: str) -> bool:
    parts = fold(word).split()
    return bool(parts) and all(p in first_names() for p in parts)


def _collect(tokens: list[str], start: int, limit: int = 4) -> list[str]:
    end = next((a for a, _, _ in find_spelled(tokens) if a >= start), len(tokens))
    return _collect_until(tokens[:end], start, limit)


def _collect_until(tokens: list[str], start: int, limit: int) -> list[str]:
    """Name tokens from `start` until a stop word (particles only inside a name)."""
    out: list[str] = []
    i = start
    while i < len(tokens) and len(out) < limit:
        tok = tokens[i]
        if (tok in TITLES or tok in FILLERS) and not out:
            i += 1
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else "."
        if tok in PARTICLES and out and (nxt not in STOP or nxt in PARTICLES):
            out.append(tok)
        elif tok in STOP or not re.fullmatch(r"[a-zà-ÿ][a-zà-ÿ'\-]*", tok):
            break
        else:
            out.append(tok)
        i += 1
    while out and out[-1] in PARTICLES:
        out.pop()
    return _trim(out)


def _trim(words: list[str]) -> list[str]:
    """Keep what is plausibly a name: a first name (from the lexicon) and one surname, which
    may carry particles ('jean de la fontaine'), else a lone surname ('madame martin'). Problem
    words that follow without a pause ('léa dupont la vitre est cassée') are dropped."""
    if len(words) < 2:
        return words
    if is_first_name(words[0]):
        k = 1
        while k < len(words) - 1 and words[k] in PARTICLES:
            k += 1
        return words[: k + 1]
    if is_first_name(words[1]):
        return words[:2]
    return words[:1]


def _apply_spelling(words: list[str], tokens: list[str]) -> list[str]:
    """A spelled run replaces the name word it spells (or the last one)."""
    for _, _, spelled in find_spelled(tokens):
        if not words:
            return [spelled]
        target = next((k for k, w in enumerate(words) if fold(w)[:1] == spelled[:1]), None)
        index = len(words) - 1 if target is None else target
        if fold(words[index]).replace(" ", "") != spelled:  # same letters: keep the accents
            words[index] = spelled
        return words
    return words


def _order(words: list[str]) -> str:
    # "dupont jean-pierre" -> "jean-pierre dupont": a first name said second comes first.
    if len(words) == 2 and is_first_name(words[1]) and not is_first_name(words[0]):
        words = [words[1], words[0]]
    return capitalize_words(" ".join(words), PARTICLES)


def _after_cue(norm: str, tokens: list[str], cue: re.Pattern[str], weak: bool) -> list[str]:
    for match in cue.finditer(norm):
        start = len(norm[: match.end()].split())
        words = _collect(tokens, start)
        if words and is_common(words[0]):
            continue  # "moi c'est assez urgent"
        if words and (not weak or is_first_name(words[0]) or tokens[start] in TITLES):
            return words
    return []


_GREETINGS = frozenset({"allô", "allo", "oui", "bonjour", "bonsoir", "alors", "euh", "voilà"})
_ADDRESSING = frozenset({"bonjour", "bonsoir", "allô", "allo", "merci", "pardon", "excusez-moi"})


def _after_title(tokens: list[str], expecting_name: bool) -> list[str]:
    """'c'est madame martin' -> ['martin']; but 'bonjour madame l'eau coule' greets the
    receptionist: a title right after a greeting, or before a common word, is no name."""
    for i, tok in enumerate(tokens[:-1]):
        if tok not in TITLES or len(tok) < 3:
            continue
        if i > 0 and tokens[i - 1] in _ADDRESSING | {"à", "a"} and not expecting_name:
            continue  # greeting the receptionist, or "parler à madame durand" (someone else)
        words = _collect(tokens, i + 1)
        if words and not is_common(words[0]):
            return words
    return []


def _opening_name(tokens: list[str]) -> list[str]:
    """'oui bonjour thomas lambert je suis au ...': callers open with their name, uncued."""
    start = next((i for i, t in enumerate(tokens) if t not in _GREETINGS), len(tokens))
    if start < len(tokens) - 1 and is_first_name(tokens[start]):
        words = _collect(tokens, start)
        return words if len(words) >= 2 else []
    return []


def extract_name(text: str, expecting_name: bool = False) -> str | None:
    """The caller's name, capitalised 'Prénom Nom', titles dropped; None when absent."""
    norm = _SPELL_CUES.sub(" ", normalize(text))
    tokens = norm.split()
    words = _after_cue(norm, tokens, _STRONG, weak=False) or _after_cue(norm, tokens, _WEAK, True)
    if not words:
        words = _after_title(tokens, expecting_name)
    if not words:
        words = _opening_name(tokens)
    if not words and expecting_name:
        start = next((i for i, t in enumerate(tokens) if t not in FILLERS | TITLES), 0)
        words = _collect(tokens, start)
    # "m" stays: it is the first spelled letter of "m o r e a u" more often than "M." (monsieur).
    spelled_tokens = [t for t in tokens if t not in TITLES - {"m"}]
    if not words and not (expecting_name and find_spelled(spelled_tokens)):
        return None
    words = _apply_spelling(words, spelled_tokens) if len(spelled_tokens) > 2 else words
    return _order(words) if words else None
