"""Logging for the long-running commands (`decroche run`, `decroche dashboard`).

- Callers' phone numbers are personal data: at INFO they are masked ("06 •• •• •4 32": the
  kind of line and the last digits, enough to tell two callers apart in a journal); only a
  process run at DEBUG (`-v`, someone debugging on the box) writes them whole.
- `--log-format json`: one JSON object per line (journald, Loki, jq), with the call summary's
  fields as they are under "call".
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any, Literal

import phonenumbers

LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "•"
KEEP_LEADING = 2  # "06": mobile, "04": a Lyon landline; says little about who called
KEEP_TRAILING = 3
# Fewer digits than this in a line: no phone number in it, the matcher is not run.
MIN_DIGITS = 8
_DIGIT = re.compile(r"\d")
# Fields of a record set by `extra=` that hold a phone number (the call summary's caller).
NUMBER_FIELDS = ("caller",)


def mask_number(number: phonenumbers.PhoneNumber) -> str:
    """The number written the usual way for its country, its middle digits masked."""
    french = number.country_code == 33
    style = phonenumbers.PhoneNumberFormat.NATIONAL if french else (
        phonenumbers.PhoneNumberFormat.INTERNATIONAL)  # fmt: skip
    text = phonenumbers.format_number(number, style)
    digits = [m.start() for m in _DIGIT.finditer(text)]
    # Abroad, the country code stays: "+44 •••• ••0 123".
    lead = KEEP_LEADING if french else len(str(number.country_code))
    hidden = set(digits[lead : len(digits) - KEEP_TRAILING])
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(text))


def mask_phones(text: str, region: str = "FR") -> str:
    """`text` with every valid phone number in it masked (channel ids, times and counts are
    not valid numbers and stay as they are)."""
    if len(_DIGIT.findall(text)) < MIN_DIGITS:
        return text
    out, at = [], 0
    leniency = phonenumbers.Leniency.VALID
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency):
        out += [text[at : match.start], mask_number(match.number)]
        at = match.end
    return "".join(out) + text[at:] if out else text


class MaskPhones(logging.Filter):
    """Masks phone numbers in each record's message and number fields, in place."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_phones(message)
        if masked != message:
            record.msg, record.args = masked, None
        call = getattr(record, "call", None)
        if isinstance(call, dict):
            record.call = {
                k: mask_phones(v) if k in NUMBER_FIELDS and isinstance(v, str) else v
                for k, v in call.items()
            }
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO), level, logger, message, the call's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        call = getattr(record, "call", None)
        if isinstance(call, dict):
            entry["call"] = call
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(
    verbose: bool = False, log_format: LogFormat = "text", stream: Any = None
) -> logging.Handler:
    """Root logging for a command: one handler on stderr (journald takes it from there)."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    text = logging.Formatter(TEXT_FORMAT)
    handler.setFormatter(JsonFormatter() if log_format == "json" else text)
    if not verbose:
        handler.addFilter(MaskPhones())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return handler


def add_log_options(parser: argparse.ArgumentParser) -> None:
    """`-v` (DEBUG, numbers whole) and `--log-format text|json` on a command."""
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="DEBUG logs, phone numbers written whole")  # fmt: skip
    parser.add_argument("--log-format", choices=LOG_FORMATS, default="text",
                        help="text (default) or json: one JSON object per line")  # fmt: skip
