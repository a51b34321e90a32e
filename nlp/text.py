"""Text normalisation for every French rule of the project (nlp/ and agent/dialogue/): STT
output is lowercase-ish, unpunctuated, but Whisper sometimes adds commas, capitals and dotted
phone numbers.

Where the French rules live: folding and filler words here; spelled letters in nlp.letters;
number words both ways in nlp.numbers; spoken phone numbers in nlp.phone_words and nlp.phone,
written ones (E.164, read-back) in nlp.phone_numbers; urgency claims in nlp.keywords. The
dialogue's own cues (yes/no, "pardon ?", field names, spam) stay in agent.dialogue.lexicon.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

_APOSTROPHES = re.compile(r"[’`´]")
# "06.12.34.56.78" / "06-12-34" : separators between digits are not words.
_DIGIT_SEP = re.compile(r"(?<=\d)[.\-/](?=\d)")
_PUNCT = re.compile(r"[,;:!?()\[\]{}\"«»…]|(?<!\d)\.|\.(?!\d)")
_SPACES = re.compile(r"\s+")
# Phrase matching keeps "c'est", "allez-y", "pouvez-vous" whole; any other mark is a space.
_NOT_PHRASE = re.compile(r"[^\w' -]")

# The sounds a caller makes while looking for words: never content. The dialogue's
# hesitation cue (agent.dialogue.lexicon) and the extractors' FILLERS both start from them.
HESITATIONS = frozenset(["euh", "heu", "hum", "hmm", "bah", "ben", "beh"])
# Words a caller corrects a slip with ("le 83, pardon, le 73", "Dupont, non, Dupond"), folded.
CORRECTIONS = frozenset({"pardon", "non", "enfin", "plutot", "excusez", "erreur", "dire"})
_WORD = re.compile(r"[\w']+")
_EXCUSE_TAIL = re.compile(r"[\s-]*moi\b", re.IGNORECASE)  # "excusez-moi": the cue is both words


def corrected_at(text: str) -> int:
    """Where the words after the caller's last correction word start in `text` (0: none):
    "12 rue Garibaldi, non pardon, rue Moncey" -> the offset of " rue Moncey"."""
    ends = [m.end() for m in _WORD.finditer(text) if fold(m.group()) in CORRECTIONS]
    end = max(ends, default=0)
    tail = _EXCUSE_TAIL.match(text, end) if end else None
    return tail.end() if tail else end


# Words the extractors skip around a name, an address or a number.
FILLERS = HESITATIONS | frozenset(
    [
        "bon",
        "alors",
        "voilà",
        "voila",
        "donc",
        "enfin",
        "quoi",
        "hein",
        "ouais",
        "oui",
    ]
)


def normalize(text: str) -> str:
    """Lowercase, NFC, unify apostrophes, drop punctuation except apostrophes/hyphens/+."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _APOSTROPHES.sub("'", text)
    text = _DIGIT_SEP.sub(" ", text)
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str, *, keep_apostrophes: bool = False) -> str:
    """Comparison key: lower case, no accents, single spaces.

    By default (the extractors, whose word lists hold bare words) apostrophes and hyphens
    are spaces too: "l'eau" -> "l eau", "Jean-Pierre" -> "jean pierre", and the digits and
    marks normalize() keeps stay ("+33", "06 12"). With keep_apostrophes (the dialogue's
    phrase lists: "c'est ça", "allez-y", "pas celui-là") apostrophes and hyphens stay and
    every other mark is a space."""
    if keep_apostrophes:
        plain = strip_accents(_APOSTROPHES.sub("'", text.lower()))
        return " ".join(_NOT_PHRASE.sub(" ", plain).split())
    text = strip_accents(normalize(text)).replace("-", " ").replace("'", " ")
    return _SPACES.sub(" ", text).strip()


def names_said_whole(folded_text: str, folded_names: Iterable[str]) -> int:
    """How many of `folded_names` stand whole in `folded_text`: two or more in one answer is
    Whisper reading its prompt's list back, where a caller says one."""
    said = f" {folded_text} "
    return sum(f" {name} " in said for name in folded_names)


def capitalize_words(text: str, particles: frozenset[str] = frozenset()) -> str:
    """'jean-pierre de la fontaine' -> 'Jean-Pierre de la Fontaine'; particles stay lowercase,
    inside hyphenated town names too ('vaulx-en-velin' -> 'Vaulx-en-Velin')."""
    out: list[str] = []
    for i, word in enumerate(text.split()):
        if i > 0 and word in particles:
            out.append(word)
            continue
        parts = word.split("-")
        out.append("-".join(
            p if k > 0 and p in particles else _cap_elided(p) for k, p in enumerate(parts)
        ))  # fmt: skip
    return " ".join(out)


def _cap_elided(part: str) -> str:
    # "l'église" -> "l'Église", "d'arc" -> "d'Arc": the elided article stays lowercase.
    if len(part) > 2 and part[1] == "'" and part[0] in "ldjmnst":
        return part[:2] + part[2:].capitalize()
    return part.capitalize()


@cache
def common_words() -> frozenset[str]:
    """Accent-folded everyday words (nlp/data/mots_courants.txt): never a name or a place."""
    path = Path(__file__).with_name("data") / "mots_courants.txt"
    lines = path.read_text("utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


def is_common(word: str) -> bool:
    """True for everyday words, elided forms ("l'eau", "j'entends") and one-letter tokens."""
    if "'" in word and not word.startswith("d'"):
        return True
    return len(word) < 2 or fold(word) in common_words()
