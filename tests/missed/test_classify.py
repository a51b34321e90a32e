"""Which calls count as missed: through the fallback, and the mobile never answered."""

from __future__ import annotations

from datetime import UTC, datetime

from agent.missed.cdr import parse_line, parse_lines
from agent.missed.classify import classify, group_by_call, is_decroche_row

from .samples import (
    AGENT_TOOK_IT,
    BUSY_THEN_VOICEMAIL,
    CALLER_GAVE_UP_RINGING,
    LANDLINE_BUSY,
    MOBILE_ANSWERED,
    NO_ANSWER_THEN_VOICEMAIL,
)


def _rows(lines: list[str]):
    return list(parse_lines(lines))


def test_mobile_busy_then_voicemail_is_missed() -> None:
    call = classify(_rows(BUSY_THEN_VOICEMAIL))
    assert call is not None
    assert (call.uniqueid, call.caller) == ("1795440989.0", "0655555551")
    assert (call.mobile_status, call.voicemail, call.reached_agent) == ("BUSY", True, False)
    assert call.started_at == datetime(2026, 11, 23, 13, 36, 29, tzinfo=UTC)
    assert call.ended_at == datetime(2026, 11, 23, 13, 36, 32, tzinfo=UTC)


def test_mobile_rang_out_then_voicemail_is_missed() -> None:
    call = classify(_rows(NO_ANSWER_THEN_VOICEMAIL))
    assert call is not None and (call.mobile_status, call.voicemail) == ("NO ANSWER", True)


def test_caller_hanging_up_while_the_mobile_rings_is_missed() -> None:
    call = classify(_rows(CALLER_GAVE_UP_RINGING))
    assert call is not None and (call.mobile_status, call.voicemail) == ("NO ANSWER", False)


def test_mobile_answered_is_not_missed() -> None:
    assert classify(_rows(MOBILE_ANSWERED)) is None


def test_call_the_agent_took_is_not_missed_and_media_rows_are_not_ours() -> None:
    rows = _rows(AGENT_TOOK_IT)
    assert classify(rows[:1]) is None
    assert not is_decroche_row(rows[1])


def test_call_handed_back_by_the_agent_and_unanswered_is_missed() -> None:
    handed_back = [AGENT_TOOK_IT[0].replace("1795440862.0", "1795440989.0"), *BUSY_THEN_VOICEMAIL]
    call = classify(_rows(handed_back))
    assert call is not None and call.reached_agent
    assert call.started_at == datetime(2026, 11, 23, 13, 34, 22, tzinfo=UTC)


def test_withheld_number() -> None:
    line = BUSY_THEN_VOICEMAIL[1].replace('"0655555551"', '"anonymous"', 1)
    line = line.replace('""""" <0655555551>"', '"""Anonymous"" <anonymous>"')
    call = classify([parse_line(line)])
    assert call is not None and call.caller is None


def test_caller_number_from_clid_when_src_is_empty() -> None:
    line = BUSY_THEN_VOICEMAIL[1].replace('"0655555551"', '""', 1)
    call = classify([parse_line(line)])
    assert call is not None and call.caller == "0655555551"


def test_interleaved_calls_are_grouped_by_uniqueid() -> None:
    lines = [BUSY_THEN_VOICEMAIL[0], *MOBILE_ANSWERED, *LANDLINE_BUSY, BUSY_THEN_VOICEMAIL[1]]
    calls = group_by_call(_rows(lines))
    assert list(calls) == ["1795440989.0", "1795440996.2", "1795441035.6"]
    assert [len(rows) for rows in calls.values()] == [2, 1, 2]
    missed = [c for rows in calls.values() if (c := classify(rows))]
    assert [c.caller for c in missed] == ["0655555551", "0455555554"]
