"""Bad input to the commands: one line on stderr naming the problem, a non-zero exit, never a
traceback. Each command runs as a real subprocess, as a user would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
BUSINESS = '[business]\nname = "Plomberie Test"\ntrade = "plombier"\nmobile = "+33698765432"\n'


def decroche(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "agent.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode(errors="replace"),
        result.stderr.decode(errors="replace"),
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


# ---- config files ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "dashboard"])
def test_a_config_without_business_is_refused_by_the_services(command: str, tmp_path: Path) -> None:
    config = tmp_path / "decroche.toml"
    config.write_text(f'[store]\ndata_dir = "{tmp_path / "var"}"\n', encoding="utf-8")
    assert_one_line_error(decroche(command, "--config", str(config)), "[business] is missing")
    assert not (tmp_path / "var").exists()  # refused before touching anything


def test_only_the_services_require_the_business_table(tmp_path: Path) -> None:
    config = tmp_path / "decroche.toml"
    config.write_text("[media]\nmax_calls = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[business\] is missing"):
        load_config(config, require_business=True)
    assert load_config(config).business.name  # demo, bench, pbx: the sandbox business
    assert load_config(None, require_business=True).business.name  # no file: the sandbox


@pytest.mark.parametrize("command", ["run", "dashboard", "pbx"])
def test_a_directory_or_binary_config_is_one_line(command: str, tmp_path: Path) -> None:
    binary = tmp_path / "decroche.toml"
    binary.write_bytes(bytes(range(256)) * 4)
    extra = ["status"] if command == "pbx" else []
    for path, needle in ((tmp_path, "is a directory"), (binary, "not a text file")):
        assert_one_line_error(decroche(command, "--config", str(path), *extra), needle)


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can write to, root included: a read-only tmpfs mount."""
    path = tmp_path / "ro"
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        path.chmod(0o555)  # enough for a user that is not root
        probe = path / "probe"
        try:
            probe.touch()
        except OSError:
            yield path
            return
        pytest.skip("cannot make a read-only folder here (root without mount)")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False)


@pytest.mark.parametrize("command", ["run", "dashboard"])
@pytest.mark.parametrize("below", ["var", ""])  # a folder to create, or the read-only one
def test_a_read_only_data_dir_is_refused_at_start(
    command: str, below: str, tmp_path: Path, read_only_dir: Path
) -> None:
    config = tmp_path / "decroche.toml"
    # Refused before connecting to Asterisk (none answers on port 9: that would fail later).
    config.write_text(
        BUSINESS + f'[store]\ndata_dir = "{read_only_dir / below}"\n'
        '[ari]\nurl = "http://127.0.0.1:9"\n'
    )
    needle = "cannot write" if command == "run" else "cannot open"
    assert_one_line_error(decroche(command, "--config", str(config)), needle, str(read_only_dir))


# ---- decroche pbx ---------------------------------------------------------------------------


@pytest.mark.parametrize("before", [True, False])
def test_pbx_takes_config_before_or_after_the_action(before: bool, tmp_path: Path) -> None:
    config = tmp_path / "decroche.toml"
    config.write_text("[pbx]\nhttp_port = 70000\n")
    args = ["--config", str(config), "up"] if before else ["up", "--config", str(config)]
    # The file was read (its bad port is named) whichever way round: nothing was started.
    assert_one_line_error(decroche("pbx", *args), "pbx.http_port")


# ---- decroche nlu ---------------------------------------------------------------------------


def test_nlu_reports_bad_lines_and_goes_on_with_the_batch() -> None:
    lines = [
        json.dumps({"text": "fuite " * 200_000}).encode(),  # a 1.2 MB line
        b'{"text": "fuite sous l\'\xe9vier \xff"}',  # Latin-1 and a stray byte
        b'{"text": "odeur de gaz \\ud800"}',  # a lone surrogate escaped in JSON
        b"[" * 100_000,  # nested deeper than the parser's stack
        '{"text": "ça sent le gaz dans la cuisine"}'.encode(),
    ]
    result = decroche("nlu", "--trade", "plombier", "--towns", "Lyon",
                      stdin=b"\n".join(lines) + b"\n")  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    errors = result.stderr.strip().splitlines()
    assert [e.split(":")[1].strip() for e in errors] == ["line 1", "line 2", "line 3", "line 4"]
    assert "characters long" in errors[0] and "not UTF-8" in errors[1]
    assert "not UTF-8" in errors[2] and "not JSON" in errors[3]
    [out] = [json.loads(line) for line in result.stdout.splitlines()]
    assert out["category"] == "gaz" and out["urgent"] is True
