"""`decroche transcribe FILE... [--phone] [--model NAME] [--expect E [--phrase P]...]`.

One JSON line per file: text, seconds, rtf, confidence (0..1) and alternatives (n-best).
`--phone` passes the audio through a simulated 8 kHz μ-law telephone channel first, to hear
what the agent will hear. `--expect` decodes as the agent does after that question (a town, a
phone number, yes/no...), biased towards the `--phrase` candidates (towns, street names).
A file that cannot be read is reported on stderr, the others are
still transcribed, and the exit code is 1 at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from agent.speech.audio import AudioDecodeError, decode_file, phone_channel
from agent.speech.hint import EXPECTATIONS, Hint
from agent.speech.paths import default_models_dir
from agent.speech.settings import SttSettings
from agent.speech.stt import ModelNotFoundError, WhisperTranscriber


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="decroche transcribe", description="speech to text on audio files (JSON lines)"
    )
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="wav, ogg/opus, mp3, flac..."
    )
    parser.add_argument(
        "--phone",
        action="store_true",
        help="simulate an 8 kHz μ-law phone line (300-3400 Hz) first",
    )
    parser.add_argument("--model", default="base", help="Whisper size name or model folder")
    parser.add_argument(
        "--beam-size", type=_beam_size, default=SttSettings.beam_size, help="1 to 10"
    )
    parser.add_argument(
        "--expect",
        choices=EXPECTATIONS,
        default=None,
        help="what the audio answers (default: an open problem description)",
    )
    parser.add_argument(
        "--phrase",
        action="append",
        default=[],
        metavar="P",
        help="a likely phrase (town, street name); repeat the option for several",
    )
    parser.add_argument("--models-dir", type=Path, default=default_models_dir())
    return parser


def _beam_size(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {raw!r}") from None
    if not 1 <= value <= 10:
        raise argparse.ArgumentTypeError(f"must be between 1 and 10, not {value}")
    return value


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    settings = SttSettings(model=args.model, models_dir=args.models_dir, beam_size=args.beam_size)
    try:
        transcriber = WhisperTranscriber(settings)
    except ModelNotFoundError as exc:
        print(f"decroche transcribe: {exc}", file=sys.stderr)
        return 2
    hint = None
    if args.expect is not None or args.phrase:
        hint = Hint(args.expect or "problem", "other", tuple(args.phrase))
    failures = 0
    for path in args.files:
        try:
            pcm = decode_file(path)
        except AudioDecodeError as exc:
            print(f"decroche transcribe: {exc}", file=sys.stderr)
            failures += 1
            continue
        if args.phone:
            pcm = phone_channel(pcm)
        result = transcriber.transcribe_sync(pcm, hint)
        print(
            json.dumps(
                {
                    "file": str(path),
                    "text": result.text,
                    "seconds": round(result.seconds, 3),
                    "rtf": round(result.rtf, 3),
                    "confidence": round(result.confidence, 3),
                    "alternatives": list(result.alternatives),
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
    return 1 if failures else 0
