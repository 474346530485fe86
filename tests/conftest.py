"""Shared fixtures: the development data folder and isolated stores/caches."""
from __future__ import annotations

import glob
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import config

REQUIRE_DATA_ENV = "EVENTMAP_REQUIRE_DATA"
REQUIRE_POSTGRES_ENV = "EVENTMAP_REQUIRE_POSTGRES"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """Derived files go to a per-session folder, never the developer's cache."""
    os.environ[config.CACHE_ENV] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _root_logging_as_before():
    """A test that runs the command line leaves no handler on the root logger: ``events.cli.main`` binds
    one to the sys.stderr of its call, which pytest closes after the test, and a later record (from a
    Dask thread) would write to that closed stream and print a logging error into another test's output."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


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


def _postgres_program(name: str) -> str | None:
    return shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None)


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server on 127.0.0.1 (initdb + pg_ctl, trust auth); its base URL.

    Skips when PostgreSQL is not installed, except when EVENTMAP_REQUIRE_POSTGRES=1 (CI).
    """
    initdb, pg_ctl = _postgres_program("initdb"), _postgres_program("pg_ctl")
    if not (initdb and pg_ctl):
        message = "PostgreSQL server programs (initdb, pg_ctl) not found: apt-get install postgresql"
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(message)
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="eventmap-pg-"))
    as_postgres = []
    if os.geteuid() == 0:   # the server refuses to run as root
        shutil.chown(root, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = root / "data"
    subprocess.run(as_postgres + [initdb, "-D", str(data), "-U", "eventmap", "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True)
    subprocess.run(as_postgres + [pg_ctl, "-D", str(data), "-l", str(root / "server.log"), "-w", "-o",
                                  f"-p {port} -k {root} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://eventmap@127.0.0.1:{port}"
    finally:
        subprocess.run(as_postgres + [pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture()
def postgres_url(postgres_server) -> str:
    """A fresh database on the test PostgreSQL server for one test."""
    name = f"t{uuid.uuid4().hex[:12]}"
    engine = create_engine(f"{postgres_server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{postgres_server}/{name}"


@pytest.fixture(scope="session")
def postgis_server(postgres_server) -> str:
    """The test PostgreSQL server, which must offer the PostGIS extension; skips when it does not,
    except when EVENTMAP_REQUIRE_POSTGRES=1 (CI)."""
    engine = create_engine(f"{postgres_server}/postgres")
    with engine.connect() as conn:
        offered = conn.scalar(text("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'"))
    engine.dispose()
    if not offered:
        message = "PostGIS not installed: apt-get install postgresql-<version>-postgis-3 (make postgres)"
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(message)
        pytest.skip(message)
    return postgres_server


@pytest.fixture()
def postgis_url(postgis_server, postgres_url) -> str:
    """A fresh database for one test on a server that offers PostGIS."""
    return postgres_url
