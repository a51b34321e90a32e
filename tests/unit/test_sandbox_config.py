"""A config given to `decroche demo` / `simulate` keeps the project's own sandbox."""

from __future__ import annotations

from pathlib import Path

from agent.config import PROJECT_ROOT
from devkit.sim.report import sandbox_config


def test_a_config_elsewhere_keeps_the_projects_sandbox_and_data(tmp_path: Path) -> None:
    path = tmp_path / "other" / "x.toml"
    path.parent.mkdir()
    path.write_text('[business]\nname = "V"\ntrade = "vitrier"\nmobile = "+33612345678"\n')
    config = sandbox_config(path, data_dir=".var/simulate")
    assert config.pbx.sandbox_dir == PROJECT_ROOT / ".sandbox"
    assert config.data_dir == PROJECT_ROOT / ".var/simulate"
    assert config.business.trade == "vitrier"
    assert config.missed.enabled is False


def test_what_the_config_names_wins_over_the_sandbox_defaults(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text('[pbx]\nsandbox_dir = "box"\n[store]\ndata_dir = "data"\n')
    config = sandbox_config(path)
    assert config.pbx.sandbox_dir == tmp_path / "box"
    assert config.data_dir == tmp_path / "data"
    assert config.business.trade == "plombier"  # [business] left out: the demo business


def test_no_config_is_the_embedded_sandbox() -> None:
    config = sandbox_config(None)
    assert config.pbx.sandbox_dir == PROJECT_ROOT / ".sandbox"
    assert config.data_dir == PROJECT_ROOT / ".var/demo"
