"""French phonetic keys: words that sound alike get the same key ("Jaurès"/"jorès" -> JOR).

Whisper through an 8 kHz phone line writes what it heard with the wrong letters ("Léon" for
Lyon, "courremis" for Cours Émile), so street and town names are compared by sound as well as
by spelling. The key itself is `phonetic_fr` (PyPI, MIT): a port of Édouard Bergé's "Soundex
FR" rules (silent final letters, eau/au/o, ph/f, qu/k, c/s/k, g/j, an/en/em, ai/è/ei, double
letters, mute h...). English keys (soundex, metaphone, jellyfish's) mis-key French, which is
why they are not used. This module only applies it per word and caches it: a département has
~20k street names over a few thousand distinct words, and callers repeat the same few words.
"""

from __future__ import annotations

from functools import lru_cache

from phonetic_fr import phonetic

from nlp.text import fold

_SILENT_FINALS = "STDXZ"


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """Key of one folded word; digits are kept as they are (house numbers, "11 novembre")."""
    if word.isdigit():
        return word
    key = str(phonetic(word))
    if len(word) <= 3 and (not key or key[-1] in _SILENT_FINALS):
        # Small words end on a silent consonant that the rules keep or blank out: "et" has
        # no key at all and "est" keys ES, both said "é" (Whisper writes "cour et mise" for
        # "cours Émile").
        bare = word.rstrip(_SILENT_FINALS.lower())
        if bare and bare != word:
            key = str(phonetic(bare)) or bare.upper()
    return key or word.upper()


def phonetic_key(text: str) -> str:
    """Space-separated keys of the words of `text` ("Cours Émile Zola" -> "KOUR EMIL ZOLA")."""
    return " ".join(word_key(w) for w in fold(text).split())


def squashed_key(text: str) -> str:
    """The key without spaces: Whisper cuts words in the wrong places ("courremis de la" for
    "cours Émile Zola"), so comparisons run over the whole sound string."""
    return "".join(word_key(w) for w in fold(text).split())
