"""AMI: the dialplan's Stasis step and fallback, and the trunk's outbound registration.

The AMI user is the one decroche renders into manager.conf: the ARI username and password, on
the ARI host at [pbx] ami_port. ShowDialPlan and Getvar need `write = reporting` and
PJSIPShowRegistrationsOutbound `write = system` there (AMI checks actions against the write
classes, even read-only ones).
"""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit

from agent.doctor.ami import AmiError, AmiSession
from agent.doctor.checks import Check, CheckFailed, CheckSkipped, Context
from agent.doctor.dialplan import JUMP_APPS, parse_steps, stasis_steps

AMI_TIMEOUT_S = 5.0
RESOLVED_IN = JUMP_APPS | {"stasis"}  # the steps whose ${VAR} arguments the reading follows
PERMISSIONS_FIX = (
    "in manager.conf, give the decroche user write = originate,reporting,system "
    "(decroche pbx render writes it)"
)


def _session(ctx: Context) -> AmiSession:
    session = ctx.shared.get("ami")
    if not isinstance(session, AmiSession):
        raise CheckSkipped("ami_login failed")
    return session


async def ami_login(ctx: Context) -> str:
    config = ctx.require_config()
    host = urlsplit(config.ari.url).hostname or "127.0.0.1"
    port = config.pbx.ami_port
    try:
        session = await AmiSession.open(
            host, port, config.ari.username, config.ari.password, AMI_TIMEOUT_S
        )
    except AmiError as exc:
        fix = (
            "the AMI user is the ARI user: set its secret in manager.conf to [ari] password"
            if exc.refused
            else f"enable AMI in manager.conf ([general] enabled = yes, port = {port}, "
            "bindaddr) and set [pbx] ami_port"
        )
        raise CheckFailed(str(exc), fix) from None
    ctx.shared["ami"] = session
    ctx.closers.append(session.close)
    return f"logged in to AMI at {session.where} as {config.ari.username!r}"


async def dialplan(ctx: Context) -> str:
    config = ctx.require_config()
    session = _session(ctx)
    try:
        events = await session.action("ShowDialPlan", AMI_TIMEOUT_S)
    except AmiError as exc:
        raise CheckFailed(str(exc), PERMISSIONS_FIX if exc.refused else "see asterisk -r") from None
    globals_: dict[str, str | None] = {}
    steps = parse_steps(events)
    for step in steps:
        if step.application.lower() not in RESOLVED_IN:  # FreePBX: thousands of steps
            continue
        for name in _variables(step.data):
            if name not in globals_:
                globals_[name] = await session.getvar(name, AMI_TIMEOUT_S)
    found = stasis_steps(steps, config.ari.app, partial(dict.get, globals_))
    if not found:
        raise CheckFailed(
            f"no Stasis({config.ari.app}) step in the loaded dialplan: calls never reach the agent",
            "install dialplan/extensions.conf (decroche pbx render), or on FreePBX the "
            "decroche custom destination, then `dialplan reload`",
        )
    bare = [s for s in found if s.fallback is None]
    if bare:
        at = ", ".join(f"{s.step.context},{s.step.extension},{s.step.priority}" for s in bare)
        raise CheckFailed(
            f"Stasis({config.ari.app}) at {at} has no fallback: when the agent is down the "
            "caller hears nothing",
            "after Stasis(), go to the artisan's mobile or a ring group (Dial), then voicemail "
            "(see the decroche-fallback context of dialplan/extensions.conf)",
        )
    first = found[0]
    step = first.step
    return (
        f"Stasis({config.ari.app}) at {step.context},{step.extension},{step.priority}; "
        f"fallback: {first.fallback}"
    )


def _variables(data: str) -> list[str]:
    """Names of ${VAR} references that stand alone in an argument (a Stasis app, a target)."""
    names = []
    for part in data.replace("?", ",").replace(":", ",").split(","):
        part = part.strip()
        if part.startswith("${") and part.endswith("}") and part.count("$") == 1:
            names.append(part[2:-1])
    return names


async def trunk(ctx: Context) -> str:
    config = ctx.require_config()
    if not config.trunk.password:
        return "not configured ([trunk] has no password: no registration to check)"
    try:
        events = await _session(ctx).action("PJSIPShowRegistrationsOutbound", AMI_TIMEOUT_S)
    except AmiError as exc:
        raise CheckFailed(str(exc), PERMISSIONS_FIX if exc.refused else "see asterisk -r") from None
    registrations = {
        str(e.get("ObjectName")): str(e.get("Status"))
        for e in events
        if str(e.get("Event")) == "OutboundRegistrationDetail"
    }
    if not registrations:
        raise CheckFailed(
            "Asterisk has no outbound registration although [trunk] has credentials",
            "render and load the trunk (decroche pbx render; pjsip-trunk-auth.conf), "
            "then `module reload res_pjsip.so`",
        )
    summary = ", ".join(f"{name}: {status}" for name, status in sorted(registrations.items()))
    if not any(status == "Registered" for status in registrations.values()):
        raise CheckFailed(
            f"trunk not registered ({summary}) at {config.trunk.host}:{config.trunk.port}",
            "check [trunk] host, username and password with the operator; "
            "`pjsip show registrations` and the Asterisk log say why",
        )
    return f"registered ({summary})"


CHECKS = (
    Check("ami_login", "AMI login", ami_login),
    Check("dialplan", "dialplan: Stasis step and fallback", dialplan, ("ami_login",)),
    # Not ("ami_login",): a box without a trunk passes whatever AMI says.
    Check("trunk", "SIP trunk registration", trunk),
)
