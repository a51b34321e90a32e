"""What the call layer reports through its observer, on whole in-process calls (fakes of
the ports, the real dialogue): the Prometheus metrics and the call's summary log line."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from agent.call.observer import CallStats, CallSummary
from agent.config_core import CallConfig
from agent.dialogue import DialogueSettings, Understander
from agent.metrics.registry import CallMetrics
from tests.call.fakes import (
    CALLER_NUMBER,
    TURN,
    ScriptedTranscriber,
    answer,
    receptionist_call,
    talking_deps,
    through_read_back,
    until,
)

TEXTS = DialogueSettings()
QUOTE = "Bonjour, c'est pour un devis, je voudrais changer mon ballon d'eau chaude."
NAME = "Je m'appelle Gérard Lefèvre."
ADDRESS = "Alors c'est au 4 avenue Henri Barbusse, à Villeurbanne."
FLOOD = "Euh, y a de l'eau qui coule du plafond, ça arrête pas, c'est urgent."
TOWN = "À Bron."


def value(metrics: CallMetrics, name: str, **labels: str) -> float:
    found = metrics.registry.get_sample_value(name, labels)
    return 0.0 if found is None else found


def summary_of(caplog: pytest.LogCaptureFixture) -> dict[str, object]:
    (record,) = [r for r in caplog.records if " summary: " in r.getMessage()]
    fields = record.call  # type: ignore[attr-defined]
    assert isinstance(fields, dict)
    return fields


async def test_a_lead_call_is_counted_with_its_turns_and_summed_up(
    tmp_path: Path, understander: Understander, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    metrics = CallMetrics(CollectorRegistry())
    deps = talking_deps(understander, ScriptedTranscriber([QUOTE, NAME, ADDRESS]))
    call = receptionist_call(tmp_path, deps, observer=metrics)
    call.run()
    await call.start_call()
    assert value(metrics, "decroche_calls_active") == 1
    await through_read_back(call)
    await call.ended()

    assert value(metrics, "decroche_calls_answered_total") == 1
    assert value(metrics, "decroche_calls_total", outcome="callback_needed") == 1
    assert value(metrics, "decroche_calls_active") == 0
    # Three spoken answers, each replied to: three latencies, three transcription times.
    assert value(metrics, "decroche_turn_latency_seconds_count") == 3
    assert value(metrics, "decroche_stt_seconds_count") == 3
    latency = value(metrics, "decroche_turn_latency_seconds_sum")
    assert 0 < latency < 3 * 1.0  # fakes: no model, the reply is queued at once
    assert value(metrics, "decroche_transfers_total", outcome="answered") == 0

    fields = summary_of(caplog)
    assert fields["outcome"] == "callback_needed" and fields["urgent"] is False
    assert fields["turns"] == 3 and fields["transferred"] is False
    assert isinstance(fields["lead_id"], int) and fields["caller"] == CALLER_NUMBER
    assert isinstance(fields["median_turn_ms"], float) and fields["median_turn_ms"] > 0


async def test_an_urgent_call_handed_to_the_mobile_counts_a_transfer(
    tmp_path: Path, understander: Understander, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    metrics = CallMetrics(CollectorRegistry())
    deps = talking_deps(understander, ScriptedTranscriber([FLOOD, NAME, TOWN]),
                        call=CallConfig(transfer_mode="blind"))  # fmt: skip
    call = receptionist_call(tmp_path, deps, observer=metrics)
    call.run()
    await call.start_call()
    await answer(call, TEXTS.ask_name)
    for said in (NAME, TOWN):  # name and town, then the mobile rings (through the dialplan)
        await until(lambda: not call.context.stream.speaking, "the agent to finish speaking")
        replies = len(call.notes("agent"))
        call.say(TURN)
        await until(lambda: len(call.notes("agent")) > replies, f"a reply to {said!r}")  # noqa: B023
    await until(lambda: call.control.called("continue"), "the blind transfer")
    call.hang_up()
    await call.ended()
    assert value(metrics, "decroche_transfers_total", outcome="blind") == 1
    fields = summary_of(caplog)
    assert fields["transferred"] is True and fields["urgent"] is True


def test_a_turn_without_a_reply_is_not_timed() -> None:
    """A turn heard as a correction taking no reply, or the caller hanging up before the
    reply: no latency is made up for it."""
    seen: list[float] = []

    class Spy(CallMetrics):
        def turn(self, latency_s: float, stt_s: float) -> None:
            seen.append(latency_s)

    stats = CallStats(Spy(CollectorRegistry()))
    stats.replied()  # the greeting: no caller turn before it
    assert seen == [] and stats.median_turn_ms is None
    stats.turn_heard(started=0.0, stt_s=0.2)
    stats.replied()
    stats.replied()  # the second sentence of the same reply is not a second turn
    assert len(seen) == 1 and stats.turn_ms == [seen[0] * 1000]


def test_the_summary_line_names_every_field() -> None:
    summary = CallSummary("1764.2", 7, "0698765432", 63.44, "transferred", True, True, True,
                          12, 5, 412.0)  # fmt: skip
    assert summary.line() == (
        "call 1764.2 summary: id=7 duration_s=63.4 outcome=transferred urgency=urgent"
        " transferred=yes lead=12 turns=5 median_turn_ms=412 caller=0698765432"
    )
    empty = CallSummary("1764.3", 0, None, 0.2, "overflow", False, None, False, None, 0, None)
    assert "urgency=- transferred=no lead=- turns=0 median_turn_ms=- caller=-" in empty.line()
