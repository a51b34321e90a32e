"""The doctor's vocabulary: a check, its result, the shared context, and the ordered runner.

A check is an async function of the context that returns the detail of a pass, or raises
CheckFailed (what is wrong, what to do) or CheckSkipped (it cannot tell, and why). A check names
the earlier checks it needs; when one of them did not pass it is reported as skipped with that
reason instead of failing again for the same cause.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from agent.config import Config

Status = Literal["pass", "fail", "skip"]


class CheckFailed(Exception):
    """The check ran and found a problem: `detail` says what, `fix` what to do."""

    def __init__(self, detail: str, fix: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fix = fix


class CheckSkipped(Exception):
    """The check could not tell (no source to ask); the message says why."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    title: str
    status: Status
    detail: str
    fix: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "pass"

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "status": self.status,
            "title": self.title,
            "detail": self.detail,
            "fix": self.fix,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class AriClock:
    """The Asterisk host's clock as its HTTP `Date` header gave it, and ours at that moment."""

    asterisk_epoch: float
    local_epoch: float


@dataclass
class Context:
    """What the checks share: the config once loaded, and what earlier checks learned."""

    config_path: Path | None
    config: Config | None = None
    asterisk_info: Mapping[str, Any] | None = None
    ari_clock: AriClock | None = None
    # Objects a check opened for later ones (the AMI session, the TTS engine), closed at the end.
    shared: dict[str, Any] = field(default_factory=dict)
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    def require_config(self) -> Config:
        if self.config is None:  # the runner skips checks that need "config" when it failed
            raise CheckSkipped("the config did not load")
        return self.config

    async def close(self) -> None:
        for close in reversed(self.closers):
            await close()
        self.closers.clear()


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    run: Callable[[Context], Awaitable[str]]
    needs: tuple[str, ...] = ("config",)
    timeout_s: float = 30.0


async def run_checks(checks: Sequence[Check], context: Context) -> list[CheckResult]:
    """Every check in order; a check whose needs did not all pass is skipped with the reason."""
    results: dict[str, CheckResult] = {}
    try:
        for check in checks:
            results[check.name] = await _run_one(check, context, results)
    finally:
        await context.close()
    return list(results.values())


async def _run_one(check: Check, context: Context, done: Mapping[str, CheckResult]) -> CheckResult:
    blocked = [done[n] for n in check.needs if n in done and not done[n].ok]
    if blocked:
        first = blocked[0]
        # Name the failure at the root of the chain, not the skipped check in between.
        reason = first.detail if first.status == "skip" else f"skipped: {first.name} failed"
        return CheckResult(check.name, check.title, "skip", reason)
    started = time.monotonic()
    try:
        detail = await asyncio.wait_for(check.run(context), check.timeout_s)
    except CheckFailed as exc:
        return _result(check, "fail", exc.detail, started, exc.fix)
    except CheckSkipped as exc:
        return _result(check, "skip", f"skipped: {exc}", started)
    except TimeoutError:
        detail = f"no answer within {check.timeout_s:.0f} s"
        fix = "see what hangs with the check's own tool (asterisk -r, decroche models status)"
        return _result(check, "fail", detail, started, fix)
    except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others' report
        detail = f"unexpected error: {type(exc).__name__}: {exc}"
        return _result(check, "fail", detail, started, "report this as a decroche bug")
    return _result(check, "pass", detail, started)


def _result(
    check: Check, status: Status, detail: str, started: float, fix: str | None = None
) -> CheckResult:
    return CheckResult(check.name, check.title, status, detail, fix, time.monotonic() - started)
