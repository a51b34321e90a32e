"""Split one heard address ("euh au 12 bis avenue jean jaurès 69007 à lyon") into its parts:
house number, postcode, the words of the street, and the remaining words where a town may be.

Pure and forgiving: Whisper's output through the phone is unpunctuated, full of fillers and
sometimes cut in the wrong places, so nothing here requires a street type or a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from nlp.address import STREET_TYPES, SUFFIXES
from nlp.numbers import is_round_ten, one_word_numbers, words_to_digits
from nlp.phonetic import squashed_key
from nlp.text import CORRECTIONS, FILLERS, HESITATIONS, corrected_at, fold

# Words around an address that are never part of a street name (stripped at the edges only:
# inside a name, "de la" belongs to it).
EDGE_WORDS = frozenset(
    [
        "je",
        "j",
        "j'",
        "jhabite",
        "j'habite",
        "habite",
        "habitons",
        "on",
        "nous",
        "vous",
        "suis",
        "sommes",
        "c",
        "c'",
        "cest",
        "c'est",
        "est",
        "ce",
        "au",
        "aux",
        "à",
        "a",
        "dans",
        "sur",
        "ville",
        "commune",
        "code",
        "postal",
        "numero",
        "numéro",
        "n°",
        "no",
        "mon",
        "ma",
        "notre",
        "adresse",
        "l'adresse",
        "ladresse",
        "voici",
        "voila",
        "voilà",
        "alors",
        "donc",
        "et",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l'",
        "d'",
        "en",
        "chez",
        "pres",
        "près",
        "vers",
        "s'il",
        "plait",
        "merci",
        "bien",
        "tout",
        "situe",
        "située",
        "situé",
        "trouve",
        "y",
        "il",
        "elle",
        "me",
    ]
)
PARTICLES = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "aux", "sur"})
_NAME_LEADS = frozenset({"du", "de"})
# How Whisper writes street types it hears through the phone: homophones ("cour" for
# "cours", "plasse" for "place") and one type cut into two words ("un passe" for "impasse").
# Read as types in heard words only: "aller" or "court" are common words elsewhere.
HEARD_TYPES: dict[str, str] = {
    **STREET_TYPES,
    "cour": "cours", "court": "cours", "courre": "cours", "ru": "rue", "rues": "rue",
    "quais": "quai", "plasse": "place", "places": "place", "allé": "allée", "alle": "allée",
    "aller": "allée", "allées": "allée", "allees": "allée", "avenues": "avenue",
    "boulevards": "boulevard", "chemins": "chemin", "routes": "route",
}  # fmt: skip
_TYPE_PAIRS: dict[tuple[str, ...], str] = {
    ("qu", "ai"): "quai", ("qu", "est"): "quai", ("qu", "es"): "quai", ("un", "passe"): "impasse",
    ("in", "passe"): "impasse", ("a", "les"): "allée", ("a", "le"): "allée",
    ("bout", "levard"): "boulevard", ("bou", "levard"): "boulevard", ("mont", "tee"): "montée",
    ("grand", "rue"): "grande rue",
}  # fmt: skip
_TYPE_TRIPLES: dict[tuple[str, ...], str] = {
    ("bout", "le", "vard"): "boulevard", ("bord", "de", "vard"): "boulevard",
    ("bou", "le", "vard"): "boulevard",
}  # fmt: skip
_SUFFIX_WORDS = {**{s: s for s in SUFFIXES}, "b": "bis", "t": "ter"}
# First two digits of a French postcode: 01..95 (overseas 97x/98x are not served here).
_MAX_DEPARTEMENT = 95


@dataclass(frozen=True)
class HeardAddress:
    text: str  # the hypothesis as heard
    words: tuple[str, ...]  # folded words, fillers removed, numbers as digits
    number: str | None  # "12", "12 bis"
    postcode: str | None
    # Indexes into `words` already used by the number and the postcode.
    used: frozenset[int]


def heard_words(text: str) -> tuple[str, ...]:
    """Folded words with number words as digits and fillers ("euh", "ben") dropped."""
    digits = words_to_digits(text)
    words = fold(digits.replace("'", "' ")).split()
    return tuple(w for w in words if w not in FILLERS)


def street_corrected(text: str) -> str:
    """An address whose street the caller took back ("12 rue Garibaldi, non pardon, rue
    Moncey"): what follows the last correction, with the house number said before it when
    none follows; else `text` as heard (a number or a town corrected alone is read by
    `parse_heard` and the town index)."""
    cut = corrected_at(text)
    rest = text[cut:].lstrip(" ,.;:!?")
    if not cut or not any(w in HEARD_TYPES for w in heard_words(rest)):
        return text
    number = parse_heard(text[:cut]).number
    return rest if number is None or parse_heard(rest).number else f"{number} {rest}"


def parse_heard(text: str) -> HeardAddress:
    words = heard_words(text)
    used: set[int] = set()
    postcode = _postcode(words, used)
    number = _number(words, used)
    return HeardAddress(text, words, number, postcode, frozenset(used))


def _postcode(words: tuple[str, ...], used: set[int]) -> str | None:
    """Five digits said at once or in pieces ("69 0 0 3", "69 003"), the last such run."""
    runs: list[list[int]] = []
    for i, w in enumerate(words):
        if w.isdigit():
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    for run in reversed(runs):
        for start in range(len(run)):  # longest tail first: "12 69 0 0 3" -> 12 + 69003
            piece = run[start:]
            digits = "".join(words[i] for i in piece)
            if len(digits) == 5 and 1 <= int(digits[:2]) <= _MAX_DEPARTEMENT:
                used.update(piece)
                return digits
    return None


def _number(words: tuple[str, ...], used: set[int]) -> str | None:
    """The house number: 1-4 digits (the one before a street type word first) + bis/ter."""
    candidates = [
        i
        for i, w in enumerate(words)
        if w.isdigit() and len(w) <= 4 and i not in used and not in_name(words, i)
    ]
    # "au 83, pardon, 73 cours ...": a number said after a correction replaces the one before,
    # and one the caller takes back is not the house number even when the next was lost.
    kept = [i for i in candidates if not taken_back(words, i)]
    if not kept:
        return _number_by_sound(words, used)
    cue = max((i for i, w in enumerate(words) if w in CORRECTIONS), default=-1)
    candidates = [i for i in kept if i > cue] or kept
    before_type = [i for i in candidates if i + 1 < len(words) and _is_type_or_suffix(words, i)]
    at = (before_type or candidates)[0]
    used.add(at)
    value, end = _whole_compound(words, at, used)
    number = str(value)
    if end + 1 < len(words) and words[end + 1] in _SUFFIX_WORDS:
        used.add(end + 1)
        number = f"{number} {_SUFFIX_WORDS[words[end + 1]]}"
    return number if number != "0" else None


# The unit of a compound number as Whisper writes it after the round ten, where no such
# word goes ("cinquante-deux" -> "50 de", "vingt-sept" -> "20 c'est"), in whole calls.
_UNITS_AS_WORDS: dict[tuple[str, ...], int] = {
    ("de",): 2, ("c", "est"): 7, ("cet",): 7, ("set",): 7,
}  # fmt: skip


def _whole_compound(words: tuple[str, ...], at: int, used: set[int]) -> tuple[int, int]:
    """The house number at `at` made whole where Whisper split a compound: a round ten then
    its unit ("20 7 avenue" is 27), or a round ten then the unit as a word that has no place
    before the street type, the town or the end ("au 50 de rue de la République" is 52;
    "au 50 de la rue" has its article). Returns the number and its last word's index."""
    value, before = int(words[at]), at - 1
    if 1 <= value <= 9 and before >= 0 and before not in used and _round_ten(words[before]):
        used.add(before)
        return int(words[before]) + value, at
    if not _round_ten(words[at]):
        return value, at
    for unit_words, unit in _UNITS_AS_WORDS.items():
        end = at + len(unit_words)
        if words[at + 1 : end + 1] == unit_words and _number_ends(words, end + 1):
            used.update(range(at + 1, end + 1))
            return value + unit, end
    return value, at


def _round_ten(word: str) -> bool:
    return word.isdigit() and is_round_ten(int(word))


def _number_ends(words: tuple[str, ...], i: int) -> bool:
    """The house number ends before word `i`: the street type, "à" (the town) or the end."""
    return i == len(words) or words[i] in STREET_TYPES or words[i] == "a"


def taken_back(words: Sequence[str], i: int) -> bool:
    """The word at `i` is followed by a correction (see `followed_by_correction`)."""
    return followed_by_correction(words[i + 1 :])


def followed_by_correction(after: Sequence[str]) -> bool:
    """`after` (folded words) starts with a correction, hesitations aside: "au 83, pardon",
    "le 27... enfin non", "le 44, euh non", "au 45, mon pardon" (Whisper's "non pardon")."""
    kept = (w for w in after if w not in HESITATIONS)
    word = next(kept, None)
    return (next(kept, None) if word == "mon" else word) in CORRECTIONS


def _number_by_sound(words: tuple[str, ...], used: set[int]) -> str | None:
    """A house number Whisper wrote as a word that sounds like one, in the one place a number
    stands: right before the street type ("si boulevard Pinel" for "6 boulevard Pinel",
    "au dit boulevard" for "au 10 boulevard"). Elsewhere such words are ordinary words."""
    for i in range(len(words) - 1):
        if i in used or not _is_type_or_suffix(words, i) or words[i] in STREET_TYPES:
            continue
        value = _number_sounds().get(squashed_key(words[i]))
        if value is not None:
            used.add(i)
            return value
    return None


@cache
def _number_sounds() -> dict[str, str]:
    """Sound key -> digits for the numbers said in one word from 2 ("deux") to 60: "un" and
    "une" are articles far more often than house numbers."""
    return {squashed_key(w): str(v) for w, v in one_word_numbers(2, 60).items()}


def in_name(words: Sequence[str], i: int) -> bool:
    """A number inside a street name: "rue du 4 août", "boulevard du 11 novembre 1918". Not
    one ending the answer after a street already said: "Rue Octavie, au 6." came out "Rue
    Octavie, cours 6." (Whisper writes the "au" after the street as a street type)."""
    before = words[i - 1] if i > 0 else ""
    closing = i == len(words) - 1 and i > 1 and before in STREET_TYPES
    return (
        before in _NAME_LEADS
        or (before in STREET_TYPES and not closing)
        or (before.isdigit() and i > 1 and in_name(words, i - 1))
    )


def _is_type_or_suffix(words: tuple[str, ...], i: int) -> bool:
    nxt = words[i + 1]
    if nxt in _SUFFIX_WORDS and i + 2 < len(words):
        nxt = words[i + 2]
    return nxt in STREET_TYPES


def street_words(words: tuple[str, ...], skip: frozenset[int]) -> tuple[str, ...]:
    """The words left for the street name: without the indexes in `skip` (number, postcode,
    town) and without the cue words at either end ("j'habite au ... à")."""
    return street_variants(words, skip)[0]


def street_variants(words: tuple[str, ...], skip: frozenset[int]) -> tuple[tuple[str, ...], ...]:
    """The street words (`street_words`) first, then other readings of the same answer:
    the run with its edge words kept ("cour et mise là": "là" is the end of "Zola"), and all
    the runs joined when a number word cut the name ("cours le mille Zola": "mille" is 1000).
    Whisper cuts and spells words where it likes; the matcher keeps the best reading."""
    # The longest run of kept words is the street: a town or a number cuts the sentence.
    runs: list[list[str]] = [[]]
    for i, w in enumerate(words):
        if i in skip or (w.isdigit() and not in_name(words, i)):
            runs.append([])
        else:
            runs[-1].append(w)
    runs = [_merge_types(run) for run in runs]

    def weight(run: Sequence[str]) -> int:
        return sum(len(w) for w in run if w not in PARTICLES)

    trimmed = [_trim(run) for run in runs]
    best = max(range(len(runs)), key=lambda i: weight(trimmed[i]))
    variants = [tuple(trimmed[best]), tuple(_trim_head(runs[best])), _from_type(trimmed[best])]
    letters = [run for run in trimmed if weight(run)]
    if len(letters) > 1:
        variants.append(tuple(w for run in letters for w in run))
    return tuple(dict.fromkeys(v for v in variants if v)) or ((),)


def street_windows(words: tuple[str, ...], skip: frozenset[int]) -> tuple[tuple[str, ...], ...]:
    """Every run of two or three whole words, for a street name said whole inside garbled
    words ("C'est-ce que cet avenu Jean Jaurès avait mis Dieu ?", "Une famille Henri
    Barbusse à Villeurbanne"): scored like the rest, so only a close name is taken."""
    kept = [w if i not in skip else "" for i, w in enumerate(words)]
    out: list[tuple[str, ...]] = []
    for size in (2, 3):
        for start in range(len(kept) - size + 1):
            window = tuple(kept[start : start + size])
            if all(
                len(w) > 2 and w not in PARTICLES and w not in HEARD_TYPES and not w.isdigit()
                for w in window
            ):
                out.append(window)
    return tuple(out)


def before_comma(text: str) -> tuple[tuple[str, ...], ...]:
    """The street read up to the comma Whisper put after it, when more words follow ("Montée
    des Soldats, Oshan II." for "..., au 22"; "Avenue Marcel Cachin, le Saint-Fitte.")."""
    head, comma, tail = text.partition(",")
    if not comma or not tail.strip():
        return ()
    words = heard_words(head)
    if not any(w in HEARD_TYPES for w in words):
        return ()  # "Martin, Sophie Martin.": no street named before the comma
    return tuple(v for v in street_variants(words, frozenset()) if v)


def _from_type(run: list[str]) -> tuple[str, ...]:
    """The run from its first street type on, when words come before it: a number Whisper
    wrote as words ("Ouf un cette cours Vitton" for "au 27 cours Vitton"). The whole run
    stays a reading too ("Grande Rue de Saint-Clair")."""
    first = next((i for i, w in enumerate(run) if w in HEARD_TYPES), 0)
    return tuple(run[first:]) if 0 < first < len(run) - 1 else ()


def _merge_types(run: list[str]) -> list[str]:
    """A street type written as two or three words at the start of the run ("qu'ai",
    "un passe", "bout le vard"), after any cue words, read as the one type word."""
    start = 0
    while start < len(run) and run[start] in EDGE_WORDS and run[start] not in ("a", "bout"):
        start += 1
    head = run[start:]
    for size, table in ((3, _TYPE_TRIPLES), (2, _TYPE_PAIRS)):
        merged = table.get(tuple(head[:size]))
        if merged and len(head) > size:
            return run[:start] + merged.split() + head[size:]
    return run


def _trim_head(run: list[str]) -> list[str]:
    """Cue words dropped at the start only: the end of a name is often cut into small words
    ("mise là" for "Émile Zola")."""
    start = 0
    while start < len(run) and run[start] in EDGE_WORDS:
        start += 1
    return run[start:]


def _trim(run: list[str]) -> list[str]:
    start, end = 0, len(run)
    while start < end and run[start] in EDGE_WORDS:
        start += 1
    while end > start and run[end - 1] in EDGE_WORDS:
        end -= 1
    return run[start:end]


def street_kind(words: tuple[str, ...]) -> str | None:
    """Canonical street type said ("bd" -> "boulevard", "cour" -> "cours"), looked for in the
    first two words."""
    for w in words[:2]:
        if w in HEARD_TYPES:
            return fold(HEARD_TYPES[w])
    return None
