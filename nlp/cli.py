"""`decroche nlu`: understand caller transcripts in batch.

    echo '{"text": "ça sent le gaz dans la cuisine"}' | decroche nlu --trade chauffagiste

Reads JSON lines on stdin ({"text": ..., optional "trade" and "expecting"}), writes one JSON
object per line. A bad line (not UTF-8, not JSON, no text, too long, unknown trade) gets an
error on stderr and no output; the other lines are still processed; the exit status is 1 if any
line failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from nlp.types import TRADES, Understanding, UnknownTradeError
from nlp.understander import EXPECTING, Understander, load_understander

# A caller's turn is a few hundred characters; a ten-minute monologue about 10 000. Longer is
# not a transcript, and spaCy refuses texts over a million characters anyway.
MAX_TEXT_CHARS = 20_000


class BadLineError(ValueError):
    """One input line cannot be understood."""


def _text_line(raw: bytes | str) -> str:
    """The line as text; invalid UTF-8 (or lone surrogates smuggled in) is a bad line."""
    try:
        if isinstance(raw, bytes):
            return raw.decode("utf-8")
        raw.encode("utf-8")  # a text stream decoded with surrogateescape lets bad bytes in
        return raw
    except (UnicodeDecodeError, UnicodeEncodeError) as exc:
        raise BadLineError(f"not UTF-8 text ({exc.reason} at position {exc.start})") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="decroche nlu", description=__doc__.split("\n\n")[0])
    parser.add_argument("--trade", required=True, help=f"one of {', '.join(TRADES)}")
    parser.add_argument("--explain", action="store_true", help="add the reasons of each result")
    parser.add_argument("--towns", help="service-area towns, comma separated (default: config)")
    parser.add_argument("--config", type=Path, help="decroche TOML config to read the towns from")
    return parser


def _towns(args: argparse.Namespace) -> tuple[str, ...]:
    if args.towns is not None:
        return tuple(t.strip() for t in args.towns.split(",") if t.strip())
    from agent.config import load_config  # the CLI only: the library takes towns as arguments

    return load_config(args.config).business.towns


def _request(raw: bytes | str, default_trade: str) -> tuple[str, str, str | None]:
    line = _text_line(raw)
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLineError(f"not JSON ({exc.msg})") from None
    except RecursionError:  # [[[[...]]]] nested deeper than Python's stack
        raise BadLineError("not JSON (nested too deep)") from None
    if not isinstance(data, dict):
        raise BadLineError('expected an object like {"text": "..."}')
    text, trade, expecting = (
        data.get("text"),
        data.get("trade", default_trade),
        data.get("expecting"),
    )
    if not isinstance(text, str) or not text.strip():
        raise BadLineError('"text" is missing or empty')
    if len(text) > MAX_TEXT_CHARS:
        raise BadLineError(f'"text" is {len(text)} characters long (at most {MAX_TEXT_CHARS})')
    _text_line(text)  # "\ud800" escapes decode to lone surrogates
    if not isinstance(trade, str):
        raise BadLineError('"trade" must be a string')
    if expecting not in EXPECTING:
        raise BadLineError(f'"expecting" must be one of {", ".join(map(str, EXPECTING))}')
    return text, trade, expecting


def to_json(result: Understanding, explain: bool) -> dict[str, object]:
    out: dict[str, object] = {
        "urgent": result.urgent,
        "category": result.category,
        "confidence": result.confidence,
        "name": result.name,
        "street": result.street,
        "postcode": result.postcode,
        "city": result.city,
        "phone": result.phone,
        "summary": result.summary,
    }
    if explain:
        out["reasons"] = list(result.reasons)
    return out


def run(nlu: Understander, trade: str, explain: bool, stdin: Iterable[bytes | str],
        stdout: TextIO, stderr: TextIO) -> int:  # fmt: skip
    """`stdin`: lines as bytes (sys.stdin.buffer: each is decoded on its own, so one bad line
    does not end the batch) or as text."""
    failures = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            text, line_trade, expecting = _request(line, trade)
            result = nlu.understand(text, line_trade, expecting)
        except (BadLineError, UnknownTradeError) as exc:
            failures += 1
            print(f"decroche nlu: line {number}: {exc}", file=stderr)
            continue
        print(json.dumps(to_json(result, explain), ensure_ascii=False), file=stdout, flush=True)
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.trade not in TRADES:
        print(
            f"decroche nlu: unknown trade {args.trade!r}; expected one of {', '.join(TRADES)}",
            file=sys.stderr,
        )
        return 2
    try:
        nlu = load_understander(_towns(args))
    except (ValueError, OSError) as exc:  # ConfigError is a ValueError; ModelNotFoundError
        print(f"decroche nlu: {exc}", file=sys.stderr)
        return 2
    return run(nlu, args.trade, args.explain, sys.stdin.buffer, sys.stdout, sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
