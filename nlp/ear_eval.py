"""Figures for the ear's extractors on hand-written, Whisper-style phrasings.

    python -m nlp.ear_eval [--errors]

- nlp/data/ear_phones.jsonl: callback numbers said every way (pairs, digits, '+33', 'double',
  fillers, corrections, Whisper's digit writing); gold is E.164 or null (no number);
  ear_phones_heldout.jsonl: more of the same, written after the parser and not tuned on;
- nlp/data/ear_names.jsonl: names said or spelled as Whisper base writes them through a phone
  line; gold is the name the lead should hold, or null; ear_names_heldout.jsonl: more, written
  after the resolver and not tuned on.
Prints exact-match accuracy per set (and the misses with --errors).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nlp.names import extract_name
from nlp.phone import extract_phone

DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Score:
    name: str
    n: int
    hits: int
    misses: tuple[tuple[str, str | None, str | None], ...]

    @property
    def accuracy(self) -> float:
        return self.hits / max(self.n, 1)


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _score(name: str, path: Path, key: str, run: Callable[[str, bool], str | None]) -> Score:
    hits = 0
    misses: list[tuple[str, str | None, str | None]] = []
    rows = _rows(path)
    for row in rows:
        text, gold = str(row["text"]), row[key]
        got = run(text, bool(row.get("expecting", False)))
        if got == gold:
            hits += 1
        else:
            misses.append((text, None if gold is None else str(gold), got))
    return Score(name, len(rows), hits, tuple(misses))


def phone_scores() -> list[Score]:
    return [
        _score(name, DATA / f"ear_{name}.jsonl", "phone", lambda t, e: extract_phone(t, e))
        for name in ("phones", "phones_heldout")
    ]


def name_scores() -> list[Score]:
    return [
        _score(name, DATA / f"ear_{name}.jsonl", "name", lambda t, e: extract_name(t, e))
        for name in ("names", "names_heldout")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    for score in (*phone_scores(), *name_scores()):
        print(f"{score.name}: {score.hits}/{score.n} = {score.accuracy:.1%}")
        if args.errors:
            for text, gold, got in score.misses:
                print(f"   {text!r}: want {gold!r}, got {got!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
