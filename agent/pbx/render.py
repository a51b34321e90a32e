"""Render asterisk-conf/ and dialplan/ templates from the decroche config.

Templates hold `{{name}}` placeholders (Asterisk itself uses ${...}); an unknown placeholder
is an error, so a template and this module never drift apart silently.
"""

from __future__ import annotations

import re
from pathlib import Path

from agent.config import PROJECT_ROOT, Config

PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
TEMPLATE_DIRS = (PROJECT_ROOT / "asterisk-conf", PROJECT_ROOT / "dialplan")
SANDBOX_ONLY = frozenset({"pjsip-test-endpoints.conf", "extensions-sandbox.conf"})


class TemplateError(ValueError):
    """A template names a value the renderer does not know."""


def template_values(config: Config) -> dict[str, str]:
    business, pbx, trunk = config.business, config.pbx, config.trunk
    phones = "&".join(f"PJSIP/{p}" for p in business.phones)
    return {
        "max_calls": str(config.media.max_calls * 4),
        "http_bind": pbx.bind_address,
        "http_port": str(pbx.http_port),
        "sip_bind": pbx.sip_bind_address or pbx.bind_address,
        "sip_port": str(pbx.sip_port),
        "ami_port": str(pbx.ami_port),
        "rtp_start": str(pbx.rtp_start),
        "rtp_end": str(pbx.rtp_end),
        "ari_username": config.ari.username,
        "ari_password": config.ari.password,
        "ari_app": config.ari.app,
        "voicemail_box": pbx.voicemail_box,
        "business_name": business.name.replace(",", " "),
        "desk_password": pbx.desk_password,
        "artisan_phones": phones,
        "ring_seconds": str(business.ring_seconds),
        "mobile": business.mobile,
        "mobile_ring_seconds": str(trunk.mobile_ring_seconds),
        "trunk_host": trunk.host,
        "trunk_port": str(trunk.port),
        "trunk_match": trunk.match,
        "trunk_username": trunk.username,
        "trunk_password": trunk.password or "",
        "trunk_auth_line": "outbound_auth = trunk-auth" if trunk.password else "",
    }


def render_text(template: str, values: dict[str, str], name: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise TemplateError(f"{name}: unknown placeholder {{{{{key}}}}}")
        return values[key]

    rendered = PLACEHOLDER.sub(substitute, template)
    if "{{" in rendered:  # a malformed placeholder ({{ name }}, {{Name}}) must not slip through
        line = next(x for x in rendered.splitlines() if "{{" in x)
        raise TemplateError(f"{name}: malformed placeholder in {line.strip()!r}")
    return rendered


def render_all(config: Config, *, sandbox: bool) -> dict[str, str]:
    """File name -> rendered content for every template that applies."""
    values = template_values(config)
    rendered: dict[str, str] = {}
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.glob("*.conf")):
            if path.name in SANDBOX_ONLY and not sandbox:
                continue
            if path.name == "pjsip-trunk-auth.conf" and not config.trunk.password:
                continue
            rendered[path.name] = render_text(path.read_text(encoding="utf-8"), values, path.name)
    return rendered


def write_rendered(config: Config, target: Path, *, sandbox: bool) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    rendered = render_all(config, sandbox=sandbox)
    # A file rendered last time but not now (trunk credentials removed, production render
    # over a sandbox) must go: pjsip.conf would still #tryinclude it.
    for optional in ("pjsip-trunk-auth.conf", *SANDBOX_ONLY):
        if optional not in rendered:
            (target / optional).unlink(missing_ok=True)
    written = []
    for name, content in rendered.items():
        path = target / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
