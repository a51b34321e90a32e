"""Logs of the long-running commands: phone numbers masked at INFO, whole at DEBUG, and the
JSON format (one object per line, the call summary's fields kept as fields)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from agent.dashboard.cli import _parser as dashboard_parser
from agent.logs import configure_logging, mask_phones


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("appel de 0612345432", "appel de 06 •• •• •4 32"),
        ("caller +33612345432 on hold", "caller 06 •• •• •4 32 on hold"),
        ("dial PJSIP/0478123456@trunk", "dial PJSIP/04 •• •• •4 56@trunk"),
        (
            "rappel au 06.98.76.54.32, puis 04 78 12 34 56",
            "rappel au 06 •• •• •4 32, puis 04 •• •• •4 56",
        ),
        ("UK caller +447911123456", "UK caller +44 •••• •••456"),
    ],
)
def test_phone_numbers_are_masked_whatever_their_writing(text: str, masked: str) -> None:
    assert mask_phones(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "call 1764541234.56 ended: callback_needed",  # Asterisk channel ids
        "turns [412, 388, 455] median 412 ms",
        "2026-11-30T23:23:20.123+00:00 took 1234567 us",
        "call 1764541234.56 summary: id=1234 duration_s=63.4",
    ],
)
def test_ids_times_and_counts_are_not_taken_for_numbers(text: str) -> None:
    assert mask_phones(text) == text


def _log_one(verbose: bool, log_format: str = "text") -> str:
    out = io.StringIO()
    configure_logging(verbose, log_format, stream=out)  # type: ignore[arg-type]
    fields = {"caller": "0698765432", "outcome": "transferred", "turns": 5}
    logging.getLogger("agent.call.session").info(
        "call %s summary: caller=%s", "1764.2", "0698765432", extra={"call": fields}
    )
    logging.getLogger("agent.call.session").debug("debug line for %s", "0698765432")
    return out.getvalue()


def test_info_masks_the_caller_and_debug_writes_it_whole(restore_root: None) -> None:
    quiet = _log_one(verbose=False)
    assert "06 •• •• •4 32" in quiet and "0698765432" not in quiet
    assert "debug line" not in quiet
    verbose = _log_one(verbose=True)
    assert verbose.count("0698765432") == 2  # the summary and the debug line, whole


def test_json_is_one_object_per_line_with_the_call_fields(restore_root: None) -> None:
    lines = _log_one(verbose=False, log_format="json").splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["level"] == "INFO" and entry["logger"] == "agent.call.session"
    assert entry["message"] == "call 1764.2 summary: caller=06 •• •• •4 32"
    assert entry["call"] == {"caller": "06 •• •• •4 32", "outcome": "transferred", "turns": 5}
    assert entry["time"].endswith("+00:00")
    lines = _log_one(verbose=True, log_format="json").splitlines()
    assert [json.loads(x)["level"] for x in lines] == ["INFO", "DEBUG"]
    assert json.loads(lines[0])["call"]["caller"] == "0698765432"


def test_an_exception_stays_inside_its_json_line(restore_root: None) -> None:
    out = io.StringIO()
    configure_logging(False, "json", stream=out)
    try:
        raise RuntimeError("boom\nsecond line")
    except RuntimeError:
        logging.getLogger("x").exception("failed for %s", "0698765432")
    (line,) = out.getvalue().splitlines()
    entry = json.loads(line)
    assert "RuntimeError: boom" in entry["exception"] and "06 •• •• •4 32" in entry["message"]


def test_both_long_running_commands_take_the_log_options() -> None:
    from agent.service import main as run_main

    args = dashboard_parser().parse_args(["--log-format", "json", "-v"])
    assert (args.log_format, args.verbose) == ("json", True)
    with pytest.raises(SystemExit):
        dashboard_parser().parse_args(["--log-format", "xml"])
    with pytest.raises(SystemExit) as exited:
        run_main(["--log-format", "yaml"])
    assert exited.value.code == 2
