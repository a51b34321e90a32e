from __future__ import annotations

from pathlib import Path

import pytest

from agent.area.index import ensure_index
from agent.area.service import SqliteServiceArea
from agent.area.settings import DEMO_ADDRESSES

DEMO_TOWNS = ("Lyon", "Villeurbanne", "Vénissieux", "Bron", "Caluire-et-Cuire")


@pytest.fixture(scope="session")
def demo_area(tmp_path_factory: pytest.TempPathFactory) -> SqliteServiceArea:
    """The shipped extract of the demo towns' streets, indexed once."""
    cache: Path = tmp_path_factory.mktemp("area")
    return SqliteServiceArea(DEMO_TOWNS, ensure_index(DEMO_ADDRESSES, cache).path)
