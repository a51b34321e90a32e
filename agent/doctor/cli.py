"""`decroche doctor [--config FILE] [--json]`: every check in order, exit 0 only if all pass.

Order: the config first (everything needs it), then Asterisk from the outside in (ARI answers,
accepts the user, runs a version and modules that carry calls, the agent is connected), the
loaded dialplan and the trunk (AMI), the speech models, SMS, and this box (disk, clock).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from agent.config import ConfigError, load_config
from agent.doctor import ami_checks, ari_checks, host_checks, sms_checks, speech_checks
from agent.doctor.checks import Check, CheckFailed, CheckResult, Context, run_checks


async def config_valid(ctx: Context) -> str:
    try:
        # A real file must describe the business, as for `decroche run`; without --config the
        # embedded sandbox defaults are checked (the demo business).
        ctx.config = load_config(ctx.config_path, require_business=ctx.config_path is not None)
    except ConfigError as exc:
        fix = "fix that key (decroche.example.toml documents each one)"
        raise CheckFailed(str(exc), fix) from None
    where = ctx.config_path or "the embedded sandbox defaults (no --config)"
    return f"{where}: valid ({ctx.config.business.name}, {ctx.config.business.trade})"


def _by_name(checks: Sequence[Check], *names: str) -> list[Check]:
    table = {c.name: c for c in checks}
    return [table[n] for n in names]


ARI = ari_checks.CHECKS
CHECKS: tuple[Check, ...] = (
    Check("config", "config valid", config_valid, needs=()),
    *_by_name(ARI, "ari_reachable", "ari_credentials", "asterisk_version", "asterisk_modules"),
    *_by_name(ARI, "ari_app"),
    *ami_checks.CHECKS,
    *speech_checks.CHECKS,
    *sms_checks.CHECKS,
    *host_checks.CHECKS,
)


async def diagnose(config_path: Path | None, checks: Sequence[Check] = CHECKS) -> list[CheckResult]:
    return await run_checks(checks, Context(config_path))


MARKS = {"pass": "ok  ", "fail": "FAIL", "skip": "skip"}


def render_text(results: Sequence[CheckResult]) -> str:
    lines = []
    for r in results:
        lines.append(f"[{MARKS[r.status]}] {r.title} ({r.name}): {r.detail}")
        if r.fix:
            lines.append(f"       -> {r.fix}")
    failed = [r.name for r in results if r.status == "fail"]
    skipped = [r.name for r in results if r.status == "skip"]
    lines.append("")
    if not failed and not skipped:
        lines.append(f"all {len(results)} checks passed")
    else:
        lines.append(f"failed: {', '.join(failed) or 'none'}; skipped: {len(skipped)}")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="decroche doctor", description="check that this installation is wired right"
    )
    parser.add_argument("--config", type=Path, help="decroche TOML (default: sandbox defaults)")
    parser.add_argument("--json", action="store_true", help="print every check as JSON")
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    results = asyncio.run(diagnose(args.config))
    if args.json:
        print(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
    else:
        print(render_text(results))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
