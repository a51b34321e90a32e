from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.web import Application, Request

from agent.config import Config, load_config
from agent.dashboard import DashboardSettings
from agent.dashboard.app import build_app
from agent.store.db import connect
from tests.dashboard.sample import Sample, fill

USER, PASSWORD = "artisan", "s3cret-mot-de-passe"
SETTINGS = DashboardSettings(username=USER, password=PASSWORD)


def basic(user: str = USER, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return load_config(None, {"store": {"data_dir": str(tmp_path / "var")}})


@pytest.fixture
async def conn(config: Config):
    db = connect(config.database)
    yield db
    db.close()


@pytest.fixture
async def sample(config: Config, conn) -> Sample:
    assert config.call.recordings_dir is not None
    return await fill(conn, config.call.recordings_dir)


@pytest.fixture
async def client(
    config: Config, conn, sample: Sample
) -> AsyncIterator[TestClient[Request, Application]]:
    async with TestClient(TestServer(build_app(config, conn, SETTINGS))) as test_client:
        yield test_client
