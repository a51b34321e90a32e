"""`python -m devkit.eval.urgency`: urgency through the ear, not on clean text.

The whole-call evaluation found routine calls taken as urgent once Whisper base had garbled
their words ("remplacer mes fenêtres en simple hiprage par du W-hiprage": model p=0.52). This
speaks each held-out problem sentence (nlp/data/urgency_heldout.jsonl, written apart from the
training phrasings, and ../shared/data/nlu-dev.jsonl) with Pico through the μ-law channel,
transcribes it with the problem hint and scores urgency: decided right, wrong, or left to the
caller's own answer ("unsure": the dialogue asks whether it is urgent). Transcripts are cached
in /tmp, so a change of the urgency rules re-scores in seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from agent.speech.hint import Hint
from agent.speech.settings import SttSettings
from agent.speech.stt import WhisperTranscriber
from devkit.eval.name import _speak
from nlp.understander import Understander, load_understander

ROOT = Path(__file__).resolve().parents[2]
SETS = (
    ROOT / "nlp" / "data" / "urgency_heldout.jsonl",
    ROOT.parent / "shared" / "data" / "nlu-dev.jsonl",
)
_CACHE = Path("/tmp/urgency_eval_heard")


@dataclass(frozen=True)
class Case:
    trade: str
    said: str
    urgent: bool


def cases() -> list[Case]:
    found: list[Case] = []
    for path in SETS:
        if not path.exists():
            continue
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                found.append(Case(row["trade"], row["text"], bool(row["urgent"])))
    return found


def heard(said: str) -> str:
    """What Whisper base hears of `said` through the phone channel (cached)."""
    path = _CACHE / (hashlib.sha1(said.encode()).hexdigest()[:16] + ".txt")
    if path.exists():
        return path.read_text("utf-8")
    text = _transcriber().transcribe_sync(_speak(said), Hint()).text
    _CACHE.mkdir(exist_ok=True)
    path.write_text(text, "utf-8")
    return text


@cache
def _transcriber() -> WhisperTranscriber:
    return WhisperTranscriber(SttSettings())


def verdict(understander: Understander, case: Case, text: str) -> str:
    """'right', 'wrong' or 'unsure' (left to the caller's answer) for one heard sentence."""
    u = understander.understand(text, case.trade, "problem")
    if u.urgency_unsure:
        return "unsure"
    return "right" if u.urgent == case.urgent else "wrong"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.eval.urgency")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each miss")
    args = parser.parse_args(argv)
    understander = load_understander()
    tally = {"right": 0, "wrong": 0, "unsure": 0}
    for case in cases():
        text = heard(case.said)
        outcome = verdict(understander, case, text)
        tally[outcome] += 1
        if args.verbose and outcome != "right":
            print(f"{outcome:6s} urgent={case.urgent} | {case.said}\n       heard: {text}")
    total = sum(tally.values())
    print(
        f"{total} sentences: right {tally['right']} ({100 * tally['right'] / total:.1f} %), "
        f"wrong {tally['wrong']}, asked {tally['unsure']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
