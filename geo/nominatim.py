"""Opt-in online fallback: geopy's Nominatim for place names the gazetteer lacks.

Off unless asked for (``Geocoder.from_config(online=True)``).  Restricted to Afghanistan,
at most one request a second, and every answer (found or not) is cached on disk so a name is
never asked twice.  Network errors are logged and answered with "not found": they never stop
the rest of a document from being geocoded.  Domain, scheme and user agent come from
EVENTMAP_NOMINATIM_DOMAIN, EVENTMAP_NOMINATIM_SCHEME and EVENTMAP_NOMINATIM_USER_AGENT.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path

from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

import config

log = logging.getLogger(__name__)
DEFAULT_DOMAIN = "nominatim.openstreetmap.org"
DEFAULT_USER_AGENT = "eventmap-afghanistan/1.0"


class OnlineFallback:
    """Looks names up with Nominatim: ``lookup(name) -> (latitude, longitude) | None``."""

    def __init__(self, domain: str = DEFAULT_DOMAIN, scheme: str = "https",
                 user_agent: str = DEFAULT_USER_AGENT, timeout: float = 10.0,
                 cache_path: Path | None = None, min_delay: float = 1.0):
        self.geocoder = Nominatim(domain=domain, scheme=scheme, user_agent=user_agent, timeout=timeout)
        self.cache_path = cache_path or config.cache_dir() / "nominatim.json"
        self.cache: dict[str, list[float] | None] = (json.loads(self.cache_path.read_text(encoding="utf-8"))
                                                     if self.cache_path.exists() else {})
        self.min_delay = min_delay
        self._last = 0.0
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, data_dir=None) -> "OnlineFallback":
        """The fallback as the environment configures it."""
        return cls(domain=os.environ.get("EVENTMAP_NOMINATIM_DOMAIN", DEFAULT_DOMAIN),
                   scheme=os.environ.get("EVENTMAP_NOMINATIM_SCHEME", "https"),
                   user_agent=os.environ.get("EVENTMAP_NOMINATIM_USER_AGENT", DEFAULT_USER_AGENT))

    def lookup(self, name: str) -> tuple[float, float] | None:
        """A point for ``name`` in Afghanistan, from the cache or one rate-limited request."""
        if name in self.cache:
            return _point(self.cache[name])
        with self._lock:
            wait = self._last + self.min_delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()
            try:
                location = self.geocoder.geocode(name, exactly_one=True, country_codes="af")
            except GeopyError as exc:
                log.warning("online geocoding of %r failed: %s", name, exc)
                return None   # not cached: a later run may succeed
        found = [location.latitude, location.longitude] if location else None
        self.cache[name] = found
        self.cache_path.write_text(json.dumps(self.cache), encoding="utf-8")
        return _point(found)


def _point(found: list[float] | None) -> tuple[float, float] | None:
    """A cached [latitude, longitude] as a pair; None for a name found nowhere."""
    return (found[0], found[1]) if found else None
