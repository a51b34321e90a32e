"""`python -m devkit.eval.phone_replay`: callback numbers re-read from texts already heard.

Whole simulated calls (`make eval-calls`, written as JSON lines by devkit.sim.evaluate) keep
what Whisper heard on the real phone channel; devkit.eval.phone keeps its n-best in a cache.
This tool reads every distinct (heard text, expected number) pair again with
`nlp.phone.phone_with_confidence`, without Whisper, so a change of the reader is scored in a
second on the answers callers' numbers were really heard as.

Sources:
- calls: a caller turn answering a question that asks for the number ('À quel numéro...',
  'redire le numéro'), or a 'Je peux vous rappeler au ...' answered by the persona with another
  number; the expected number is the persona's `[expect] phone`; only the top text is kept
  (with the turn's STT confidence, which caps the reading's in the dialogue);
- cache: devkit.eval.phone's cached n-best for the personas' and its own answers, for every
  decoding variant that has been run.

The personas are split in two halves by a fixed rule (sorted id, even/odd index; the own
answers by line, even/odd): tune on 'tune', report 'held' as well. `--save` writes each
pair's reading, `--baseline` lists the pairs a saved run read right and this one does not.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agent.dialogue.messages import as_e164
from agent.dialogue.settings import DialogueSettings
from nlp.phone import phone_with_confidence

ROOT = Path(__file__).resolve().parents[2]
_RUNS = str(ROOT / ".var/eval/*.jsonl")  # where `make eval-calls` writes its results
_ASKS_NUMBER = ("quel numéro", "redire le numéro")
_CONFIRM = "rappeler au"


@dataclass(frozen=True)
class Pair:
    """One heard answer and the number the caller said."""

    half: str  # 'tune' or 'held'
    source: str  # 'calls' or 'cache'
    texts: tuple[str, ...]  # best first
    want: str
    stt: float  # Whisper's confidence, which caps the reading's in the dialogue


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0
    none: int = 0
    sure_wrong: int = 0
    unsure_right: int = 0
    misses: list[str] = field(default_factory=list)


def _personas() -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for path in sorted(glob.glob(str(ROOT / "eval" / "personas" / "*.toml"))):
        with open(path, "rb") as handle:
            persona = tomllib.load(handle)
        found[str(persona["id"])] = persona
    return found


def halves(ids: Sequence[str]) -> dict[str, str]:
    """'tune' for the even indexes of the sorted ids, 'held' for the odd ones."""
    return {pid: ("tune" if i % 2 == 0 else "held") for i, pid in enumerate(sorted(ids))}


def _gives_number(persona: dict[str, object]) -> bool:
    """A 'no' to the caller-ID question that says another number ('Non, plutôt le zéro six')."""
    answers = persona.get("answers", {})
    said = str(answers.get("phone_confirm", "")) if isinstance(answers, dict) else ""
    return said.lower().count(",") >= 3


def phone_turns(
    transcript: Sequence[dict[str, object]], confirm: bool
) -> Iterator[dict[str, object]]:
    """Caller turns answering a question for the number: a turn heard in two halves counts
    once, as the whole (`continues_previous`) that replaced its first half."""
    asked = ""
    for turn in transcript:
        speaker, text = str(turn.get("speaker")), str(turn.get("text", ""))
        if speaker == "agent":
            asked = text
        if speaker != "caller" or turn.get("continued"):
            continue
        wanted = any(ask in asked for ask in _ASKS_NUMBER) or (confirm and _CONFIRM in asked)
        if wanted and "rue" not in asked:
            yield turn


def call_pairs(pattern: str = _RUNS) -> list[Pair]:
    personas = _personas()
    half = halves(list(personas))
    pairs: dict[tuple[str, str], Pair] = {}
    for path in sorted(glob.glob(pattern)):
        for line in Path(path).read_text("utf-8").splitlines():
            try:
                report = json.loads(line)["report"]
            except (ValueError, KeyError, TypeError):
                continue
            persona = personas.get(str(report.get("persona")))
            expect = persona.get("expect", {}) if persona else {}
            if not persona or not isinstance(expect, dict) or "phone" not in expect:
                continue
            for turn in phone_turns(report.get("transcript", []), _gives_number(persona)):
                text, want = str(turn["text"]), str(expect["phone"])
                stt = float(turn.get("confidence", 1.0))  # type: ignore[arg-type]
                pid = str(persona["id"])
                pairs.setdefault((text, want), Pair(half[pid], "calls", (text,), want, stt))
    return list(pairs.values())


def _cached(said: str) -> Iterator[tuple[tuple[str, ...], float]]:
    """devkit.eval.phone's cached n-best for `said`, whatever the set-up (its key's other
    fields are unknown here, so the cache is scanned by the said text's files)."""
    from devkit.eval.phone import VARIANTS, cache_path, profile_of

    for name in VARIANTS:
        path = cache_path(said, profile_of(name))
        if path.exists():
            row = json.loads(path.read_text("utf-8"))
            yield tuple(row["texts"]), float(row["confidence"])


def cache_pairs() -> list[Pair]:
    from devkit.eval.phone import own_answers

    personas = _personas()
    half = halves(list(personas))
    items: list[tuple[str, str, str]] = []
    for pid, persona in personas.items():
        answers, expect = persona.get("answers", {}), persona.get("expect", {})
        if isinstance(answers, dict) and isinstance(expect, dict) and answers.get("phone"):
            items.append((half[pid], str(answers["phone"]), str(expect["phone"])))
    for i, (said, want) in enumerate(own_answers()):
        items.append(("tune" if i % 2 == 0 else "held", said, want))
    pairs: dict[tuple[tuple[str, ...], str], Pair] = {}
    for which, said, want in items:
        for texts, stt in _cached(said):
            pairs.setdefault((texts, want), Pair(which, "cache", texts, want, stt))
    return list(pairs.values())


def read(pair: Pair) -> tuple[str | None, float]:
    number, confidence = phone_with_confidence(pair.texts[0], pair.texts[1:])
    return as_e164(number), min(confidence, pair.stt)


def score(pairs: Sequence[Pair]) -> tuple[dict[tuple[str, str], Tally], dict[str, str | None]]:
    threshold = DialogueSettings().confidence_threshold
    tallies: dict[tuple[str, str], Tally] = {}
    readings: dict[str, str | None] = {}
    for pair in pairs:
        tally = tallies.setdefault((pair.source, pair.half), Tally())
        found, confidence = read(pair)
        readings[json.dumps([pair.texts, pair.want])] = found
        if found == pair.want:
            tally.right += 1
            tally.unsure_right += confidence < threshold
            continue
        tally.none += found is None
        tally.wrong += found is not None
        tally.sure_wrong += found is not None and confidence >= threshold
        tally.misses.append(f"{pair.want} <- {found} ({confidence:.2f}) {' | '.join(pair.texts)}")
    return tallies, readings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.eval.phone_replay")
    parser.add_argument("--runs", default=_RUNS, help="glob of devkit.sim.evaluate JSON lines")
    parser.add_argument("--half", choices=("tune", "held", "both"), default="both")
    parser.add_argument("--save", type=Path, help="write each pair's reading (JSON)")
    parser.add_argument("--baseline", type=Path, help="a --save file: list right readings lost")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each miss")
    args = parser.parse_args(argv)
    pairs = [p for p in call_pairs(args.runs) + cache_pairs() if args.half in ("both", p.half)]
    tallies, readings = score(pairs)
    for (source, which), t in sorted(tallies.items()):
        n = t.right + t.wrong + t.none
        print(
            f"{source:5s} {which:4s} right {t.right}/{n} (unsure {t.unsure_right})"
            f"  wrong {t.wrong} (sure {t.sure_wrong})  none {t.none}"
        )
        for miss in t.misses if args.verbose else ():
            print("   ", miss)
    if args.save:
        args.save.write_text(json.dumps(readings, ensure_ascii=False, indent=0), "utf-8")
    if args.baseline:
        before = json.loads(args.baseline.read_text("utf-8"))
        lost = [key for key, got in before.items() if key in readings and readings[key] != got]
        for key in lost:
            texts, want = json.loads(key)
            if before[key] == want:
                print(f"LOST {want} <- {readings[key]}  {' | '.join(texts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
