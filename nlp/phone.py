"""Callback numbers as French callers say them and Whisper writes them: pairs ('zéro six,
onze, vingt-deux'), digits one by one, '+33' / 'plus trente-trois', 'double six', fillers,
corrections ('trente-trois, non, trente-quatre'), '06.11.22.33.44', 'six cent onze'.

Number words go through text2num (`alpha2digit`); `phonenumbers` decides what a valid French
number is and formats it E.164. What is hand-written here is what neither library knows: how a
caller *says* a number (fillers, corrections, repeats, 'double') and Whisper's artefacts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from text_to_num import alpha2digit

from nlp.phone_groups import read_groups
from nlp.phone_numbers import is_full_french, is_valid_phone, normalize_phone
from nlp.phone_words import NUMBER_HESITATIONS, spoken_readings
from nlp.text import FILLERS, normalize

# Words a caller drops in the middle of a number without ending it.
_SKIP = FILLERS | NUMBER_HESITATIONS | {
    "et", "puis", "après", "apres", "ensuite", "le", "tiret", "point", "virgule", "espace",
    "c'est", "cest", "je", "vous", "dis", "donne", "moi", "me", "suis", "attendez", "attends",
}  # fmt: skip
# Words that announce a correction or a restart inside a number.
_CORRECTION = frozenset(
    {"non", "pardon", "plutôt", "plutot", "pas", "excusez", "excusez-moi", "désolé", "desole",
     "trompé", "trompe", "trompée", "erreur", "recommence", "reprends", "répète", "repete"}
)  # fmt: skip
_CUES = ("numéro", "numero", "portable", "téléphone", "telephone", "rappeler", "joindre", "fixe")
_DIGIT_WORDS = "un|deux|trois|quatre|cinq|six|sept|huit|neuf"
_DIGITS = {w: str(k) for k, w in enumerate(_DIGIT_WORDS.split("|"), start=1)}
# text2num reads 'zéro quatre vingt' as 0 80; a French number is 04 20: after 'zéro' or '+33'
# the next digit stands alone. Kept as a second reading (validation picks), since Whisper's
# 'zéro six cent onze' (06 11) needs the other one.
_LEADING_DIGIT = re.compile(
    rf"\b(zéro|zero|0|(?:plus|\+) ?trente[- ]trois|\+ ?33) ({_DIGIT_WORDS})(?=[\s-]|$)"
)
# text2num drops the zero of a hyphenated 'zéro-six'.
_ZERO_HYPHEN = re.compile(r"\b(zéro|zero)-")
# 'vingt un' (fast 'vingt-et-un', Whisper drops the 'et'): text2num reads 20 1.
_TENS_UN = re.compile(r"\b(vingt|trente|quarante|cinquante|soixante)[ -]un\b")
# Whisper writes a spoken 'zéro' as the letter o at times ('o six douze').
_LETTER_ZERO = re.compile(rf"\b(?:o|oh|ô)\s+(?=\d|{_DIGIT_WORDS}\b)")
# Whisper base through μ-law writes 'soixante' as 'soit exemple', 'sur exemple', 'sois
# exempté', 'soix ans' (measured by devkit.eval.phone in most answers holding 60-79).
_SOIXANTE = re.compile(
    r"\b(?:soit|sois|soi|soix|sur)[ -](?:(?:l')?ex(?:empl|empt|an)\w*|ans?\b)", re.I
)
_PLUS = re.compile(r"\+\s*(?=\d)")
_REPEAT = {"double": 2, "doublé": 2, "triple": 3}
# "double zéro onze": repeated before text2num, which would read "zéro onze" as 011.
_REPEAT_WORD = re.compile(rf"\b(double|doublé|triple) (zéro|zero|{_DIGIT_WORDS}|\d)\b")
# Candidate penalties: a plain reading beats a corrected one, which beats a cut-out window.
_P_CORRECTION, _P_RESTART, _P_WINDOW = 1.0, 1.5, 2.5
# Weight of a hypothesis's reading per unit of repair (nlp.phone_words costs, odd shapes):
# a number read identically from every hypothesis without repair is sure (1.0), one comma
# join in each 0.7, below the dialogue's 0.6 with more.
_REPAIRED = 0.7
# A reading that needed this much repair is checked against the comma groups' reading
# (nlp.phone_groups), which is kept when it costs less; both are guesses by then.
_HEAVY_REPAIR = 2.0
# A number only the comma groups read is a guess: below the dialogue's threshold (0.6), so
# it is asked again, or written down to check.
_GUESS_CONFIDENCE = 0.5
# Strain of a reading per digit group said before it and left out (at most two counted).
_LEFT_OUT = 1.0


@dataclass(frozen=True)
class _Run:
    """Digit groups said in one go; `marks` are group indexes where a correction starts."""

    start: int
    groups: tuple[str, ...]
    marks: tuple[int, ...]


def _readings(text: str) -> list[list[str]]:
    norm = _ZERO_HYPHEN.sub(r"\1 ", normalize(text))
    norm = _LETTER_ZERO.sub("zéro ", norm)
    norm = _TENS_UN.sub(r"\1 et un", norm)
    norm = _REPEAT_WORD.sub(lambda m: " ".join([m[2]] * _REPEAT[m[1]]), norm)
    split = _LEADING_DIGIT.sub(lambda m: f"{m[1]} {_DIGITS[m[2]]} ", norm)
    out: list[list[str]] = []
    for variant in (split, norm):
        # threshold=0: lone digits ('zéro six un deux') are digits here; runs that are not
        # phone numbers are thrown out by validation.
        tokens = _PLUS.sub("+ ", alpha2digit(variant, "fr", threshold=0)).split()
        if tokens not in out:
            out.append(tokens)
    return out


def _all_readings(text: str, repair: bool) -> list[tuple[list[str], float]]:
    """(tokens, repair cost): text2num's readings, then, when a number is expected, the
    readings of Whisper's garbled number words (nlp.phone_words), cheapest first."""
    out = [(tokens, 0.0) for tokens in _readings(text)]
    if repair:
        said = _REPEAT_WORD.sub(lambda m: " ".join([m[2]] * _REPEAT[m[1]]), text.lower())
        said = _SOIXANTE.sub("soixante", _LETTER_ZERO.sub("zéro ", said))
        out += [(list(r.tokens), r.cost) for r in spoken_readings(said)]
    return out


def _runs(tokens: list[str]) -> list[_Run]:
    """Digit runs; fillers are skipped, correction words are kept as marks."""
    runs: list[_Run] = []
    start, groups, marks = -1, list[str](), list[int]()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in _REPEAT and nxt.isdigit():
            tok, i = nxt * _REPEAT[tok], i + 1  # "double six" -> "66"
        if tok in ("plus", "+") and nxt.isdigit():
            tok = "+"
        if tok.isdigit() or tok == "+" or (tok.startswith("+") and tok[1:].isdigit()):
            if not groups:
                start = i
            groups.append(tok)
        elif groups and tok in _CORRECTION:
            if not marks or marks[-1] != len(groups):
                marks.append(len(groups))
        elif groups and tok not in _SKIP:
            runs.append(_Run(start, tuple(groups), tuple(marks)))
            groups, marks = [], []
        i += 1
    if groups:
        runs.append(_Run(start, tuple(groups), tuple(marks)))
    return runs


def _candidates(run: _Run) -> Iterator[tuple[float, str]]:
    """(penalty, digits) readings of a run: as said, with a correction applied, restarted."""
    groups = run.groups
    yield 0.0, "".join(groups)
    for mark in run.marks:
        before, after = groups[:mark], groups[mark:]
        for k in range(1, min(3, len(before)) + 1):
            dropped = before[-k:]
            yield _P_CORRECTION, "".join(before[:-k] + after)
            if after and after[0] in dropped:  # "trente-trois, non pas trente-trois, -quatre"
                yield _P_CORRECTION, "".join(before[:-k] + after[1:])
        yield _P_RESTART, "".join(after)  # "je recommence: zéro sept ..."
        yield _P_RESTART, "".join(before)  # "... je répète" then a garbled repeat
    # A stray number glued before ("c'est un 06 ..."): the rest must start like a number
    # ('0', '+'); a cut elsewhere, or at the end, makes one up.
    for cut in range(1, min(3, len(groups))):
        if groups[cut][0] in "0+":
            yield _P_WINDOW, "".join(groups[cut:])


def _best_of_run(run: _Run) -> tuple[float, str] | None:
    """The least-corrected reading that is a valid French number, else the least-corrected
    one of the right length (phonenumbers' ranges may lag new allocations), else as said."""
    possible = fallback = None
    for penalty, digits in _candidates(run):
        normal = normalize_phone(digits)
        if normal is None:
            continue
        if is_full_french(normal):
            if is_valid_phone(normal):
                return penalty, normal
            possible = possible or (penalty + 0.5, normal)
        elif penalty == 0.0 and not re.match(r"0[1-9]", normal):
            # Foreign digits are kept as said; a French-looking number of the wrong length is
            # a mishearing, better asked again than written down.
            fallback = (penalty, normal)
    return possible or fallback


@dataclass(frozen=True)
class PhoneMatch:
    """A number found in an utterance: E.164 when French, and how it was read."""

    number: str
    score: float
    corrected: bool
    # How much of Whisper's writing had to be repaired to read it (nlp.phone_words costs):
    # 0 when text2num or a clean reading gives it.
    repair: float = 0.0
    # How much was cut or corrected (a correction 1, a restart 1.5, a window cut out 2.5).
    penalty: float = 0.0
    # Digit groups said before the number and left out of it ('zéro sept, quatre et un tue,
    # douze...' read from 'un'): the reading may have dropped part of the number.
    left_out: int = 0


def find_phone(text: str, expecting: bool = False) -> PhoneMatch | None:
    """The most phone-like number in `text`; `expecting` when the caller was asked for one."""
    best: PhoneMatch | None = None
    repair = expecting or any(cue in text.lower() for cue in _CUES)
    for tokens, cost in _all_readings(text, repair):
        for run in _runs(tokens):
            got = _best_of_run(run)
            if got is None:
                continue
            penalty, normal = got
            before = " ".join(tokens[max(0, run.start - 6) : run.start])
            score = 2.0 if expecting or any(cue in before for cue in _CUES) else 0.0
            if is_full_french(normal):
                score += 3.0 if is_valid_phone(normal) else 2.5
            else:
                score += 0.5
            score -= penalty / 10 + cost / 10  # corrections, repairs break ties
            if best is None or score > best.score:
                odd = _odd_shape(run.groups) if penalty == 0.0 else 0.0
                left = sum(t.isdigit() for t in tokens[: run.start])
                best = PhoneMatch(normal, score, penalty > 0, cost + odd, penalty, left)
    return best


def _odd_shape(groups: Sequence[str]) -> float:
    """How far the groups are from the way a French number is said: '0X' then pairs, or
    digits one by one. Whisper's misheard pairs come out as a mix ('0, 42, 3, 6, 6, 9, 38'
    for 01 42 67 19 38): 1 for a mix of pairs and lone digits after the first two digits,
    1 for each pair that straddles two pairs of the number."""
    offset, singles, pairs, straddling = 0, 0, 0, 0
    for index, group in enumerate(groups):
        if group == "+" or (group == "33" and index > 0 and groups[index - 1] == "+"):
            offset = 1  # '+33 6 ...': the national digits start after the trunk zero
            continue
        if group == "+33":
            offset = 1
            continue
        if len(group) == 2:
            pairs += offset >= 2
            straddling += offset % 2
        elif len(group) == 1 and offset >= 2:
            singles += 1
        offset += len(group)
    return float(straddling + (1 if singles and pairs else 0))


def extract_phone(text: str, expecting: bool = False) -> str | None:
    """The most phone-like number in `text`, E.164 when French, else its digits; or None."""
    found = find_phone(text, expecting)
    return found.number if found is not None else None


def phone_with_confidence(
    text: str, alternatives: Sequence[str] = (), expecting: bool = True
) -> tuple[str | None, float]:
    """The callback number over Whisper's n-best (best first) and a confidence in 0..1: the
    share of hypotheses that agree (weighted by rank), lower when the number is not a whole
    French one or a correction had to be applied. When no hypothesis reads a whole French
    number without heavy repair, the comma groups' reading (nlp.phone_groups) is tried too;
    a number it changes is a guess, below the dialogue's threshold."""
    hypotheses = [text, *alternatives]
    found = [find_phone(hyp, expecting) for hyp in hypotheses]
    number, confidence, match = _vote(found)
    if not expecting or (match is not None and is_full_french(number) and not _heavy(match)):
        return number, confidence
    # Each hypothesis read plainly unless that fails or is heavy: its groups' reading then.
    guessed = [
        f if f is not None and is_full_french(f.number) and not _heavy(f) else _by_groups(hyp, f)
        for hyp, f in zip(hypotheses, found, strict=True)
    ]
    other, other_confidence, _ = _vote(guessed)
    if other is None or other == number:
        return number, confidence
    return other, min(other_confidence, _GUESS_CONFIDENCE)


def _vote(found: Sequence[PhoneMatch | None]) -> tuple[str | None, float, PhoneMatch | None]:
    """The number most hypotheses read (weighted by rank and repair), its confidence and its
    plainest reading."""
    votes: dict[str, float] = {}
    matches: dict[str, PhoneMatch] = {}
    for rank, match in enumerate(found):
        if match is None:
            continue
        # A reading that needed repairs counts less than one read as written.
        weight = _REPAIRED**match.repair / (rank + 1)
        votes[match.number] = votes.get(match.number, 0.0) + weight
        if match.number not in matches or match.repair < matches[match.number].repair:
            matches[match.number] = match
    if not votes:
        return None, 0.0, None
    number = max(votes, key=lambda n: (votes[n], -list(matches).index(n)))
    total = sum(1.0 / (rank + 1) for rank in range(len(found)))
    confidence = votes[number] / total
    if not is_full_french(number):
        confidence *= 0.5
    if matches[number].corrected:
        confidence *= 0.8
    return number, round(confidence, 3), matches[number]


def _heavy(match: PhoneMatch) -> bool:
    return _strain(match) >= _HEAVY_REPAIR


def _strain(match: PhoneMatch) -> float:
    """What a reading took: its repairs, and the words it cut out or corrected."""
    return match.repair + match.penalty + _LEFT_OUT * min(match.left_out, 2)


def _by_groups(text: str, found: PhoneMatch | None) -> PhoneMatch | None:
    """The comma groups' reading of `text` where it costs less than `found`'s repair (or
    `found` is no whole French number), else `found`."""
    groups = read_groups(text)
    whole = found is not None and is_full_french(found.number)
    if groups is None or (whole and found is not None and _strain(found) <= groups.cost):
        return found
    return PhoneMatch(groups.number, 5.0, False, max(groups.cost, _HEAVY_REPAIR))
