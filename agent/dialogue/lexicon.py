"""The dialogue's cues: the words that say what a caller does in the conversation, not what
the call is about. Yes/no (and how Whisper garbles a short "oui"), "pardon ?" (repeat the
question), "euh... attendez" (the answer is still coming), which field a correction names,
spam phrases, the words that carry no problem, and whether a bare answer can be a name:
plausible_name() turns down the cue words above taken for a name ("Pardon", "Attendez"),
and plain_name() is the dialogue's last resort when nlp.names finds no name in an answer to
"votre nom ?" (a bare word after "c'est", "je m'appelle"), kept here as it is read by those
same cue words.

The French language rules themselves live in nlp/ (see nlp.text): folding (used here with
its apostrophes kept, as the phrases below hold "c'est", "allez-y"), the hesitation sounds,
spelled letters (nlp.letters), number words (nlp.numbers), phone numbers (nlp.phone,
nlp.phone_numbers) and what a caller says about urgency (nlp.keywords.said_urgency).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Literal

from rapidfuzz import fuzz

from nlp.phonetic import squashed_key
from nlp.text import HESITATIONS, fold

__all__ = [
    "Field",
    "asks_repeat",
    "content_words",
    "field_named",
    "hesitation",
    "is_spam",
    "plain_name",
    "plausible_name",
    "sounds_yes_no",
    "yes_no",
    "yes_no_heard",
]

Field = Literal["name", "address", "phone"]

_YES = (
    "oui", "ouais", "ouaip", "exact", "exactement", "correct", "c'est ca", "c'est bien ca",
    "c'est bon", "tout a fait", "absolument", "bien sur", "d'accord", "ok", "okay", "parfait",
    "affirmatif", "voila", "impeccable", "tres bien", "ca marche", "volontiers", "allez-y",
    "c'est juste", "tout est juste", "tout est bon", "tout est correct", "c'est le bon",
    "c'est celui-la", "ca me va", "entendu",
)  # fmt: skip
_NO = (
    "non", "nan", "pas du tout", "c'est pas ca", "ce n'est pas ca", "pas ca", "incorrect", "faux",
    "erreur", "pas ce numero", "pas celui-la", "un autre numero", "autre numero", "negatif",
    "pas bon", "pas exactement", "pas tout a fait",
)  # fmt: skip
_FIELDS: tuple[tuple[Field, tuple[str, ...]], ...] = (
    ("phone", ("numero", "telephone", "portable", "joindre", "rappeler au")),
    ("address", ("adresse", "rue", "avenue", "boulevard", "chemin", "impasse", "ville", "allee")),
    ("name", ("nom", "m'appelle", "prenom", "appelle")),
)
_NAME_CUES = re.compile(
    r"^(?:(?:euh|alors|oui|non|bon|donc|eh bien|ben)[\s,]+)*"
    r"(?:je m'appelle|je suis|moi c'est|c'est|mon nom c'est|mon nom est|le nom c'est"
    r"|le nom|nom)?\s*"
    r"(?:monsieur|madame|mademoiselle|m\.|mme)?\s*",
)
_NOT_NAMES = frozenset((
    "pardon", "quoi", "comment", "allo", "oui", "non", "euh", "hein", "bonjour", "merci", "rien",
    "attendez", "attends", "je", "tu", "il", "elle", "on", "nous", "vous", "ils", "de", "du",
    "des", "le", "la", "les", "un", "une", "et", "ou", "mais", "pas", "attendez", "ecoutez",
    "quoi", "repetez", "desole", "excusez", "moment", "seconde", "eh", "ah", "oh",
))  # fmt: skip
# Words no name holds: Whisper echoing the question back ("C'est à quel point ?" for "Agnès...
# Fournier" was taken as the name "À Quel Point" in a whole call).
_QUESTION_WORDS = frozenset(
    ("a", "au", "aux", "quel", "quelle", "quels", "quelles", "pourquoi", "combien", "est-ce")
)
# A name does not start with an elided pronoun or "qu'" (Whisper's "n'Étais", "Qu'est-ce",
# "m'Achujotez" for names it could not read); "d'" and "l'" do ("D'Amico", "L'Hermite").
_ELIDED_START = re.compile(r"^(?:qu|[jmnstc])'")
# Words that carry no problem: greetings, fillers, and the generic "j'ai un problème".
_EMPTY = frozenset((
    "allo", "bonjour", "bonsoir", "oui", "ouais", "euh", "heu", "hum", "hm", "bah", "ben", "bon",
    "alors", "voila", "donc", "madame", "monsieur", "excusez", "moi", "pardon", "c'est", "c",
    "est", "pour", "un", "une", "le", "la", "les", "de", "du", "des", "j'ai", "j", "ai", "je",
    "vous", "appelle", "appelais", "appel", "probleme", "souci", "renseignement", "question",
    "information", "besoin", "urgent", "urgence", "tres", "il", "y", "a", "quoi", "hein",
    "attendez", "ecoutez", "sais", "plus", "pas", "rien", "merci", "svp", "s'il", "plait",
    "voudrais", "veux", "aimerais", "est-ce", "que", "qu'il", "ca", "comment", "mon", "ma",
))  # fmt: skip
_WORD = re.compile(r"^[a-zà-öø-ÿ][a-zà-öø-ÿ'\-]*$", re.IGNORECASE)


def _fold(text: str) -> str:
    """The phrases above are folded with their apostrophes and hyphens ("c'est ca")."""
    return fold(text, keep_apostrophes=True)


def _has(folded: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", folded) is not None


def yes_no(text: str) -> bool | None:
    """True for yes, False for no, None when neither is clear. The first word decides first
    ("non, c'est le 07..." is a no even though it goes on)."""
    folded = _fold(text)
    words = folded.split()
    if not words:
        return None
    if words[0] in ("non", "nan", "no"):
        return False
    if words[0] in ("oui", "ouais", "ouaip", "yes") and not any(_has(folded, n) for n in _NO[2:]):
        return True
    if any(_has(folded, n) for n in _NO):
        return False
    if any(_has(folded, y) for y in _YES):
        return True
    return None


# Whisper base garbles a short "oui" on the phone ("Oui, c'est ça." -> "Un, c'est ça !",
# "Oui, tout à fait." -> "Où tu as fait ?", "Tout à fait." -> "Tu as fait ?"), while a clear
# word ("non", "voilà") comes through. A reading that names no answer is compared by sound
# (nlp.phonetic keys, rapidfuzz ratio) with the closed set of answers to a yes/no question.
_YES_SAID = (*_YES, "oui oui", "ben oui", "euh oui", "ah oui", "mais oui",
             *(f"oui {y}" for y in _YES[1:]))  # fmt: skip
_NO_SAID = (*_NO, "non non", "ben non", "euh non", "ah non", *(f"non {n}" for n in _NO[1:]))
# Measured (key ratio, best of each side) on Pico answers through μ-law and their misreadings:
# the misread yeses score 80-86 on the yes side and at least 12 under it on the no side;
# replies that answer neither ("Je ne sais pas", "Un instant", "Bonjour", "Pardon ?") stay
# under 67 on both. Keys under 5 letters ("On" for "Oui.") are too short to tell.
_SOUNDS_MIN = 80.0
_SOUNDS_MARGIN = 10.0
_SOUNDS_MIN_KEY = 5
_SOUNDS_MAX_WORDS = 6


@cache
def _said_keys(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(squashed_key(p) for p in phrases)


def sounds_yes_no(text: str) -> bool | None:
    """A short reading that sounds like one answer of the closed set, and clearly more like
    a yes than a no (or the reverse); None when it is neither or could be both."""
    if not 1 <= len(_fold(text).split()) <= _SOUNDS_MAX_WORDS:
        return None
    key = squashed_key(text)
    if len(key) < _SOUNDS_MIN_KEY:
        return None
    yes = max(fuzz.ratio(key, k) for k in _said_keys(_YES_SAID))
    no = max(fuzz.ratio(key, k) for k in _said_keys(_NO_SAID))
    if max(yes, no) < _SOUNDS_MIN or abs(yes - no) < _SOUNDS_MARGIN:
        return None
    return yes > no


def yes_no_heard(hypotheses: Sequence[str]) -> bool | None:
    """Yes/no from the recognizer's n-best (best first): a yes or no word in the best reading
    decides; failing that, the first reading that sounds like one (see sounds_yes_no). A
    clear word found only in another reading is not trusted: measured on Pico answers, the
    one such case was a "Non" read for "Ben oui." (best "Dany")."""
    answer = yes_no(hypotheses[0]) if hypotheses else None
    if answer is not None:
        return answer
    for hypothesis in hypotheses:
        answer = sounds_yes_no(hypothesis)
        if answer is not None:
            return answer
    # Any other reading saying "non" would have decided above through the best one or been
    # heard clearly; the others are garbles of the same "Oui." ("Hum..."). A best reading
    # made only of the sounds of a lone "Oui." ("On...", "On... On...") is a yes even with a
    # "Non." below it: that is Whisper's second guess at the same sound. 14 runs of whole
    # sandbox calls (407): 153 "Oui." read "On...", no "Non." read so ("Non." or "Non Non"
    # first); 72 questions were asked again after an "On..." (the "Non." below it, seen
    # since the calls' notes keep the other readings).
    if not hypotheses or not _oui_garbled(hypotheses[0]):
        return None
    if _oui_sounds_only(hypotheses[0]) or not any(yes_no(h) is False for h in hypotheses):
        return True
    return None


def _oui_sounds_only(text: str) -> bool:
    return all(word in _BARE_OUI for word in _fold(text).split())


def _oui_garbled(text: str) -> bool:
    """A lone "Oui." as Whisper writes it ("On...", "Un."), or a short yes whose "Oui" it
    wrote "On" ("On se juiste." for "Oui, c'est juste.", "On s'il bon !" for "Oui, c'est le
    bon."): not "Un instant", which starts like "un" and asks to wait."""
    words = _fold(text).split()
    if not words or words[0] not in _BARE_OUI:
        return False
    rest = words[1:]
    if not rest:
        return True
    plain = not any(c.isdigit() for c in text) and not _NOT_A_YES.intersection(rest)
    return words[0] in _OUI_LEADS and len(rest) <= _OUI_REST_WORDS and plain


# A lone "Oui." through the phone line comes out of Whisper base as one of these, and only
# these, in every reading ("Un." / "On..." on whole sandbox calls); alone they answer
# nothing else, while a "non" comes through clearly (first-token probability 0.89 against
# 0.02 for "Oui" on the same line).
_BARE_OUI = frozenset({"on", "un", "o", "oh", "ou", "ouh"})
# Of those, the ones that start a short yes in whole calls (26 lone "Oui." read "On..." and
# 12 "Oui, c'est juste." read "On se juiste." over three 44-call evaluations); "un" starts
# "un instant", "un moment" too.
_OUI_LEADS = frozenset({"on", "oh", "ouh"})
_OUI_REST_WORDS = 3
# "On ne sait pas", "on verra", "on attend": "on" as the pronoun, saying no yes.
_NOT_A_YES = frozenset(
    {
        "ne",
        "n'",
        "pas",
        "sait",
        "sais",
        "verra",
        "attend",
        "attendez",
        "instant",
        "moment",
        "peut",
        "doit",
        "va",
    }
)


def field_named(text: str) -> Field | None:
    """Which lead field the caller talks about ("le nom c'est...", "c'est 14 rue...")."""
    folded = _fold(text)
    spaced = folded.replace("'", " ")  # "l'adresse": the elided article hides the word
    for field, cues in _FIELDS:
        if any(_has(folded, cue) or _has(spaced, cue) for cue in cues):
            return field
    return None


_REPEAT_CUES = frozenset(("pardon", "comment", "quoi", "hein", "repetez", "repeter", "compris"))
_REPEAT_WORDS = _REPEAT_CUES | frozenset((
    "euh", "oui", "allo", "vous", "pouvez", "pouvez-vous", "pourriez-vous", "pourriez", "je",
    "j'ai", "n'ai", "n", "ai", "pas", "bien", "excusez", "excusez-moi", "moi", "madame",
    "monsieur", "s'il",
    "vous", "plait", "la", "question", "c'est", "ca", "que", "qu'est-ce", "qu'est", "ce",
))  # fmt: skip


def asks_repeat(text: str) -> bool:
    """'Pardon ?', 'comment ?', 'vous pouvez répéter ?': the caller did not hear the question."""
    words = _fold(text).split()
    return (
        0 < len(words) <= 6
        and all(w in _REPEAT_WORDS for w in words)
        and any(w in _REPEAT_CUES for w in words)
    )


def content_words(text: str) -> list[str]:
    """The words that could describe a problem (greetings, fillers, generic words dropped)."""
    return [w for w in re.split(r"[\s']+", _fold(text)) if w and w not in _EMPTY and len(w) > 1]


_LETTER_LOOP = re.compile(r"([a-z])\1\1")
# The same two or three letters four times over, separators aside: Whisper looping on a
# spelling ("Ré-é-en-en-en-en-en-en-en-en" for "B, E, N, O, I, T"); no name says that.
_SYLLABLE_LOOP = re.compile(r"([a-z]{2,3})\1{3,}")


# What a caller says while looking for the answer ("Euh...", "Alors, attendez"), and what
# Whisper base writes for a lone "Euh..." on the phone line ("C'est").
_STILL_COMING = HESITATIONS | frozenset((
    "alors", "attendez", "attends", "ah", "eh", "c", "est", "donc", "enfin", "un", "une",
    "instant", "seconde", "moment", "je", "cherche",
))  # fmt: skip


def hesitation(text: str) -> bool:
    """Only hesitation words: the answer is still coming, nothing to act on yet."""
    words = [w for w in re.split(r"[\s']+", _fold(text)) if w]
    return bool(words) and all(w in _STILL_COMING for w in words)


def plausible_name(name: str) -> bool:
    """False for fillers taken as names ("Pardon", "Attendez")."""
    words = _fold(name).split()
    if _LETTER_LOOP.search(_fold(name)):
        return False  # "Nggggg": Whisper looping on a spelled letter; no name has "ggg"
    if _SYLLABLE_LOOP.search(re.sub(r"[^a-z]", "", _fold(name))):
        return False
    if any(_ELIDED_START.match(w) or w in _QUESTION_WORDS for w in words):
        return False
    return bool(words) and not all(w in _NOT_NAMES or w in _EMPTY for w in words)


def is_spam(text: str, phrases: Iterable[str]) -> bool:
    folded = _fold(text)
    return any(_has(folded, _fold(p)) for p in phrases)


def plain_name(text: str) -> str | None:
    """A bare surname ("Dupont", "c'est madame Le Goff") when the NLP found none: at most three
    words, letters only, none of them a filler word."""
    cleaned = " ".join(text.replace("’", "'").strip(" .,!?;:").split())
    lowered = cleaned.lower()
    match = _NAME_CUES.match(lowered)
    rest = cleaned[match.end() :] if match else cleaned
    words = rest.strip(" .,!?").split()
    if not 1 <= len(words) <= 3:
        return None
    if any(not _WORD.match(w) or _fold(w) in _NOT_NAMES for w in words):
        return None
    return " ".join(w[:1].upper() + w[1:] for w in words)
