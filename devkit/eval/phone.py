"""`python -m devkit.eval.phone`: callback numbers said by voice, through the phone line.

Each answer is spoken by Pico through the 8 kHz μ-law channel, transcribed with the phone
expectation (or a variant of its decoding set-up) and read like the dialogue reads it
(`nlp.phone.phone_with_confidence` over the n-best, then `as_e164`). Two sets:

- eval/phone_answers.jsonl: answers written for this tool and tuned on: pairs, digits one by
  one, '+33', fillers, 'alors c'est le', corrections ('non pardon'), landlines 01-05 and 09;
- the personas' `[answers] phone` lines (eval/personas), never tuned on: the held-out figure.

Scores: right, wrong (worse than none: an unsure or missing number is asked again), none,
"sure" (confidence at or above the dialogue's threshold: taken without asking again), copies
(a hypothesis holding a number word of the prompt's own examples that the caller did not say)
and the median decoding time. Transcripts are cached in /tmp per set-up, so a change of the
reader re-scores in seconds.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import statistics
import sys
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from agent.dialogue.messages import as_e164
from agent.dialogue.settings import DialogueSettings
from agent.speech.decoding import PROFILES, Profile
from agent.speech.hint import Hint
from agent.speech.settings import SttSettings
from agent.speech.stt import WhisperTranscriber
from devkit.eval.name import _speak
from nlp.phone import phone_with_confidence
from nlp.text import fold

ROOT = Path(__file__).resolve().parents[2]
_CACHE = Path("/tmp/phone_eval_heard")

# Answers written for this tool (none taken from the personas): {"said": ..., "phone": E.164}.
OWN_SET = ROOT / "eval" / "phone_answers.jsonl"


def own_answers() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in OWN_SET.read_text("utf-8").splitlines() if line.strip()]
    return [(str(row["said"]), str(row["phone"])) for row in rows]


_UNITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")
_TEENS = ("dix", "onze", "douze", "treize", "quatorze", "quinze", "seize")
_TENS = ("vingt", "trente", "quarante", "cinquante", "soixante")
_ASK = PROFILES["phone"].question
# Decoding set-ups compared: (question, phrases before it). Whisper reads the prompt as the
# text said just before the answer, and copies example numbers from it.
VARIANTS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "now": (_ASK, PROFILES["phone"].own_phrases),
    "bare": (_ASK, ()),
    "asked": ("À quel numéro peut-on vous rappeler ?", ()),  # the set-up before this tool
    "none": (None, ()),
    # The trial that made Whisper write words, and copy its own example pairs.
    "words2": (
        "Votre numéro ? Alors c'est le zéro neuf, quatre-vingt-dix-sept, soixante et onze, "
        "trente, dix-huit.",
        (),
    ),
    "units": (_ASK, _UNITS),
    "digits": ("Votre numéro ? Alors c'est le zéro, neuf, un, deux, trois, quatre.", ()),
    "tensq": ("Votre numéro ? Alors c'est le zéro neuf, vingt, trente, quarante, cinquante.", ()),
    "vocab": (_ASK, (*_UNITS, *_TEENS, *_TENS)),
    "tens": (_ASK, ("dix", *_TENS, "soixante-dix", "quatre-vingts", "quatre-vingt-dix")),
    "letters": (f"{_ASK} Je vous le donne en toutes lettres, deux chiffres par deux chiffres.", ()),
    "ordinals": (
        _ASK,
        (
            "premier",
            "deuxième",
            "troisième",
            "quatrième",
            "cinquième",
            "sixième",
            "septième",
            "huitième",
            "neuvième",
            "dixième",
            "onzième",
            "douzième",
            "seizième",
            "vingtième",
            "trentième",
            "quarantième",
            "cinquantième",
            "soixantième",
            "quatre-vingtième",
        ),
    ),
}


def profile_of(name: str) -> Profile:
    question, phrases = VARIANTS[name]
    base = PROFILES["phone"]
    chars = max(base.phrase_chars, 240) if phrases else base.phrase_chars
    return replace(base, question=question, own_phrases=phrases, phrase_chars=chars)


def prompt_of(profile: Profile) -> str:
    return " ".join((*profile.own_phrases, profile.question or ""))


@dataclass(frozen=True)
class Heard:
    texts: tuple[str, ...]  # best first
    confidence: float
    ms: float


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0
    none: int = 0
    sure_right: int = 0
    sure_wrong: int = 0
    copies: int = 0
    ms: list[float] = field(default_factory=list)


def persona_answers() -> list[tuple[str, str]]:
    """The personas' spoken phone answers and their numbers (the held-out set)."""
    found = []
    for path in sorted(glob.glob(str(ROOT / "eval" / "personas" / "*.toml"))):
        with open(path, "rb") as handle:
            persona = tomllib.load(handle)
        said = persona.get("answers", {}).get("phone")
        want = persona.get("expect", {}).get("phone")
        if said and want:
            found.append((str(said), str(want)))
    return found


@cache
def _transcriber() -> WhisperTranscriber:
    return WhisperTranscriber(SttSettings())


def cache_path(said: str, profile: Profile) -> Path:
    """Where Whisper's n-best for `said` under `profile` is cached (one file per set-up)."""
    key = json.dumps(
        [
            said,
            profile.question,
            profile.own_phrases,
            profile.phrase_chars,
            profile.beam_size,
            profile.num_hypotheses,
            profile.max_tokens,
        ]
    )
    return _CACHE / (hashlib.sha1(key.encode()).hexdigest()[:20] + ".json")


def heard(said: str, profile: Profile) -> Heard:
    """Whisper's n-best for `said` under `profile` (cached per set-up and answer)."""
    path = cache_path(said, profile)
    if path.exists():
        row = json.loads(path.read_text("utf-8"))
        return Heard(tuple(row["texts"]), row["confidence"], row["ms"])
    saved = PROFILES["phone"]
    PROFILES["phone"] = profile
    try:
        audio = _speak(said)
        started = time.perf_counter()
        result = _transcriber().transcribe_sync(audio, Hint("phone", "phone"))
        ms = (time.perf_counter() - started) * 1000
    finally:
        PROFILES["phone"] = saved
    got = Heard((result.text, *result.alternatives), result.confidence, ms)
    _CACHE.mkdir(exist_ok=True)
    path.write_text(json.dumps({"texts": got.texts, "confidence": got.confidence, "ms": ms}))
    return got


def _number_words(text: str | None) -> set[str]:
    """The hyphenated number words and digit groups of `text`, folded ('quatre-vingt-dix')."""
    if not text:
        return set()
    words = text.lower().replace(",", " ").replace(".", " ").replace("?", " ").split()
    return {fold(w).replace(" ", "-") for w in words if any(c.isdigit() for c in w) or "-" in w}


def _word_runs(text: str | None) -> set[tuple[str, ...]]:
    """Runs of three words in a row ('neuf, un, deux'), folded."""
    words = fold(text or "").split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def copied(said: str, texts: Sequence[str], prompt: str | None) -> bool:
    """A hypothesis holds a number word of the prompt that the caller did not say, or three
    words of the prompt in a row ('neuf, un, deux') that the caller did not say in a row."""
    examples = _number_words(prompt) - _number_words(said)
    runs = _word_runs(prompt) - _word_runs(said)
    return any(examples & _number_words(t) or runs & _word_runs(t) for t in texts)


def score(tally: Tally, said: str, want: str, got: Heard, prompt: str | None) -> str | None:
    number, confidence = phone_with_confidence(got.texts[0], got.texts[1:])
    # The dialogue's own rule: the STT confidence caps the reading's (manager._on_phone).
    sure = min(confidence, got.confidence) >= DialogueSettings().confidence_threshold
    found = as_e164(number)
    tally.ms.append(got.ms)
    tally.copies += copied(said, got.texts, prompt)
    if found is None:
        tally.none += 1
    elif found == want:
        tally.right += 1
        tally.sure_right += sure
    else:
        tally.wrong += 1
        tally.sure_wrong += sure
    return found


def evaluate(
    items: Sequence[tuple[str, str]], variants: Sequence[str], verbose: bool
) -> dict[str, Tally]:
    tallies = {name: Tally() for name in variants}
    for said, want in items:
        if verbose:
            print(f"{said}  [{want}]")
        for name in variants:
            profile = profile_of(name)
            got = heard(said, profile)
            found = score(tallies[name], said, want, got, prompt_of(profile))
            if verbose and found != want:
                print(f"  - [{name}] {found}  <- {' | '.join(got.texts)}")
    return tallies


def report(label: str, n: int, tallies: dict[str, Tally]) -> None:
    for name, t in tallies.items():
        print(
            f"{label:8s} {name:8s} right {t.right}/{n} (sure {t.sure_right})"
            f"  wrong {t.wrong} (sure {t.sure_wrong})  none {t.none}  copies {t.copies}"
            f"  median {statistics.median(t.ms):.0f} ms"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.eval.phone")
    parser.add_argument("--variants", default="now", help=f"comma-separated: {', '.join(VARIANTS)}")
    parser.add_argument("--set", choices=("own", "personas", "both"), default="both")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each miss")
    args = parser.parse_args(argv)
    variants = args.variants.split(",")
    if args.set in ("own", "both"):
        own = own_answers()
        report("own", len(own), evaluate(own, variants, args.verbose))
    if args.set in ("personas", "both"):
        held = persona_answers()
        report("personas", len(held), evaluate(held, variants, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
