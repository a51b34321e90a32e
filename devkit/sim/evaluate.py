"""`make eval-calls`: every persona of eval/personas through `decroche simulate --json`, scored.

Personas are grouped by the trade in their [expect] table, and each group runs with a config
for a business of that trade (the demo's towns, the area file when the project ships one), so
a locksmith's caller reaches a locksmith. `--config FILE` runs them all with one config instead.
Prints accuracy per field against the issue's targets and writes every report and score to
`--out` (JSON lines, then a summary file beside it).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

from agent.area.ban import read_ban
from agent.config import PROJECT_ROOT
from devkit.sim.persona import Persona, PersonaError, load_persona
from devkit.sim.scoring import (
    FIELDS,
    MAX_ASKS,
    TARGETS,
    Score,
    Summary,
    normalise,
    score,
    summarise,
)

DEMO_TOWNS = ("Lyon", "Villeurbanne", "Vénissieux", "Bron", "Caluire-et-Cuire")
AREA_FILE = PROJECT_ROOT / "agent/area/data/demo-area.csv"
OUT = PROJECT_ROOT / ".var/eval/results.jsonl"


def _config_for(trade: str, folder: Path, sandbox: str = "", area_file: Path = AREA_FILE) -> Path:
    """A business of `trade` serving the towns of `area_file` (the demo's by default);
    everything else from the sandbox defaults, or from `sandbox` (TOML tables naming another
    sandbox Asterisk: [pbx], [ari], [trunk])."""
    served = DEMO_TOWNS if area_file == AREA_FILE else area_towns(area_file)
    towns = ", ".join(json.dumps(t, ensure_ascii=False) for t in served)
    lines = [
        "[business]",
        f'name = "Artisan {trade}"',
        f'trade = "{trade}"',
        'mobile = "+33612345678"',
        f"towns = [{towns}]",
    ]
    if area_file.exists():  # its streets (the demo's only once the project ships them)
        lines += ["", "[area]", f"addresses = {json.dumps(str(area_file.resolve()))}"]
    path = folder / f"{trade}.toml"
    path.write_text("\n".join(lines) + "\n\n" + sandbox, encoding="utf-8")
    return path


def listed(expect: Mapping[str, Any], area_file: Path = AREA_FILE) -> dict[str, Any]:
    """`expect` with `in_file`: whether its street is one of the area file's, in its town
    (the street target counts only those; see devkit.sim.scoring)."""
    if "street" not in expect or not area_file.exists():
        return dict(expect)
    wanted = (normalise(str(expect["street"])), normalise(str(expect.get("town", ""))))
    return {**expect, "in_file": wanted in _streets(area_file)}


@cache
def _places(area_file: Path) -> tuple[tuple[str, str], ...]:
    """(street, town) of every street of an area file, read once, in file order."""
    return tuple(dict.fromkeys((row.street, row.town) for row in read_ban(area_file)))


@cache
def _streets(area_file: Path) -> frozenset[tuple[str, str]]:
    return frozenset((normalise(street), normalise(town)) for street, town in _places(area_file))


def area_towns(area_file: Path) -> tuple[str, ...]:
    """The towns of an area file, in the order they first appear (a business serves them all)."""
    return tuple(dict.fromkeys(town for _, town in _places(area_file)))


def _simulate(config: Path, personas: list[Persona]) -> Iterator[dict[str, Any]]:
    """Runs the real command line, yielding each report as its call ends; a persona whose
    call failed is simply missing (and counted so by the caller)."""
    command = [sys.executable, "-m", "agent.cli", "simulate", "--json", "--config", str(config)]
    command += [str(p.source) for p in personas]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT, encoding="utf-8"
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("{"):
                yield json.loads(line)
    if process.returncode != 0:
        print(f"simulate exited {process.returncode}", file=sys.stderr)


def run(
    personas: list[Persona],
    config: Path | None,
    out: Path,
    sandbox: str = "",
    area_file: Path = AREA_FILE,
) -> list[Score]:
    out.parent.mkdir(parents=True, exist_ok=True)
    # Per run (named after its output), so two evaluations side by side keep their configs.
    configs = out.parent / f"{out.stem}.configs"
    configs.mkdir(exist_ok=True)
    groups: dict[str, list[Persona]] = defaultdict(list)
    for persona in personas:
        groups["" if config else str(persona.expect.get("trade", "plombier"))].append(persona)
    expected = {p.id: listed(p.expect, area_file) for p in personas}
    scores = []
    with out.open("w", encoding="utf-8") as sink:
        for trade, group in groups.items():
            path = config or _config_for(trade, configs, sandbox, area_file)
            print(f"{trade or path}: {len(group)} call(s)...", file=sys.stderr, flush=True)
            for report in _simulate(path, group):
                result = score(report, expected.get(report.get("persona", ""), {}))
                scores.append(result)
                _show(result)
                sink.write(json.dumps({"report": report, "score": asdict(result)}) + "\n")
                sink.flush()  # a long run interrupted keeps what it measured
    return scores


def _show(result: Score) -> None:
    wrong = [name for name, ok in result.fields.items() if ok is False]
    verdict = "ok" if not wrong else "wrong: " + ", ".join(wrong)
    print(f"  {result.persona:<40} {verdict}  got {result.got}", file=sys.stderr, flush=True)


def report(summary: Summary) -> str:
    lines = [f"{summary.calls} calls"]
    for name in FIELDS:
        right, scored = summary.rates[name]
        rate = f"{100 * right / scored:5.1f} %" if scored else "    -  "
        target = TARGETS.get(name, 1.0)
        mark = "" if not scored else ("  ok" if right / scored >= target else "  BELOW")
        lines.append(f"  {name:<11} {rate}  ({right}/{scored}, target {100 * target:.0f} %){mark}")
    for label, rates in (("put through", summary.put_through),
                         ("not put through", summary.not_put_through)):  # fmt: skip
        parts = [f"{name} {right}/{scored}" for name, (right, scored) in rates.items()]
        lines.append(f"    {label}: {', '.join(parts)}")
    lines.append(
        f"  max asks    {summary.max_asks} (target <= {MAX_ASKS})"
        + (f"  over: {', '.join(summary.over_asked)}" if summary.over_asked else "")
    )
    median = summary.turn_ms_median
    lines.append(f"  turn ms     median {median:.0f}" if median is not None else "  turn ms  -")
    return "\n".join(lines)


def rescore(
    results: list[Path], personas: list[Persona], area_file: Path = AREA_FILE
) -> list[Score]:
    """Scores reports of earlier runs again (say, runs made in chunks) against the persona
    files as they are now."""
    expected = {p.id: listed(p.expect, area_file) for p in personas}
    scores = []
    for path in results:
        for line in path.read_text(encoding="utf-8").splitlines():
            found = json.loads(line)
            report = found.get("report", found)  # our results file, or simulate's own lines
            if report.get("persona") in expected:
                scores.append(score(report, expected[report["persona"]]))
                _show(scores[-1])
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.sim.evaluate")
    parser.add_argument("personas", type=Path, nargs="*", default=[PROJECT_ROOT / "eval/personas"])
    parser.add_argument("--config", type=Path, default=None, help="one config for all personas")
    parser.add_argument("--out", type=Path, default=OUT, help="JSON lines of reports and scores")
    parser.add_argument(
        "--sandbox",
        type=Path,
        default=None,
        help="TOML added to each persona's config: another sandbox Asterisk ([pbx], [ari], "
        "[trunk], [store]), so that two evaluations can run side by side",
    )
    parser.add_argument(
        "--area",
        type=Path,
        default=AREA_FILE,
        help="a BAN addresses file: the business serves its towns and matches its streets "
        "(default: the demo area; eval/nantes holds a second area and its callers)",
    )
    parser.add_argument(
        "--rescore", type=Path, nargs="+", default=None, help="score these results, no calls"
    )
    args = parser.parse_args(argv)
    files = [f for p in args.personas for f in (sorted(p.glob("*.toml")) if p.is_dir() else [p])]
    try:
        personas = [load_persona(f) for f in files]
    except PersonaError as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    if args.rescore:
        summary = summarise(rescore(args.rescore, personas, args.area))
    else:
        sandbox = args.sandbox.read_text(encoding="utf-8") if args.sandbox else ""
        scores = run(personas, args.config, args.out, sandbox, args.area)
        missing = sorted({p.id for p in personas} - {s.persona for s in scores})
        if missing:
            print(f"no report for: {', '.join(missing)}", file=sys.stderr)
        summary = summarise(scores)
        args.out.with_suffix(".summary.json").write_text(
            json.dumps(summary.as_dict(), indent=2, ensure_ascii=False), encoding="utf-8"
        )
    print(report(summary))
    return 0 if args.rescore or summary.calls == len(personas) else 1


if __name__ == "__main__":
    sys.exit(main())
