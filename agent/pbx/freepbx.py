"""`decroche pbx render --freepbx DIR`: the four files FreePBX takes hand-written config in.

FreePBX owns extensions.conf, ari.conf, http.conf and manager.conf and rewrites them on every
`fwconsole reload`; what an installer adds goes in the *_custom.conf files those include.
So decroche's part on a FreePBX box is: a context usable as a Custom Destination (the agent,
then the fallback), its ARI user, HTTP enabled, and its AMI user. Values are written inline
(no [globals]: FreePBX generates its own).
"""

from __future__ import annotations

from pathlib import Path

import phonenumbers

from agent.config import PROJECT_ROOT, Config
from agent.pbx.render import render_text, template_values

TEMPLATES = PROJECT_ROOT / "asterisk-conf" / "freepbx"
FILES = (
    "extensions_custom.conf",
    "ari_additional_custom.conf",
    "http_custom.conf",
    "manager_custom.conf",
)
# FreePBX's voicemail boxes live in the "default" context; ring groups in ext-group.
VOICEMAIL_CONTEXT = "default"


def national(number: str) -> str:
    """The mobile as FreePBX's outbound routes expect it: French routes match 0XXXXXXXXX."""
    parsed = phonenumbers.parse(number, "FR")
    if parsed.country_code != 33:
        return "00" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)[1:]
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL).replace(
        " ", ""
    )


def fallback_lines(config: Config, ring_group: str | None) -> tuple[str, str]:
    """The dialplan after the agent, and how the comment names it."""
    if ring_group is not None:
        # The ring group's own "Destination if no answer" (voicemail...) takes it from there.
        return f" same => n,Goto(ext-group,{ring_group},1)", f"ring group {ring_group}"
    mobile = national(config.business.mobile)
    box = config.pbx.voicemail_box
    lines = (
        # Local/...@from-internal: FreePBX's outbound routes choose the trunk, as for a
        # call dialled from a desk phone.
        f" same => n,Dial(Local/{mobile}@from-internal,{config.trunk.mobile_ring_seconds})",
        ' same => n,GotoIf($["${DIALSTATUS}" = "ANSWER"]?done)',
        " same => n,Answer()",
        f" same => n,VoiceMail({box}@{VOICEMAIL_CONTEXT},u)",
        " same => n(done),Hangup()",
    )
    return "\n".join(lines), f"the mobile {mobile}, then voicemail box {box}"


def render_freepbx(config: Config, ring_group: str | None = None) -> dict[str, str]:
    values = template_values(config)
    values["freepbx_fallback"], values["freepbx_fallback_label"] = fallback_lines(
        config, ring_group
    )
    return {
        name: render_text((TEMPLATES / name).read_text(encoding="utf-8"), values, name)
        for name in FILES
    }


def write_freepbx(config: Config, target: Path, ring_group: str | None = None) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in render_freepbx(config, ring_group).items():
        path = target / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
