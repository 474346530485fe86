"""Run-time configuration: where the data and the event store live.

Every path comes from here so that nothing else hard-codes a location.
Precedence: explicit argument (a CLI flag) > environment variable > default.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent
DATA_DIR_ENV = "EVENTMAP_DATA_DIR"
DB_ENV = "EVENTMAP_DB"
CACHE_ENV = "EVENTMAP_CACHE_DIR"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Folder laid out like ``shared/data`` (boundaries/, gazetteer/, ...)."""
    value = override or os.environ.get(DATA_DIR_ENV) or REPO_ROOT / "shapefiles"
    return Path(value).expanduser().resolve()


def db_url(override: str | None = None) -> str:
    """SQLAlchemy URL of the event store; a SQLite file under ``data/`` by default."""
    if override:
        return override
    if os.environ.get(DB_ENV):
        return os.environ[DB_ENV]
    path = REPO_ROOT / "data" / "events.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def cache_dir(override: str | os.PathLike | None = None) -> Path:
    """Folder for derived files (GeoParquet layers, gazetteer, geocoder cache)."""
    value = override or os.environ.get(CACHE_ENV) or REPO_ROOT / ".cache"
    path = Path(value).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
