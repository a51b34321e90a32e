"""Reading Asterisk's CSV CDR lines, as the sandbox Asterisk really writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent.missed.cdr import CdrFormatError, parse_line, parse_lines

from .samples import AGENT_TOOK_IT, BUSY_THEN_VOICEMAIL, NAMED_CLID, NO_ANSWER_THEN_VOICEMAIL


def test_unanswered_dial_row_has_no_answer_time_and_uniqueid_before_userfield() -> None:
    row = parse_line(BUSY_THEN_VOICEMAIL[0])
    assert row.src == "0655555551"
    assert row.dcontext == "decroche-fallback"
    assert row.dstchannel == "PJSIP/trunk-00000001"
    assert (row.lastapp, row.lastdata) == ("Dial", "PJSIP/+33612345678@trunk,25")
    assert row.disposition == "BUSY"
    assert row.answer is None  # written as an empty, unquoted field
    assert row.start == datetime(2026, 11, 23, 13, 36, 29, tzinfo=UTC)  # usegmtime=yes
    assert (row.uniqueid, row.userfield) == ("1795440989.0", "decroche-fallback")


def test_voicemail_row_is_answered_with_billsec() -> None:
    row = parse_line(BUSY_THEN_VOICEMAIL[1])
    assert (row.lastapp, row.disposition, row.billsec) == ("VoiceMail", "ANSWERED", 3)
    assert row.dstchannel == ""
    assert row.answer == datetime(2026, 11, 23, 13, 36, 29, tzinfo=UTC)
    assert row.end == datetime(2026, 11, 23, 13, 36, 32, tzinfo=UTC)


def test_quoted_clid_and_media_channel_rows() -> None:
    named = parse_line(NAMED_CLID)
    assert (named.src, named.clid) == ("caller", '"0612345678" <caller>')
    media = parse_line(AGENT_TOOK_IT[1])
    assert (media.dcontext, media.uniqueid, media.userfield) == (
        "default",
        "1795440862.0-media",
        "",
    )


def test_seventeen_columns_with_uniqueid_only_are_read() -> None:
    line = BUSY_THEN_VOICEMAIL[0].rstrip("\n").rsplit(",", 1)[0]
    row = parse_line(line)
    assert (row.uniqueid, row.userfield) == ("1795440989.0", "")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda f: f[:16], "16 columns"),  # loguniqueid=no: calls cannot be grouped
        (lambda f: [*f[:9], "23/11/2026", *f[10:]], "start"),
        (lambda f: [*f[:13], "x", *f[14:]], "billsec"),
        (lambda f: [*f[:16], "", f[17]], "uniqueid"),
    ],
)
def test_malformed_rows_are_typed_errors(mutate, message) -> None:
    import csv

    fields = next(csv.reader([BUSY_THEN_VOICEMAIL[0]]))
    line = ",".join(f'"{v}"' for v in mutate(fields))
    with pytest.raises(CdrFormatError, match=message):
        parse_line(line)


def test_a_damaged_line_does_not_hide_the_calls_after_it() -> None:
    errors: list[str] = []
    lines = [BUSY_THEN_VOICEMAIL[0], '"half a line","written when Asterisk\n', "\n"]
    lines += NO_ANSWER_THEN_VOICEMAIL
    rows = list(parse_lines(lines, errors))
    assert [r.uniqueid for r in rows] == ["1795440989.0", "1795441004.4", "1795441004.4"]
    assert len(errors) == 1 and "columns" in errors[0]
