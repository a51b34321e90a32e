"""Caller names: 'je m'appelle jean dupont', 'madame martin', bare 'dupont jean-pierre',
spelled 'N G U Y E N'. Returned as 'Prénom Nom'."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from nlp.letters import find_spelled, split_hyphened
from nlp.surnames import (
    HOMOPHONE,
    KNOWN,
    SPELLED_NEW,
    UNKNOWN,
    is_known_surname,
    resolve_surname,
)
from nlp.text import FILLERS, capitalize_words, corrected_at, fold, is_common, normalize

TITLES = frozenset(
    ["madame", "monsieur", "mademoiselle", "mme", "mlle", "m", "mr", "docteur", "maître", "maitre"]
)
PARTICLES = frozenset(
    {"de", "du", "des", "le", "la", "van", "von", "d'", "ben", "el", "da", "dos", "di", "ait"}
)
_STRONG = re.compile(
    r"(?:je m'?\s?appelle|moi c'?\s?est|mon nom (?:de famille )?(?:c'?\s?est |est )?"
    r"|de la part de|au nom de|nom de famille|prénom|prenom)\s*"
)
# Weak cues ("c'est vraiment urgent") only count when a known first name follows.
FIRST_NAME_ONLY = 0.3  # "c'est paul": no surname to write down
_WEAK = re.compile(r"(?:je suis|c'?\s?est|ici)\s+")
_SPELL_CUES = re.compile(r"\b(?:ça|ca|je vous|j'|ce qui) (?:s'écrit|s'ecrit|s'épelle|épelle)\b")
# Words that end a name: verbs, pronouns, slot cues, problem words.
STOP = frozenset({
    "et", "je", "j'ai", "j'habite", "jai", "j", "habite", "mon", "ma", "mes", "c'est", "cest",
    "est", "suis", "à", "a", "au", "aux", "en", "pour", "qui", "que", "dans", "sur", "chez",
    "rue", "avenue", "numéro", "numero", "téléphone", "telephone", "portable", "vous", "nous",
    "il", "elle", "on", "ça", "ca", "ce", "cette", "le", "la", "les", "un", "une", "des", "du",
    "de", "d'", "l'", "y", "avait", "ai", "appelle", "appelais", "parce", "car", "mais",
    "bonjour", "merci", "oui", "non", "s'il", "plait", "plaît", "excusez", "voudrais",
    "voulais", "souhaite", "souhaiterais", "besoin", "problème", "probleme", "urgent",
    "urgence", "fuite", "plombier", "serrurier", "électricien", "electricien", "chauffagiste",
    "couvreur", "vitrier", "désolé", "propriétaire", "locataire", "appel", "avez", "pas", "ne",
    "n'ai", "bien", "tout", "très", "tres", "trop", "encore", "aussi", "même", "depuis", "ici",
    "là", "la-bas", "comme",
}) | FILLERS  # fmt: skip


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
        elif not out or out[-1] != tok:  # "paul, paul durand": a restart, not two names
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
    listed = _listed_after_first(words)
    if listed is not None:
        return listed
    if _surname_like(words[1]) and not is_known_surname(words[0]) and not is_common(words[0]):
        return words[:2]  # "poules durant": a first name Whisper garbled, then the surname
    return words[:1]


def _listed_after_first(words: list[str]) -> list[str] | None:
    """A listed surname after the first word, with the word before it (a first name Whisper
    garbled): "caron benali" (Karim Benali), "satima el amrani", "c'était lodil vidal". The
    second hearing prompted with the closest list names writes them so (agent.speech.
    narrowing); the first word alone was kept before, the garbled first name."""
    for k in range(1, len(words)):
        if words[k] in PARTICLES and k + 1 < len(words):
            if is_known_surname(" ".join(words[k : k + 2])):
                return words[k - 1 : k + 2]
        elif is_known_surname(words[k]) and not is_common(words[k]):
            return words[k - 1 : k + 1]
    return None


def _surname_like(word: str) -> bool:
    """A listed surname, or a homophone of one ('durant')."""
    return resolve_surname(word, None)[1] >= HOMOPHONE


def _spelled_target(words: list[str], spelled: str) -> int:
    """Index of the name word a spelled run spells (same first letter), else the last."""
    target = next((k for k, w in enumerate(words) if fold(w)[:1] == fold(spelled)[:1]), None)
    return len(words) - 1 if target is None else target


def _order(words: list[str]) -> list[str]:
    # "dupont jean-pierre" -> "jean-pierre dupont": a first name said second comes first.
    if len(words) != 2:
        return words
    # "simon martine": both are first names, but only Simon is a common surname.
    surname_first = is_known_surname(words[0]) and not is_known_surname(words[-1])
    if (
        len(words) == 2
        and is_first_name(words[1])
        and (not is_first_name(words[0]) or surname_first)
    ):
        return [words[1], words[0]]
    return words


def _resolve(words: list[str], spelled: str | None) -> tuple[list[str], float]:
    """Words in 'prénom nom' order with the surname resolved, and the name's confidence."""
    if spelled is not None:
        if not words:
            name, confidence = resolve_surname(None, spelled)
            return [name], confidence
        index = _spelled_target(words, spelled)
        name, confidence = resolve_surname(words[index], spelled)
        words = [*words[:index], name, *words[index + 1 :]]
        return _order(words), confidence
    words = _order(words)
    if len(words) == 1 and is_first_name(words[0]) and not is_known_surname(words[0]):
        return words, FIRST_NAME_ONLY
    start = next((k for k, w in enumerate(words) if k > 0 and w in PARTICLES), None)
    if start is not None:  # "enzo da silva" -> Da Silva (listed); "jean de la fontaine": as said
        joined = " ".join(words[start:])
        if is_known_surname(joined):
            return [*words[:start], resolve_surname(joined, None)[0]], KNOWN
        name, confidence = resolve_surname(joined, None)
        if confidence >= HOMOPHONE - 0.1:  # "nicolas le mère" -> Lemaire (same sounds)
            return [*words[:start], name], confidence
        return words, UNKNOWN
    name, confidence = resolve_surname(words[-1], None)
    if fold(name) != fold(words[-1]) or not any(c in "àâçéèêëîïôûùü" for c in words[-1]):
        words = [*words[:-1], name]  # snapped, or the list restores the accents
    if len(words) > 1 and not is_first_name(words[0]):
        confidence *= 0.9  # the first name could not be checked
    return words, confidence


def _after_cue(
    norm: str, tokens: list[str], cue: re.Pattern[str], weak: bool, asked: bool = False
) -> list[str]:
    """Name words after a cue ("je m'appelle"); after a weak one ("je suis"), only a first
    name or a title, unless the name was `asked` and the cue opens the answer ("je suis
    Karin Benali", but not "Fontaine, c'est bastier à Fontaine")."""
    for match in cue.finditer(norm):
        start = len(norm[: match.end()].split())
        words = _collect(tokens, start)
        if words and is_common(words[0]):
            continue  # "moi c'est assez urgent"
        opens = all(w.strip(",.!?") in _GREETINGS for w in norm[: match.start()].split())
        sure = not weak or (asked and opens)
        if words and (sure or is_first_name(words[0]) or tokens[start] in TITLES):
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


def _heard_words(tokens: list[str], norm: str, expecting_name: bool) -> list[str]:
    words = _after_cue(norm, tokens, _STRONG, weak=False)
    words = words or _after_cue(norm, tokens, _WEAK, weak=True, asked=expecting_name)
    if not words:
        words = _after_title(tokens, expecting_name)
    if not words:
        words = _opening_name(tokens)
    if not words and expecting_name:
        start = next((i for i, t in enumerate(tokens) if t not in FILLERS | TITLES), 0)
        words = _collect(tokens, start)
    return words


def name_and_confidence(text: str, expecting_name: bool = False) -> tuple[str | None, float]:
    """The caller's name ('Prénom Nom', surname resolved against the list of common
    surnames) and a confidence in 0..1 (below ~0.7: worth asking to spell); (None, 0.0).
    A name said after a correction replaces the one before ("Dupont, non pardon, Dupond")."""
    corrected = _after_correction(text)
    if corrected:
        found = _name_and_confidence(corrected, expecting_name)
        if found[0] is not None:
            return found
    return _name_and_confidence(text, expecting_name)


def _after_correction(text: str) -> str:
    """What `text` says after its last correction word ("" when none)."""
    cut = corrected_at(text)
    return text[cut:].lstrip(" ,.;:!?") if cut else ""


def _name_and_confidence(text: str, expecting_name: bool) -> tuple[str | None, float]:
    norm = _SPELL_CUES.sub(" ", normalize(text))
    tokens = split_hyphened(norm.split())
    words = _heard_words(tokens, norm, expecting_name)
    # "m" stays: it is the first spelled letter of "m o r e a u" more often than "M." (monsieur).
    spelled_tokens = [t for t in tokens if t not in TITLES - {"m"}]
    runs = find_spelled(spelled_tokens) if len(spelled_tokens) > 2 else []
    if not words and not (expecting_name and runs):
        return None, 0.0
    words, confidence = _resolve(words, runs[0][2] if runs else None)
    if not words:
        return None, 0.0
    # Words from the list ("Da Silva", "Le Gall") keep their written form.
    shown = [
        w if w[:1].isupper() or (k > 0 and w in PARTICLES) else capitalize_words(w, PARTICLES)
        for k, w in enumerate(words)
    ]
    return " ".join(shown), round(confidence, 3)


def extract_name(text: str, expecting_name: bool = False) -> str | None:
    """The caller's name, capitalised 'Prénom Nom', titles dropped; None when absent."""
    return name_and_confidence(text, expecting_name)[0]


def name_with_confidence(
    text: str, alternatives: Sequence[str] = (), expecting_name: bool = True
) -> tuple[str | None, float]:
    """The name over Whisper's n-best (best first): the name most hypotheses give (weighted
    by rank; a spelled one counts double), its confidence scaled by their agreement."""
    votes: dict[str, float] = {}
    best: dict[str, tuple[str, float]] = {}
    for rank, hyp in enumerate([text, *alternatives]):
        name, confidence = name_and_confidence(hyp, expecting_name)
        if name is None:
            continue
        key = fold(name)
        weight = (1.0 + (confidence >= SPELLED_NEW)) * (0.5 + confidence) / (rank + 1)
        votes[key] = votes.get(key, 0.0) + weight
        if key not in best or confidence > best[key][1]:
            best[key] = (name, confidence)
    if not votes:
        return None, 0.0
    key = max(votes, key=lambda k: votes[k])  # ties: the earlier hypothesis (dict order)
    share = votes[key] / sum(votes.values())
    name, confidence = best[key]
    return name, round(confidence * (0.5 + 0.5 * share), 3)
