"""`decroche transcribe FILE... [--phone] [--model NAME] [--expect E [--phrase P]...]
[--engine wyoming --uri tcp://HOST:PORT | --engine openai --uri http://HOST:PORT/v1]`.

One JSON line per file: text, seconds, rtf, confidence (0..1) and alternatives (n-best).
`--phone` passes the audio through a simulated 8 kHz μ-law telephone channel first, to hear
what the agent will hear. `--expect` decodes as the agent does after that question (a town, a
phone number, yes/no...), biased towards the `--phrase` candidates (towns, street names).
`--engine` sends the audio to a speech server instead (no local fallback here: a turn the
server fails is reported like an unreadable file). A file that cannot be read is reported on
stderr, the others are still transcribed, and the exit code is 1 at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from agent.speech.audio import AudioDecodeError, Pcm, decode_file, phone_channel
from agent.speech.hint import EXPECTATIONS, Hint
from agent.speech.paths import default_models_dir
from agent.speech.remote import SpeechUnavailableError
from agent.speech.settings import REMOTE_ENGINES, SttSettings
from agent.speech.stt import ModelNotFoundError, Transcriber, Transcript, WhisperTranscriber
from agent.speech.stt_engines import ENGINES, make_transcriber


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
    parser.add_argument(
        "--engine", choices=tuple(ENGINES), default="whisper", help="where the speech is heard"
    )
    parser.add_argument(
        "--uri", help="the speech server: tcp://HOST:PORT (wyoming), http://HOST:PORT/v1 (openai)"
    )
    parser.add_argument(
        "--timeout-ms", type=int, default=60000, help="time allowed to the server per file"
    )
    parser.add_argument(
        "--remote-model", default=SttSettings.remote_model, help="model name sent to openai"
    )
    return parser


def _beam_size(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {raw!r}") from None
    if not 1 <= value <= 10:
        raise argparse.ArgumentTypeError(f"must be between 1 and 10, not {value}")
    return value


def _settings(args: argparse.Namespace) -> SttSettings:
    return SttSettings(
        engine=args.engine,
        model=args.model,
        models_dir=args.models_dir,
        beam_size=args.beam_size,
        uri=args.uri,
        timeout_ms=args.timeout_ms,
        fallback="none",
        remote_model=args.remote_model,
    )


def _transcribe(transcriber: Transcriber, pcm: Pcm, hint: Hint | None) -> Transcript:
    if isinstance(transcriber, WhisperTranscriber):
        return transcriber.transcribe_sync(pcm, hint)
    return asyncio.run(transcriber.transcribe(pcm, hint))


def main(argv: Sequence[str]) -> int:
    parser = _parser()
    args = parser.parse_args(list(argv))
    if args.engine in REMOTE_ENGINES and not args.uri:
        parser.error(f"--engine {args.engine} needs --uri")
    try:
        transcriber = make_transcriber(_settings(args))
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
            if args.phone:
                pcm = phone_channel(pcm)
            result = _transcribe(transcriber, pcm, hint)
        except AudioDecodeError as exc:
            print(f"decroche transcribe: {exc}", file=sys.stderr)
            failures += 1
            continue
        except SpeechUnavailableError as exc:  # the message names the server, not the file
            print(f"decroche transcribe: {path}: {exc}", file=sys.stderr)
            failures += 1
            continue
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
