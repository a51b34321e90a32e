"""`decroche` command line: one entry point, subcommands implemented in their own layers."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence

# subcommand -> (module, function, one-line help). Each function takes argv and returns an
# exit code; modules are imported only when their subcommand runs (models load lazily).
SUBCOMMANDS: dict[str, tuple[str, str, str]] = {
    "run": ("agent.service", "main", "run the receptionist agent against Asterisk ARI"),
    "pbx": ("devkit.sandbox.cli", "main", "manage the sandbox Asterisk: up | down | status | cli"),
    "demo": ("devkit.demo", "main", "sandbox PBX + agent + one real SIP call, then a report"),
    "simulate": (
        "devkit.sim.simulate",
        "main",
        "whole sandbox calls with simulated callers (persona files)",
    ),
    "bench": ("devkit.bench", "main", "measure answer/greeting/turn latency over real calls"),
    "models": ("devkit.install.models", "main", "install or check speech models (offline first)"),
    "transcribe": ("devkit.transcribe", "main", "speech-to-text on audio files"),
    "nlu": ("nlp.cli", "main", "understand caller transcripts (JSON lines on stdin)"),
    "dashboard": ("agent.dashboard.cli", "main", "web dashboard: leads, calls, recordings, SMS"),
    "area": ("devkit.area.cli", "main", "service area streets (BAN): import | match | bench"),
    "privacy": ("agent.privacy.cli", "main", "GDPR: export | delete all about one number"),
    "doctor": ("agent.doctor.cli", "main", "check this installation: Asterisk, models, SMS, disk"),
    "init": ("agent.setup_wizard.cli", "main", "write a first config, question by question"),
}


def _usage() -> str:
    lines = ["usage: decroche COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<11} {help_}" for name, (_, _, help_) in SUBCOMMANDS.items()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0
    name, rest = args[0], args[1:]
    if name not in SUBCOMMANDS:
        print(f"decroche: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name, func_name, _ = SUBCOMMANDS[name]
    func: Callable[[list[str]], int] = getattr(importlib.import_module(module_name), func_name)
    return func(rest)


if __name__ == "__main__":
    sys.exit(main())
