"""`python -m devkit.eval.spelling`: spelled surnames as the agent reads them.

110 surnames of nlp/data/noms.txt that no persona uses (drawn with a fixed seed) and 27 rarer
ones the list lacks are spelled by Pico the ways callers do ("deux L", "T comme Thérèse",
"Alors, ..."), sent through the μ-law channel and written by Whisper base with the agent's
spelling profile. Whisper's readings are cached (.var/eval/spelling.json; `--fresh` hears
them again), so a change of the reader (agent.dialogue.naming.best_spelling, nlp.surnames)
is scored in a second. The items are split in two halves by index: tune on one, check the
other. Each spelling is heard twice, as the agent hears it: freely, then with only letters
allowed (agent.speech.letters); `--free` scores the free reading alone. Scores: surname right;
a list name read as another list name; a rare name snapped to a list name; wrong but given as
sure (>= 0.6, no "à vérifier" on the lead).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from agent.dialogue.naming import spelling_of
from devkit.sim.persona import load_persona
from nlp.surnames import is_known_surname, lexicon
from nlp.text import fold

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".var/eval/spelling.json"
RARE = (
    "Kerbrat", "Tchakarian", "Oudjani", "Lagarrigue", "Pouzet", "Vigouroux", "Bessaguet",
    "Mazoyer", "Rouquier", "Falcoz", "Brunier", "Cardot", "Delorme", "Ferrandi", "Goujon",
    "Jacquemin", "Labrosse", "Montagnon", "Perronet", "Quillet", "Ribeyre", "Sauvadet",
    "Teyssier", "Valentin", "Ybert", "Zanetti", "Achour", "Bouaziz", "Nakamura", "Okafor",
)  # fmt: skip
# The example words callers give ("T comme Thérèse"), none a surname of the set.
EXAMPLES = {
    "a": "Anatole", "b": "Berthe", "c": "Célestin", "d": "Désiré", "e": "Eugène",
    "f": "François", "g": "Gaston", "h": "Henri", "i": "Irma", "j": "Joseph", "k": "Kléber",
    "l": "Louis", "m": "Marcel", "n": "Nicolas", "o": "Oscar", "p": "Pierre", "r": "Raoul",
    "s": "Suzanne", "t": "Thérèse", "u": "Ursule", "v": "Victor", "y": "Yvonne", "z": "Zoé",
}  # fmt: skip


def _persona_surnames() -> set[str]:
    personas = (load_persona(path) for path in (ROOT / "eval/personas").glob("*.toml"))
    return {fold(str(p.expect["surname"])) for p in personas if p.expect.get("surname")}


def _spoken(name: str, rng: random.Random) -> str:
    """The name spelled as a caller would: plain letters, doubled ones as "deux L", or some
    letters with an example word."""
    letters = [c for c in unicodedata.normalize("NFD", name.lower()) if c.isalpha()]
    style, out, i = rng.random(), [], 0
    while i < len(letters):
        letter = letters[i]
        if style < 0.3 and i + 1 < len(letters) and letters[i + 1] == letter:
            out.append(f"deux {letter.upper()}")
            i += 2
            continue
        example = style > 0.8 and rng.random() < 0.25 and letter in EXAMPLES
        out.append(f"{letter.upper()} comme {EXAMPLES[letter]}" if example else letter.upper())
        i += 1
    return rng.choice(["", "", "", "Alors, ", "C'est "]) + ", ".join(out) + "."


def items() -> list[tuple[str, str, bool]]:
    """(surname, what is said, whether the list has it), in a fixed order."""
    rng = random.Random(7)
    taken = _persona_surnames()
    pool = [n for n in lexicon().names if fold(n) not in taken and " " not in n and "-" not in n]
    listed = rng.sample(pool, 110)
    rare = [r for r in RARE if not is_known_surname(r)]
    return [(n, _spoken(n, rng), True) for n in listed] + [
        (n, _spoken(n, rng), False) for n in rare
    ]


def hear(fresh: bool) -> list[dict[str, object]]:
    """Whisper's readings of every item (cached)."""
    if CACHE.exists() and not fresh:
        cached: list[dict[str, object]] = json.loads(CACHE.read_text("utf-8"))
        if all("letters" in item for item in cached):  # else from before the letters reading
            return cached
    from agent.speech.hint import Hint
    from agent.speech.settings import SttSettings
    from agent.speech.stt import WhisperTranscriber
    from devkit.eval.name import _speak

    transcriber = WhisperTranscriber(SttSettings())
    heard = []
    for index, (name, said, listed) in enumerate(items()):
        audio = _speak(said)
        result = transcriber.transcribe_sync(audio, Hint("spell", "spell"))
        again = transcriber.transcribe_sync(audio, Hint("spell", "spell", letters_only=True))
        texts = [result.text, *result.alternatives]
        letters = [t for t in (again.text, *again.alternatives) if t]
        half = "tune" if index % 2 == 0 else "held"
        heard.append(
            {"name": name, "said": said, "listed": listed, "texts": texts, "letters": letters,
             "half": half}
        )  # fmt: skip
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps(heard, ensure_ascii=False, indent=0), "utf-8")
    return heard


def score(
    heard: list[dict[str, object]], verbose: bool, free: bool = False
) -> dict[str, Counter[str]]:
    tallies: dict[str, Counter[str]] = {"tune": Counter(), "held": Counter()}
    for item in heard:
        texts = [str(t) for t in item["texts"]]  # type: ignore[attr-defined]
        letters = [] if free else [str(t) for t in item["letters"]]  # type: ignore[attr-defined]
        got = spelling_of(texts, letters, None)
        name, sure = got if got else ("", 0.0)
        right = fold(name) == fold(str(item["name"]))
        kind = "listed" if item["listed"] else "rare"
        tally = tallies[str(item["half"])]
        tally[kind] += 1
        tally[f"{kind} right"] += right
        snapped = not right and bool(name) and is_known_surname(name)
        tally[f"{kind} snapped to another"] += snapped
        tally["sure and wrong"] += not right and sure >= 0.6
        tally["sure and right"] += right and sure >= 0.6
        if verbose and not right:
            print(f"  {item['name']:14} -> {name or '-':14} {sure:.2f}  <- {texts[0]}")
    return tallies


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.eval.spelling")
    parser.add_argument("--fresh", action="store_true", help="hear the items again")
    parser.add_argument("--free", action="store_true", help="the free reading alone")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    for half, t in score(hear(args.fresh), args.verbose, args.free).items():
        print(
            f"{half}: list names right {t['listed right']}/{t['listed']} "
            f"(read as another {t['listed snapped to another']}), rare names right "
            f"{t['rare right']}/{t['rare']} (snapped to a list name "
            f"{t['rare snapped to another']}), sure and wrong {t['sure and wrong']}, sure and "
            f"right {t['sure and right']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
