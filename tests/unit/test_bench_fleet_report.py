"""The fleet bench's arithmetic: each transcript counted for its own agent's call."""

from __future__ import annotations

from typing import Any

from devkit.bench_fleet import FleetPlan, fleet_report


def _call(agent: int, line: str, start: float, turn_ms: float | None) -> dict[str, Any]:
    return {"agent": agent, "line": line, "start": start, "end": start + 10,
            "answer_ms": 50.0, "greeting_ms": 200.0, "turn_ms": turn_ms}  # fmt: skip


def _agent(app: str, heard: list[tuple[float, float, str]]) -> dict[str, Any]:
    return {
        "app": app, "cpu_s": 1.5, "rss_mb_peak": 140.0,
        "heard": [{"at": at, "stt_ms": ms, "audio_s": 2.0, "text": t} for at, ms, t in heard],
    }  # fmt: skip


def test_calls_at_once_are_scored_against_their_own_agent() -> None:
    # Both agents hear at the same moment: agent 1 right, agent 2 one word wrong of four.
    calls = {
        1: [_call(1, "le radiateur fuit beaucoup", 100.0, 400.0)],
        2: [_call(2, "ma porte est claquée", 100.0, None)],
    }
    agents = {
        1: _agent("a-fleet1", [(105.0, 300.0, "Le radiateur fuit beaucoup.")]),
        2: _agent("a-fleet2", [(105.0, 900.0, "Ma porte est cassée.")]),
    }
    report = fleet_report(FleetPlan(agents=2, calls=1), calls, agents, failed=0)
    one, two = report["agents"]
    assert (one["wer_calls"], two["wer_calls"]) == (0.0, 0.25)
    assert report["wer_calls"] == 0.125  # 1 error in 8 words
    assert two["no_reply_turns"] == 1 and report["no_reply_turns"] == 1
    assert report["turn_ms_p50"] == 400.0
    assert (report["stt_ms_p50"], report["stt_ms_p95"]) == (300.0, 900.0)
    assert report["agents_cpu_s"] == 3.0 and report["agents_rss_mb_peak_sum"] == 280.0


def test_a_transcript_outside_every_call_is_not_scored() -> None:
    calls = {1: [_call(1, "oui", 100.0, 300.0)]}
    agents = {1: _agent("a-fleet1", [(50.0, 100.0, "bonjour"), (104.0, 100.0, "oui")])}
    (one,) = fleet_report(FleetPlan(agents=1, calls=1), calls, agents, failed=0)["agents"]
    assert one["wer_calls"] == 0.0
