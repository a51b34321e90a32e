"""Asterisk configuration rendering from the decroche config (real templates, no Asterisk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.config import Config, load_config
from agent.pbx.render import (
    SANDBOX_ONLY,
    TEMPLATE_DIRS,
    TemplateError,
    render_all,
    render_text,
    template_values,
    write_rendered,
)

TEMPLATES = sorted(p.name for folder in TEMPLATE_DIRS for p in folder.glob("*.conf"))


def config(**sections: dict[str, object]) -> Config:
    return load_config(None, sections)


@pytest.fixture(scope="module")
def with_password() -> Config:
    return config(
        trunk={"password": "tr0nk-secret", "username": "acme", "host": "sip.example.net"},
        business={
            "name": "Plomberie Martin, Lyon",
            "trade": "plombier",
            "mobile": "+33611223344",
            "phones": ["6001", "6002"],
        },
    )


def test_templates_exist() -> None:
    assert "extensions.conf" in TEMPLATES
    assert "pjsip.conf" in TEMPLATES
    assert "pjsip-trunk-auth.conf" in TEMPLATES
    assert set(TEMPLATES) >= SANDBOX_ONLY


@pytest.mark.parametrize("sandbox", [True, False])
def test_every_template_renders_without_leftover_placeholders(
    with_password: Config, sandbox: bool
) -> None:
    rendered = render_all(with_password, sandbox=sandbox)
    expected = set(TEMPLATES) if sandbox else set(TEMPLATES) - SANDBOX_ONLY
    assert set(rendered) == expected
    for name, text in rendered.items():
        assert "{{" not in text and "}}" not in text, name
        assert text.strip(), name


def test_sandbox_only_files_are_excluded_in_production() -> None:
    assert set(render_all(config(), sandbox=True)) >= SANDBOX_ONLY
    assert not set(render_all(config(), sandbox=False)) & SANDBOX_ONLY


def test_trunk_auth_only_when_a_password_is_set(with_password: Config) -> None:
    without = render_all(config(), sandbox=False)
    assert "pjsip-trunk-auth.conf" not in without
    assert "outbound_auth" not in without["pjsip.conf"]

    rendered = render_all(with_password, sandbox=False)
    auth = rendered["pjsip-trunk-auth.conf"]
    assert "password = tr0nk-secret" in auth
    assert "username = acme" in auth
    assert "server_uri = sip:sip.example.net:15070" in auth
    assert "outbound_auth = trunk-auth" in rendered["pjsip.conf"]


def test_values_reach_the_files(with_password: Config) -> None:
    rendered = render_all(with_password, sandbox=True)
    pbx = with_password.pbx
    assert f"bind = {pbx.bind_address}:{pbx.sip_port}" in rendered["pjsip.conf"]
    assert str(pbx.rtp_start) in rendered["rtp.conf"]
    assert str(pbx.rtp_end) in rendered["rtp.conf"]
    assert with_password.ari.password in rendered["ari.conf"]
    extensions = rendered["extensions.conf"]
    assert "MOBILE = +33611223344" in extensions
    assert "ARTISAN_PHONES = PJSIP/6001&PJSIP/6002" in extensions
    assert f"DECROCHE_APP = {with_password.ari.app}" in extensions


def test_business_name_commas_are_removed(with_password: Config) -> None:
    assert template_values(with_password)["business_name"] == "Plomberie Martin  Lyon"


def test_max_calls_leaves_headroom_for_helper_channels() -> None:
    assert template_values(config(media={"max_calls": 5}))["max_calls"] == "20"


def test_dialplan_flow_stasis_then_fallback_mobile_then_voicemail() -> None:
    text = render_all(config(), sandbox=False)["extensions.conf"]
    inbound = text[text.index("[decroche-inbound]") :]
    fallback = text[text.index("[decroche-fallback]") :]
    steps = [
        inbound.index("Dial(${ARTISAN_PHONES},${RING_SECONDS})"),
        inbound.index("Stasis(${DECROCHE_APP})"),
        inbound.index('GotoIf($["${STASISSTATUS}" = "FAILED"]?decroche-fallback,s,1)'),
    ]
    assert steps == sorted(steps)
    later = [
        fallback.index("Dial(PJSIP/${MOBILE}@trunk,${MOBILE_RING_SECONDS})"),
        fallback.index('GotoIf($["${DIALSTATUS}" = "ANSWER"]?done)'),
        fallback.index("VoiceMail(${VOICEMAIL_BOX}@decroche"),
    ]
    assert later == sorted(later)
    assert "[from-trunk]" in text and "Goto(decroche-inbound,s,1)" in text


def test_unknown_placeholder_raises() -> None:
    with pytest.raises(TemplateError, match=r"x\.conf: unknown placeholder \{\{nope\}\}"):
        render_text("a = {{mobile}}\nb = {{nope}}\n", {"mobile": "1"}, "x.conf")


def test_render_text_substitutes_and_leaves_asterisk_variables() -> None:
    out = render_text("X = {{a}} ${EXTEN} {{a}}", {"a": "v"}, "t.conf")
    assert out == "X = v ${EXTEN} v"


@pytest.mark.parametrize("template", ["{{ mobile }}", "{{Mobile}}", "{{trunk-host}}"])
def test_malformed_placeholder_raises(template: str) -> None:
    with pytest.raises(TemplateError):
        render_text(template, {"mobile": "1"}, "x.conf")


def test_write_rendered_writes_every_file(tmp_path: Path) -> None:
    written = write_rendered(config(), tmp_path / "etc", sandbox=False)
    assert sorted(p.name for p in written) == sorted(
        set(TEMPLATES) - SANDBOX_ONLY - {"pjsip-trunk-auth.conf"}
    )
    for path in written:
        assert path.parent == tmp_path / "etc"
        assert "{{" not in path.read_text(encoding="utf-8")


def test_removing_the_trunk_password_removes_the_auth_file(
    tmp_path: Path, with_password: Config
) -> None:
    write_rendered(with_password, tmp_path, sandbox=False)
    assert (tmp_path / "pjsip-trunk-auth.conf").exists()
    write_rendered(config(), tmp_path, sandbox=False)
    assert not (tmp_path / "pjsip-trunk-auth.conf").exists()
