"""Build the labelled urgency/category dataset, deterministically (fixed seed).

    python -m nlp.data.generate        # writes nlp/data/train.jsonl and test.jsonl

Honest split: within every (category, urgency) entry, whole phrasings are held out (index
k % 4 == 3) so no test sentence shares its template with a training one; a third of the
hand-written lines are held out too. STT noise (fillers, dropped accents, misheard words,
repeated words) is applied to both splits.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from nlp.data.templates_common import COMMON
from nlp.data.templates_everyday import EVERYDAY
from nlp.data.templates_routine import ROUTINE
from nlp.data.templates_urgent import URGENT, Entry
from nlp.data.vocab import CLOSINGS, CONFUSIONS, FILLERS, OPENINGS, SLOTS, TRAVAUX
from nlp.text import normalize, strip_accents
from nlp.types import TRADES

DATA_DIR = Path(__file__).resolve().parent
SEED = 20261123
PER_CELL = {"train": 480, "test": 45}  # per (trade, urgent) cell
LETTERS = {"plombier": "P", "serrurier": "S", "electricien": "E", "chauffagiste": "C",
           "couvreur": "K", "vitrier": "V"}  # fmt: skip
_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")


def expand(template: str, trade: str, rng: random.Random) -> str:
    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    pools = {**SLOTS, "travaux": TRAVAUX[trade]}
    return _SLOT.sub(lambda m: rng.choice(pools[m.group(1)]), text)


def stt_noise(text: str, rng: random.Random) -> str:
    """What a phone-line ASR makes of it: lowercase, no punctuation, slips and fillers."""
    words: list[str] = []
    for word in normalize(text).split():
        roll = rng.random()
        if word in CONFUSIONS and roll < 0.12:
            word = rng.choice(CONFUSIONS[word])
        elif roll < 0.02 and len(words) > 3:
            continue  # a word the ASR swallowed
        elif roll < 0.05 and len(word) > 5:
            cut = rng.randrange(1, len(word) - 1)
            word = word[:cut] + word[cut + 1 :]
        if rng.random() < 0.1:
            word = strip_accents(word)
        if rng.random() < 0.08:
            words.append(rng.choice(FILLERS))
        if rng.random() < 0.02:
            words.append(word)  # "je je", "le le": hesitation
        words.append(word)
    text = " ".join(words)
    if rng.random() < 0.3:
        text = text.replace("'", rng.choice([" ", ""]))
    return " ".join(p for p in (rng.choice(OPENINGS), text, rng.choice(CLOSINGS)) if p).lower()


def applies(entry: Entry, trade: str) -> bool:
    return trade == "generique" or entry[2] == "*" or LETTERS[trade] in entry[2]


def _phrasings(entry: Entry, split: str) -> list[tuple[int, str]]:
    held = [(k, p) for k, p in enumerate(entry[3]) if k % 4 == 3]
    kept = [(k, p) for k, p in enumerate(entry[3]) if k % 4 != 3]
    return held if split == "test" else kept


def _cell(trade: str, urgent: bool, split: str, rng: random.Random) -> Iterator[dict[str, object]]:
    every = (*URGENT, *ROUTINE, *EVERYDAY, *COMMON)
    entries = [e for e in every if e[1] == urgent and applies(e, trade)]
    seen: set[str] = set()
    tries = 0
    while len(seen) < PER_CELL[split] and tries < PER_CELL[split] * 20:
        tries += 1
        entry = rng.choice(entries)
        k, phrasing = rng.choice(_phrasings(entry, split))
        text = stt_noise(expand(phrasing, trade, rng), rng)
        if text in seen:
            continue
        seen.add(text)
        yield {"text": text, "trade": trade, "urgent": urgent, "category": entry[0],
               "template": f"{entry[0]}/{int(urgent)}/{k}"}  # fmt: skip


def handwritten() -> list[dict[str, object]]:
    path = DATA_DIR / "handwritten.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def build(seed: int = SEED) -> dict[str, list[dict[str, object]]]:
    rng = random.Random(seed)
    splits: dict[str, list[dict[str, object]]] = {"train": [], "test": []}
    for split, rows in splits.items():
        for trade in TRADES:
            for urgent in (True, False):
                rows.extend(_cell(trade, urgent, split, rng))
    for i, row in enumerate(handwritten()):
        row["template"] = f"hand/{i}"
        splits["test" if i % 3 == 2 else "train"].append(row)
    train_texts = {str(r["text"]) for r in splits["train"]}
    splits["test"] = [r for r in splits["test"] if r["text"] not in train_texts]
    return splits


def write(splits: dict[str, list[dict[str, object]]], out_dir: Path = DATA_DIR) -> None:
    for name, rows in splits.items():
        lines = (json.dumps(r, ensure_ascii=False) for r in rows)
        (out_dir / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    splits = build()
    write(splits)
    print(" ".join(f"{name}={len(rows)}" for name, rows in splits.items()))


if __name__ == "__main__":
    main()
