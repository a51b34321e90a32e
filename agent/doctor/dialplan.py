"""Reading the loaded dialplan: where the call enters the agent, and where it goes if not.

The dialplan is read as Asterisk runs it (AMI ShowDialPlan), not from a file: on FreePBX it is
generated from the database into several files, and the PBX may be another machine. ARI has no
dialplan resource, so AMI is the only interface that shows it.

After `Stasis(app)` returns (agent down: STASISSTATUS=FAILED, or the agent gave the call back)
the next priorities run. A fallback is a path from there to a person or a mailbox: Dial, Queue,
VoiceMail... directly, or through Goto/GotoIf/Gosub/Macro into a context that has one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

HUMAN_APPS = frozenset({"dial", "queue", "voicemail", "followme", "page", "macro-dial"})
JUMP_APPS = frozenset({"goto", "gotoif", "gosub", "gosubif", "macro"})
# res_stasis adds a `stasis-<app>` context (`_.,1,Stasis(app)`) while an app is connected, so
# that Local channels can enter it; no call from the trunk goes there.
GENERATED_BY = frozenset({"res_stasis"})
VARIABLE = re.compile(r"^\$\{([A-Za-z0-9_]+)\}$")
MAX_DEPTH = 4  # FreePBX: route -> custom destination -> ring group -> macro/gosub dial


@dataclass(frozen=True)
class Step:
    context: str
    extension: str
    priority: int
    application: str
    data: str


@dataclass(frozen=True)
class StasisStep:
    step: Step
    fallback: str | None  # how the call reaches a person after Stasis, None when it cannot


def parse_steps(events: Iterable[Mapping[str, str]]) -> list[Step]:
    """ListDialplan events to steps (include lines and hints carry no application; what
    Asterisk generates for itself is left out)."""
    steps = []
    for event in events:
        application = str(event.get("Application", ""))
        priority = str(event.get("Priority", ""))
        if not application or not priority.isdigit():
            continue
        if str(event.get("Registrar", "")) in GENERATED_BY:
            continue
        steps.append(Step(str(event.get("Context", "")), str(event.get("Extension", "")),
                          int(priority), application, str(event.get("AppData", ""))))  # fmt: skip
    return steps


def stasis_steps(
    steps: list[Step], app: str, resolve: Callable[[str], str | None]
) -> list[StasisStep]:
    """Every Stasis() step that sends calls to `app` (${VAR} arguments resolved as globals)."""
    found = []
    for step in steps:
        if step.application.lower() != "stasis":
            continue
        target = _resolve(step.data.split(",")[0].strip(), resolve)
        if target == app:
            found.append(StasisStep(step, _fallback_after(step, steps, resolve)))
    return found


def _resolve(text: str, resolve: Callable[[str], str | None]) -> str:
    match = VARIABLE.match(text)
    if match is None:
        return text
    return resolve(match.group(1)) or text


def _fallback_after(
    stasis: Step, steps: list[Step], resolve: Callable[[str], str | None]
) -> str | None:
    after = [
        s for s in steps
        if (s.context, s.extension) == (stasis.context, stasis.extension)
        and s.priority > stasis.priority
    ]  # fmt: skip
    return _reaches_person(sorted(after, key=lambda s: s.priority), steps, resolve, 0, set())


def _reaches_person(
    path: list[Step],
    steps: list[Step],
    resolve: Callable[[str], str | None],
    depth: int,
    seen: set[str],
) -> str | None:
    for step in path:
        app = step.application.lower()
        if app in HUMAN_APPS:
            return f"{step.application} at {step.context},{step.extension},{step.priority}"
        if app not in JUMP_APPS or depth >= MAX_DEPTH:
            continue
        for context in _jump_contexts(step, resolve):
            if context in seen:
                continue
            seen.add(context)
            inside = [s for s in steps if s.context == context]
            found = _reaches_person(inside, steps, resolve, depth + 1, seen)
            if found:
                return found
    return None


def _jump_contexts(step: Step, resolve: Callable[[str], str | None]) -> list[str]:
    """The contexts a jump may land in: `ctx,exten,prio` targets (GotoIf's both branches);
    Macro(name) runs context macro-name."""
    data = step.data
    if step.application.lower() == "macro":
        return [f"macro-{_resolve(data.split(',')[0].strip(), resolve)}"]
    if "?" in data:
        data = data.split("?", 1)[1]
    contexts = []
    for branch in data.split(":"):
        parts = [p.strip() for p in branch.split("(")[0].split(",")]
        if len(parts) == 3:
            contexts.append(_resolve(parts[0], resolve))
    return contexts
