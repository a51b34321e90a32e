"""`decroche init`: scripted answers (a wrong one re-asked), flags, overwrite protection, and
every written file loaded back by the real config loader."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.config import load_config
from agent.pbx.render import template_values
from agent.setup_wizard import answers
from agent.setup_wizard.answers import AnswerError
from agent.setup_wizard.cli import main

ROOT = Path(__file__).resolve().parents[2]
SID = "AC" + "0123456789abcdef" * 2
TOKEN = "fedcba9876543210" * 2


def _init(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "agent.cli", "init", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )  # fmt: skip


def test_scripted_answers_with_wrong_ones_asked_again(tmp_path: Path) -> None:
    target = tmp_path / "etc" / "decroche.toml"
    lines = [
        "Serrurerie  Dupont & Fils",
        "serrurié",  # not a trade: asked again
        "Serrurier",
        "04 72 10 20 30",  # a landline: asked again
        "07.81.22.33.44",
        "lun-ven 8h30-12h; sam 9h-12h; dim 25h-26h",  # an impossible hour: asked again
        "lun-ven 8h30 - 18h; sam 9h-12h",
        "Villeurbanne, Caluire-et-Cuire,  Villeurbanne",
        "sip.ovh.fr:5060x",  # a port that is not a number: asked again
        "sip.ovh.fr",
        "0412345678",
        "s3cret-trunk",
        "twilio",
        SID,
        "not-a-token",  # asked again
        TOKEN,
        "+33 6 00 00 00 01",
        "",  # ARI URL: the default
        "/var/lib/decroche-test",
    ]
    done = _init("\n".join(lines) + "\n", "--config", str(target))
    assert done.returncode == 0, done.stderr
    for complaint in ("'serrurié' is not a known trade", "is not a mobile", "expected HH:MM",
                      "is not a port", "is not an auth token"):  # fmt: skip
        assert complaint in done.stdout
    config = load_config(target, require_business=True)
    business = config.business
    assert (business.name, business.trade) == ("Serrurerie Dupont & Fils", "serrurier")
    assert business.mobile == "+33781223344"
    assert business.towns == ("Villeurbanne", "Caluire-et-Cuire")
    assert business.hours["mon"] == "08:30-18:00" and business.hours["sat"] == "09:00-12:00"
    assert business.hours["sun"] == "closed"
    assert (config.trunk.host, config.trunk.port, config.trunk.username) == (
        "sip.ovh.fr", 5060, "0412345678",
    )  # fmt: skip
    assert config.trunk.password == "s3cret-trunk"
    assert config.sms.provider == "twilio" and config.sms.account is not None
    assert config.ari.url == "http://127.0.0.1:8088" and len(config.ari.password) >= 20
    assert (config.pbx.http_port, config.pbx.ami_port) == (8088, 5038)  # what render writes
    # SIP faces the operator; ARI and AMI stay on loopback.
    assert (config.pbx.sip_bind_address, config.pbx.sip_port) == ("0.0.0.0", 5060)
    values = template_values(config)
    assert (values["sip_bind"], values["http_bind"]) == ("0.0.0.0", "127.0.0.1")
    assert config.data_dir == Path("/var/lib/decroche-test")
    assert (target.stat().st_mode & 0o777) == 0o600  # passwords inside


def test_input_ending_early_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "decroche.toml"
    done = _init("Plomberie Rapide\nplombier\n", "--config", str(target))
    assert done.returncode == 2 and "nothing written" in done.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == []


def _flags(target: Path, *extra: str) -> list[str]:
    return [
        "--config", str(target), "--non-interactive", "--business", "Élec Services",
        "--trade", "électricien", "--mobile", "+33 6 11 22 33 44", "--towns", "Bron",
        *extra,
    ]  # fmt: skip


def test_flags_for_scripted_installs(tmp_path: Path) -> None:
    target = tmp_path / "decroche.toml"
    assert main(_flags(target, "--sms", "ovh", "--ovh-application-key", "ak",
                       "--ovh-application-secret", "as", "--ovh-consumer-key", "ck",
                       "--ovh-service-name", "sms-ab12345-1")) == 0  # fmt: skip
    config = load_config(target, require_business=True)
    assert (config.business.name, config.business.trade) == ("Élec Services", "electricien")
    assert config.business.hours["fri"] == "08:00-18:00"  # the default week
    assert config.business.hours["sat"] == "closed"
    assert config.trunk.password is None  # no trunk asked for
    assert config.sms.provider == "ovh"


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (("--trade", "boulanger"), "--trade: 'boulanger' is not a known trade"),
        (("--mobile", "+33 4 72 00 00 00"), "--mobile"),
        (("--hours", "mon-fri 18:00-08:00"), "--hours"),
        (("--trunk-registrar", "sip.example.fr"), "--trunk-user is required"),
        (("--sms", "twilio"), "--twilio-account-sid is required"),
    ],
)
def test_wrong_or_missing_flags_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], named: str
) -> None:
    target = tmp_path / "decroche.toml"
    assert main([*_flags(target), *extra]) == 2
    assert named in capsys.readouterr().err
    assert not target.exists()


def test_missing_required_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "decroche.toml"
    assert main(["--config", str(target), "--non-interactive", "--business", "X"]) == 2
    assert "--trade is required" in capsys.readouterr().err


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "decroche.toml"
    target.write_text("# the installer's own\n")
    assert main(_flags(target)) == 2
    assert target.read_text() == "# the installer's own\n"
    assert main([*_flags(target), "--force"]) == 0
    assert load_config(target, require_business=True).business.towns == ("Bron",)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("06 12 34 56 78", "+33612345678"), ("+33 7 81 22 33 44", "+33781223344"),
     ("0033612345678", "+33612345678"), ("06.12.34.56.78", "+33612345678")],
)  # fmt: skip
def test_mobile_forms(raw: str, expected: str) -> None:
    assert answers.mobile(raw) == expected


@pytest.mark.parametrize("raw", ["06 12 34 56", "04 72 00 00 00", "+44 7700 900123", "douze"])
def test_mobile_refused(raw: str) -> None:
    with pytest.raises(AnswerError):
        answers.mobile(raw)


def test_registrar_forms() -> None:
    assert answers.registrar("none") is None and answers.registrar("aucun") is None
    assert answers.registrar("sip:203.0.113.5:5070") == ("203.0.113.5", 5070)
    for bad in ("sip..ovh", "host:0", "-bad.example", "1.2.3"):
        with pytest.raises(AnswerError):
            answers.registrar(bad)
