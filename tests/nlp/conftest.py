from __future__ import annotations

import pytest

from nlp import Understander, load_understander

TOWNS = ("Lyon", "Villeurbanne", "Vénissieux", "Bron", "Caluire-et-Cuire")


@pytest.fixture(scope="session")
def nlu() -> Understander:
    return load_understander(TOWNS)
