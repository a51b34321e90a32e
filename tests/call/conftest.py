"""The one understander the call tests share: the small text classifier committed in nlp/model
(2.5 MB of spaCy weights, loaded once, well under a second); no speech model."""

from __future__ import annotations

import pytest

from agent.dialogue import Understander
from tests.call.fakes import TOWNS


@pytest.fixture(scope="session")
def understander() -> Understander:
    from nlp import load_understander

    return load_understander(TOWNS)
