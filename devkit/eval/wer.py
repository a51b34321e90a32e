"""French word error rate, and the speech-fr evaluation the bench reports.

Normalisation makes WER measure recognition, not typography: lowercase, apostrophes and
hyphens split words ("l'accident" -> "l accident", "dix-sept" -> "dix sept"), punctuation
dropped, digits spelled out in French by nlp.numbers ("17" -> "dix sept", "6-6" -> "six six").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.speech.audio import decode_file, phone_channel
from agent.speech.paths import PROJECT_ROOT
from agent.speech.settings import SttSettings
from agent.speech.stt import Transcriber
from nlp.numbers import number_words

# Shared evaluation data beside the checkout (../shared/data/speech-fr), or $DECROCHE_SPEECH_FR.
SPEECH_FR = Path(
    os.environ.get("DECROCHE_SPEECH_FR", str(PROJECT_ROOT.parent / "shared" / "data" / "speech-fr"))
)


def _spell_numbers(text: str) -> str:
    text = re.sub(r"(\d+)\s*%", r"\1 pour cent", text)
    text = re.sub(r"(\d),(\d)", r"\1 virgule \2", text)
    text = re.sub(r"(\d)[\s\u202f\u00a0](\d{3})\b", r"\1\2", text)  # 10 000 -> 10000
    return re.sub(
        r"\d+",
        lambda m: (
            f" {number_words(int(m.group()))} " if len(m.group()) < 10 else " ".join(m.group())
        ),
        text,
    )


def normalize(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = _spell_numbers(text)
    text = re.sub(r"[’'`´\-‐–—]", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return text.split()


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        current = [i]
        for j, other in enumerate(hyp, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
            )
        previous = current
    return previous[-1]


def wer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalize(reference), normalize(hypothesis)
    return edit_distance(ref, hyp) / max(len(ref), 1)


@dataclass(frozen=True)
class FileResult:
    file: str
    reference: str
    text: str
    errors: int
    words: int
    seconds: float
    rtf: float


@dataclass(frozen=True)
class WerReport:
    wer: float  # corpus WER: total errors / total reference words
    rtf: float  # total processing time / total audio time
    files: tuple[FileResult, ...]


async def evaluate(
    transcriber: Transcriber, data_dir: Path = SPEECH_FR, *, phone: bool = True
) -> WerReport:
    """WER over every `*.ogg` + `*.txt` pair of `data_dir`, through the phone channel or not.

    The bench reports `wer_speech_fr_phone` = `(await evaluate(t)).wer` and `stt_rtf` = `.rtf`.
    """
    results: list[FileResult] = []
    for audio in sorted(data_dir.glob("*.ogg")):
        reference = audio.with_suffix(".txt").read_text(encoding="utf-8").strip()
        pcm = decode_file(audio)
        if phone:
            pcm = phone_channel(pcm)
        transcript = await transcriber.transcribe(pcm)
        ref = normalize(reference)
        results.append(
            FileResult(
                audio.name,
                reference,
                transcript.text,
                edit_distance(ref, normalize(transcript.text)),
                len(ref),
                transcript.seconds,
                transcript.rtf,
            )
        )
    if not results:
        raise FileNotFoundError(f"no *.ogg with transcripts in {data_dir}")
    seconds = sum(r.seconds for r in results)
    return WerReport(
        wer=sum(r.errors for r in results) / max(sum(r.words for r in results), 1),
        rtf=sum(r.rtf * r.seconds for r in results) / max(seconds, 1e-6),
        files=tuple(results),
    )


def run_speech_fr(
    settings: SttSettings | None = None, *, phone: bool = True, data_dir: Path = SPEECH_FR
) -> WerReport:
    """Blocking wrapper for callers without an event loop (loads the shared model)."""
    from agent.speech.stt import WhisperTranscriber

    return asyncio.run(
        evaluate(WhisperTranscriber(settings or SttSettings()), data_dir, phone=phone)
    )


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m devkit.eval.wer [--clean] [--beam-size N]`: per-file results, then totals."""
    parser = argparse.ArgumentParser(prog="python -m devkit.eval.wer")
    parser.add_argument("--clean", action="store_true", help="skip the phone channel")
    parser.add_argument("--beam-size", type=int, default=SttSettings.beam_size)
    parser.add_argument("--data", type=Path, default=SPEECH_FR)
    args = parser.parse_args(argv)
    report = run_speech_fr(
        SttSettings(beam_size=args.beam_size), phone=not args.clean, data_dir=args.data
    )
    for item in report.files:
        print(f"{item.file}  {item.errors}/{item.words}  {item.text}")
    channel = "clean" if args.clean else "phone"
    print(f"WER ({channel}) {report.wer:.3f}  RTF {report.rtf:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
