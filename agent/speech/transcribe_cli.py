"""`decroche transcribe FILE... [--phone] [--model NAME]`: one JSON line per file.

`--phone` passes the audio through a simulated 8 kHz μ-law telephone channel first, to hear
what the agent will hear. A file that cannot be read is reported on stderr, the others are
still transcribed, and the exit code is 1 at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from agent.speech.audio import AudioDecodeError, decode_file, phone_channel
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
    parser.add_argument("--beam-size", type=int, default=SttSettings.beam_size)
    parser.add_argument("--models-dir", type=Path, default=default_models_dir())
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    settings = SttSettings(model=args.model, models_dir=args.models_dir, beam_size=args.beam_size)
    try:
        transcriber = WhisperTranscriber(settings)
    except ModelNotFoundError as exc:
        print(f"decroche transcribe: {exc}", file=sys.stderr)
        return 2
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
        result = transcriber.transcribe_sync(pcm)
        print(
            json.dumps(
                {
                    "file": str(path),
                    "text": result.text,
                    "seconds": round(result.seconds, 3),
                    "rtf": round(result.rtf, 3),
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
    return 1 if failures else 0
