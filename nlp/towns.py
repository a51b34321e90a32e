"""Find a town of the service area in heard words, by spelling and by sound.

"Léon" is how Whisper writes "Lyon" through the phone; "Caluire" is how callers say
Caluire-et-Cuire. A phonetic key plus rapidfuzz catches the first, the short form the second.
Some slips are beyond any key ("avait mis Dieu" for Vénissieux): those stay unmatched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlp.heard_address import EDGE_WORDS, PARTICLES
from nlp.phonetic import squashed_key
from nlp.text import fold, names_said_whole

# In a whole address a town must be clear; as the answer to "dans quelle ville ?", the words
# are expected to be one, so a weaker match is taken.
IN_SENTENCE = 0.8
AS_ANSWER = 0.7
# First words of compound names that do not name one town on their own.
_SMALL_AREA = 20
_TOWN_CUES = frozenset({"a", "sur", "ville", "commune"})
_CORRECTIONS = frozenset({"non", "pardon", "plutot", "enfin"})
_GENERIC_HEADS = frozenset({"saint", "sainte", "la", "le", "les", "villeneuve", "pont", "vaulx"})
# The shortest start of a town's first word that Whisper writes as a word of its own.
_CUT_HEAD = 4


@dataclass(frozen=True)
class TownFound:
    town: str
    score: float
    span: frozenset[int]  # indexes of the words that said it


@dataclass(frozen=True)
class _Town:
    name: str
    folded: str
    key: str
    head: str | None  # "caluire" for "caluire et cuire"


def _town(name: str) -> _Town:
    folded = fold(name)
    words = folded.split()
    head = words[0] if len(words) > 1 and len(words[0]) >= 5 else None
    if head in _GENERIC_HEADS:
        head = None
    return _Town(name, folded, squashed_key(folded), head)


class TownIndex:
    def __init__(self, towns: Sequence[str]) -> None:
        self.names = tuple(towns)
        self._towns = [_town(t) for t in towns]
        self._folded = [t.folded for t in self._towns]
        self._keys = [t.key for t in self._towns]
        # "Le Bouscat", "La Mulatière": an article that starts a town's name starts a reading,
        # and so does a cue word that is its first word cut ("Ville-Srange sur Sonne" for
        # Villefranche-sur-Saône: "ville" alone is a cue, "la ville de Lyon").
        firsts = {t.folded.split()[0] for t in self._towns if t.folded}
        self._leads = frozenset(
            firsts | {f[:end] for f in firsts for end in range(_CUT_HEAD, len(f))}
        )

    def _candidates(self, said: str, key: str) -> list[_Town]:
        """Towns worth scoring for one n-gram: all of a small area, else the few nearest by
        spelling or sound (rapidfuzz in C: a département has ~300 towns)."""
        if len(self._towns) <= _SMALL_AREA:
            return self._towns
        picked = {i for _, _, i in process.extract(said, self._folded, scorer=fuzz.ratio, limit=3)}
        picked |= {i for _, _, i in process.extract(key, self._keys, scorer=fuzz.ratio, limit=3)}
        picked |= {i for i, t in enumerate(self._towns) if t.head == said}
        return [self._towns[i] for i in picked]

    def named(self, words: Sequence[str]) -> int:
        """How many towns are named whole in `words` (folded): two or more is Whisper reading
        its prompt back ("Pessac, Le Bouscat" for "Le Bouscat")."""
        return names_said_whole(" ".join(words), self._folded)

    def find(self, words: Sequence[str], answer: bool = False) -> TownFound | None:
        """Best town said in `words` (folded words). In an address the later one wins a tie:
        the town comes at the end ("rue de lyon à villeurbanne"). In an `answer` to "dans
        quelle ville ?" the earlier one does, unless a correction comes between: Whisper
        goes on with the prompt's list of towns ("Lyon, sixième" heard "Lyon, Villeurbanne")."""
        best: TownFound | None = None
        for start in range(len(words)):
            skipped = words[start] in PARTICLES or words[start] in EDGE_WORDS
            if skipped and words[start] not in self._leads:
                continue
            # Right after "à" a town is expected: "à léon" is Lyon, "léon" alone may be a name.
            announced = start > 0 and words[start - 1] in _TOWN_CUES
            corrected = any(w in _CORRECTIONS for w in words[:start])
            later_wins = not answer or announced or corrected
            threshold = AS_ANSWER if answer or announced else IN_SENTENCE
            for end in range(start + 1, min(start + 4, len(words)) + 1):
                for said, limit in _readings(" ".join(words[start:end]), threshold):
                    key = squashed_key(said)
                    for town in self._candidates(said, key):
                        score = round(_score(town, said, key, end - start), 3)
                        tie = best is not None and score == best.score
                        if score >= limit and (
                            best is None or score > best.score or (later_wins and tie)
                        ):
                            span = frozenset(range(start, end))
                            best = TownFound(town.name, score, span)
        return best


def _readings(said: str, threshold: float) -> list[tuple[str, float]]:
    """The words as heard, and with a glued "à" taken off ("allion" is "à Lyon", "Avile
    Srange sur Sonne" is "à Villefranche-sur-Saône": Whisper writes the preposition into
    the town), which then counts as announced."""
    readings = [(said, threshold)]
    if said[:1] == "a" and len(said.split()[0]) >= 5:
        readings.append((said[1:], AS_ANSWER))
    return readings


def _score(town: _Town, said: str, key: str, n_words: int) -> float:
    if said == town.folded:
        return 1.0
    if n_words == 1 and said == town.head:
        return 0.9
    if abs(len(said) - len(town.folded)) > max(3, len(town.folded) // 2):
        return 0.0  # cheap length gate before fuzzy scoring
    text = fuzz.ratio(said, town.folded) / 100
    sound = fuzz.ratio(key, town.key) / 100
    # A different first sound is rare for the same town: "bron" is not "lyon".
    if said[:1] != town.folded[:1]:
        sound -= 0.1
    return max(text, sound * 0.95)
