"""Every table of the config is read and typed at load: a typo anywhere fails there, naming the
table and the key, before ARI is connected or a model loaded; the defaults are the documented
ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agent.config import CORE, LAYERS, ConfigError, load_config, parse_config
from agent.missed.settings import PRODUCTION_CDR_PATH, sandbox_cdr_path
from agent.service import main as run_main
from agent.sms.settings import OvhSettings

BUSINESS = {"name": "Serrurerie Dupont", "trade": "serrurier", "mobile": "+33698765432"}
OVH = {"application_key": "AK", "application_secret": "AS", "consumer_key": "CK",
       "service_name": "sms-ab12345-1"}  # fmt: skip


def parse(**tables: Any) -> Any:
    return parse_config({"business": BUSINESS, **tables}, Path("/srv/decroche"))


@pytest.mark.parametrize("table", [*CORE, *LAYERS])
def test_a_misspelt_key_in_any_table_fails_at_load_naming_table_and_key(table: str) -> None:
    values = {**BUSINESS, "enabeld": True} if table == "business" else {"enabeld": True}
    with pytest.raises(ConfigError, match=rf"^\[{table}\] unknown key\(s\): enabeld$"):
        parse(**{table: values})


@pytest.mark.parametrize(
    ("tables", "key"),
    [
        ({"stt": {"beam_size": "3"}}, "stt.beam_size"),
        ({"tts": {"engine": "festival"}}, "tts.engine"),
        ({"turn": {"end_silence_ms": 20}}, "turn.end_silence_ms"),
        ({"sms": {"provider": "ovh", "ovh": {**OVH, "sender": 3}}}, "sms.ovh.sender"),
        ({"sms": {"provider": "ovh", "ovh": {**OVH, "sendr": "X"}}}, r"\[sms.ovh\] unknown"),
        ({"dialogue": {"readback": "Je récapitule : {sumary}."}}, "dialogue.readback"),
        ({"dialogue": {"max_readbacks": 0}}, "dialogue.max_readbacks"),
        ({"webhook": {"outcomes": ["lead"]}}, "webhook.outcomes"),
        ({"missed": {"max_age_h": 0}}, "missed.max_age_h"),
        ({"dashboard": {"bind": "0.0.0.0"}}, "dashboard.password"),
        ({"area": {"addresses": 69}}, "area.addresses"),
    ],
)
def test_a_wrong_value_in_a_layers_table_fails_at_load(tables: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        parse(**tables)


def test_each_layer_gets_its_typed_table() -> None:
    config = parse(
        stt={"beam_size": 5},
        tts={"engine": "espeak"},
        turn={"end_silence_ms": 700},
        sms={"provider": "ovh", "ovh": OVH, "local_dir": "sms"},
        dialogue={"artisan": "Paul"},
        webhook={"url": "https://crm.example/hook"},
        missed={"enabled": False, "cdr_path": "cdr/Master.csv"},
        dashboard={"port": 8181},
        area={"addresses": "ban.csv"},
    )
    assert (config.stt.beam_size, config.tts.engine, config.turn.end_silence_ms) == (
        5,
        "espeak",
        700,
    )
    assert (
        isinstance(config.sms.account, OvhSettings)
        and config.sms.account.service_name == OVH["service_name"]
    )
    assert config.sms.local_dir == Path("/srv/decroche/sms")
    assert (config.dialogue.artisan, config.webhook.enabled, config.dashboard.port) == (
        "Paul",
        True,
        8181,
    )
    assert config.missed.cdr_path == Path("/srv/decroche/cdr/Master.csv")
    assert config.area.addresses == Path("/srv/decroche/ban.csv")


def test_defaults_are_the_documented_ones() -> None:
    """The values each class declares, and the few defaults that depend on the file."""
    config = load_config()
    assert (config.stt.model, config.stt.beam_size, config.stt.workers) == ("base", 3, 1)
    assert (config.tts.engine, config.tts.timeout_s) == ("pico", 10.0)
    assert (config.turn.end_silence_ms, config.turn.eager_silence_ms) == (600, 250)
    assert (config.sms.provider, config.sms.local_dir, config.sms.account) == ("local", None, None)
    outbox = config.sms.outbox
    assert (outbox.max_segments, outbox.max_attempts, outbox.give_up_after_s) == (3, 100, 86400)
    assert (config.dialogue.max_readbacks, config.dialogue.confidence_threshold) == (2, 0.6)
    webhook = config.webhook
    assert (webhook.url, webhook.timeout_s, webhook.max_attempts) == (None, 10.0, 12)
    assert (webhook.backoff_initial_s, webhook.backoff_max_s) == (10.0, 3600.0)
    assert webhook.outcomes == ("transferred", "callback_needed")
    missed = config.missed
    assert (missed.enabled, missed.scan_interval_s, missed.max_age_h) == (True, 60.0, 24.0)
    dashboard = config.dashboard
    assert (dashboard.bind, dashboard.port, dashboard.username) == ("127.0.0.1", 8080, "artisan")
    assert (config.area.addresses, config.area.cache_dir) == (None, None)
    assert (config.ari.connect_timeout_s, config.pbx.http_port, config.trunk.port) == (
        5.0,
        18088,
        15070,
    )
    assert (config.spool.reserve_kb, config.spool.min_free_kb) == (256, 1024)
    # No file: the embedded sandbox, whose Asterisk writes its CDR in its chroot.
    assert config.missed.cdr_path == sandbox_cdr_path(config.pbx.sandbox_dir)
    assert parse().missed.cdr_path == sandbox_cdr_path(parse().pbx.sandbox_dir)


def test_a_config_file_reads_the_production_cdr(tmp_path: Path) -> None:
    path = tmp_path / "decroche.toml"
    path.write_text('[business]\nname = "V"\ntrade = "vitrier"\nmobile = "+33612345678"\n')
    assert load_config(path).missed.cdr_path == PRODUCTION_CDR_PATH


def test_the_example_config_loads() -> None:
    config = load_config(Path(__file__).resolve().parents[2] / "decroche.example.toml")
    assert config.business.name


def test_run_refuses_a_typo_before_connecting(tmp_path: Path, capsys: Any) -> None:
    """The agent would otherwise wait for Asterisk (nobody listens on this port) first."""
    path = tmp_path / "decroche.toml"
    path.write_text(
        '[business]\nname = "V"\ntrade = "vitrier"\nmobile = "+33612345678"\n'
        '[ari]\nurl = "http://127.0.0.1:9"\nconnect_timeout_s = 60\n'
        '[dialogue]\nask_nam = "Votre nom ?"\n'
    )
    assert run_main(["--config", str(path)]) == 2
    assert "[dialogue] unknown key(s): ask_nam" in capsys.readouterr().err


def test_loading_the_config_imports_no_network_or_model_code() -> None:
    code = (
        "import sys; from agent.config import load_config; load_config();"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('aiohttp', 'faster_whisper', 'ctranslate2', 'piper', 'onnxruntime')"
        " or m.startswith(('agent.ari', 'agent.call', 'agent.sms.providers',"
        " 'agent.leads.webhook', 'agent.dashboard.app')));"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
