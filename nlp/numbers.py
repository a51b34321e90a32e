"""French number words both ways: to digits, as callers read street numbers, postcodes and
phones; and digits to words, as a caller says them (test data, the WER normalisation)."""

from __future__ import annotations

from nlp.text import normalize, strip_accents

SMALL: dict[str, int] = {
    "zéro": 0, "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
    "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
}  # fmt: skip
TENS: dict[str, int] = {
    "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "septante": 70, "huitante": 80, "octante": 80, "nonante": 90,
}  # fmt: skip
NUMBER_WORDS = frozenset(SMALL) | frozenset(TENS) | {"cent", "cents", "mille", "et"}


def one_word_numbers(low: int = 0, high: int = 60) -> dict[str, int]:
    """The numbers said in one word from `low` to `high`, unaccented ("zero", "seize",
    "soixante"): what fuzzy readers of Whisper's garbled number words compare against."""
    words = {**SMALL, **TENS}
    return {w: v for w, v in words.items() if low <= v <= high and w == strip_accents(w)}


# "un"/"une" are articles far more often than numbers: only read as 1 next to other numbers.
_ARTICLES = frozenset({"un", "une"})


def is_round_ten(value: int) -> bool:
    """20, 30 ... 90: the tens that open a compound ("quarante-deux"), which Whisper through
    the phone line often writes alone, its unit dropped or split off ("40 de", "20 7")."""
    return 20 <= value <= 90 and value % 10 == 0


def _is_num(tok: str) -> bool:
    return tok in SMALL or tok in TENS or tok in ("cent", "cents", "mille") or tok.isdigit()


def _unit(toks: list[str], i: int, low: int, high: int) -> tuple[int, int] | None:
    if i < len(toks) and toks[i] in SMALL and low <= SMALL[toks[i]] <= high:
        return SMALL[toks[i]], i + 1
    return None


def _below_100(toks: list[str], i: int) -> tuple[int, int] | None:
    """Parse 0..99 starting at toks[i]; returns (value, next index)."""
    if i >= len(toks):
        return None
    tok = toks[i]
    if tok == "quatre" and i + 1 < len(toks) and toks[i + 1] in ("vingt", "vingts"):
        tail = _teen_or_unit(toks, i + 2)
        return (80 + tail[0], tail[1]) if tail else (80, i + 2)
    if tok in TENS:
        base, j = TENS[tok], i + 1
        if j + 1 < len(toks) and toks[j] == "et" and toks[j + 1] in ("un", "une", "onze"):
            return base + SMALL[toks[j + 1]], j + 2
        if base == 60:
            tail = _teen_or_unit(toks, j)
            return (base + tail[0], tail[1]) if tail else (base, j)
        unit = _unit(toks, j, 1, 9)
        return (base + unit[0], unit[1]) if unit else (base, j)
    if tok == "dix":
        unit = _unit(toks, i + 1, 7, 9)
        return (10 + unit[0], unit[1]) if unit else (10, i + 1)
    if tok in SMALL:
        return SMALL[tok], i + 1
    return None


def _teen_or_unit(toks: list[str], i: int) -> tuple[int, int] | None:
    # after "soixante" / "quatre-vingt": 1..19 ("soixante dix-sept", "quatre-vingt-douze")
    if i < len(toks) and toks[i] == "dix":
        unit = _unit(toks, i + 1, 7, 9)
        return (10 + unit[0], unit[1]) if unit else (10, i + 1)
    return _unit(toks, i, 1, 16)


def _below_1000(toks: list[str], i: int) -> tuple[int, int] | None:
    j, hundreds = i, 0
    head = _below_100(toks, i)
    if head and head[1] < len(toks) and toks[head[1]] in ("cent", "cents") and 2 <= head[0] <= 9:
        hundreds, j = head[0] * 100, head[1] + 1
    elif i < len(toks) and toks[i] in ("cent", "cents"):
        hundreds, j = 100, i + 1
    if hundreds:
        rest = _below_100(toks, j)
        if rest and rest[0] > 0:
            return hundreds + rest[0], rest[1]
        return hundreds, j
    return head


def parse_number(toks: list[str], i: int) -> tuple[int, int] | None:
    """Longest French number at toks[i] (up to 999 999)."""
    head = _below_1000(toks, i)
    if i < len(toks) and toks[i] == "mille":
        head, thousands_at = (1, i), i
    elif head and head[1] < len(toks) and toks[head[1]] == "mille":
        thousands_at = head[1]
    else:
        return head
    if head is None:
        return None
    rest = _below_1000(toks, thousands_at + 1)
    if rest and rest[0] > 0:
        return head[0] * 1000 + rest[0], rest[1]
    return head[0] * 1000, thousands_at + 1


def _split_hyphens(words: list[str]) -> tuple[list[str], list[int]]:
    """Number words and, for each, the index of the written word it came from: a hyphen
    groups words ('cinquante quatre-vingt-douze' is 50 92, not 54 20 12)."""
    toks: list[str] = []
    groups: list[int] = []
    for k, word in enumerate(words):
        parts = word.split("-")
        if len(parts) > 1 and all(p in NUMBER_WORDS for p in parts):
            toks.extend(parts)
            groups.extend([k] * len(parts))
        else:
            toks.append(word)
            groups.append(k)
    return toks, groups


def _parse_grouped(toks: list[str], groups: list[int], i: int) -> tuple[int, int] | None:
    parsed = parse_number(toks, i)
    if parsed and parsed[1] < len(toks) and groups[parsed[1]] == groups[parsed[1] - 1]:
        # The parse would split a hyphenated word: stop before that word instead.
        boundary = groups.index(groups[parsed[1]])
        parsed = parse_number(toks[:boundary], i) if boundary > i else None
    return parsed


def _digits_and_words(toks: list[str], i: int) -> tuple[int, int] | None:
    """Tens written in digits, the rest in words: Whisper writes "soixante et un" as
    "60 et un" (heard on Pico street numbers through the phone line, 2 in 30 answers)."""
    if i + 2 >= len(toks) or toks[i + 1] != "et" or not toks[i].isdigit():
        return None
    tens, tail = int(toks[i]), toks[i + 2]
    if tail in ("un", "une") and tens in (20, 30, 40, 50, 60, 70, 80, 90):
        return tens + 1, i + 3
    if tail == "onze" and tens == 60:
        return 71, i + 3
    return None


def words_to_digits(text: str) -> str:
    """'zéro six douze' -> '0 6 12'; 'quatre-vingt-douze' -> '92'; each number its own token.

    Text is normalised (lowercase, punctuation removed) first; other words are kept as is.
    """
    toks, groups = _split_hyphens(normalize(text).split())
    out: list[str] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        parsed = _digits_and_words(toks, i)
        if parsed is None and tok in NUMBER_WORDS and tok != "et":
            parsed = _parse_grouped(toks, groups, i)
        if parsed and tok in _ARTICLES and parsed[1] == i + 1:
            prev_num = bool(out) and out[-1].isdigit()
            next_num = i + 1 < len(toks) and _is_num(toks[i + 1])
            if not (prev_num or next_num):
                parsed = None
        if parsed is None:
            out.append(tok)
            i += 1
            continue
        out.append(str(parsed[0]))
        i = parsed[1]
    return " ".join(out)


_SAID_UNITS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
)  # fmt: skip
_SAID_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _said_below_100(n: int) -> str:
    if n < 20:
        return _SAID_UNITS[n]
    if n < 70:
        tens, unit = divmod(n, 10)
        if unit == 0:
            return _SAID_TENS[tens]
        joint = " et " if unit == 1 else "-"
        return f"{_SAID_TENS[tens]}{joint}{_SAID_UNITS[unit]}"
    if n < 80:  # soixante-dix: base 20, "soixante et onze"
        return "soixante et onze" if n == 71 else f"soixante-{_SAID_UNITS[n - 60]}"
    return "quatre-vingts" if n == 80 else f"quatre-vingt-{_SAID_UNITS[n - 80]}"


def number_words(n: int) -> str:
    """0 <= n < 10**9 in French words, traditional spelling: 'dix-sept', 'vingt et un',
    'quatre-vingts', 'deux cents', 'mille neuf cent quatre-vingt-dix', 'deux millions'.
    words_to_digits() reads those under 100 000 back."""
    if not 0 <= n < 10**9:
        raise ValueError(f"{n} is out of 0..999 999 999")
    if n < 100:
        return _said_below_100(n)
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "cent" if hundreds == 1 else f"{_SAID_UNITS[hundreds]} cent{'' if rest else 's'}"
        return f"{head} {_said_below_100(rest)}" if rest else head
    size, word = (10**6, "million") if n >= 10**6 else (1000, "mille")
    count, rest = divmod(n, size)
    if word == "mille":
        head = "mille" if count == 1 else f"{number_words(count)} mille"
    else:
        head = f"{number_words(count)} million{'s' if count > 1 else ''}"
    return f"{head} {number_words(rest)}" if rest else head
