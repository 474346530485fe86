"""Shared fixtures: the development data folder and isolated stores/caches."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import config

REQUIRE_DATA_ENV = "EVENTMAP_REQUIRE_DATA"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """Derived files go to a per-session folder, never the developer's cache."""
    os.environ[config.CACHE_ENV] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder laid out like shared/data (EVENTMAP_DATA_DIR).

    Tests that need real data skip when it is absent, except when
    EVENTMAP_REQUIRE_DATA=1 (CI), where the absence is a failure.
    """
    path = config.data_dir()
    if not (path / "boundaries").is_dir():
        message = f"no development data at {path}: set {config.DATA_DIR_ENV}"
        if os.environ.get(REQUIRE_DATA_ENV) == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture()
def db_url(tmp_path) -> str:
    """A fresh SQLite event store for one test."""
    return f"sqlite:///{tmp_path / 'events.db'}"
