"""Put boundary files into a data folder: download geoBoundaries, or import a local folder.

Downloads go to ``<data_dir>/boundaries/geoboundaries/`` with a ``SHA256SUMS`` file
(``sha256sum -c`` format) and ``metadata.json`` (the API's records: source, licence,
build date) beside them.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import pyogrio
import requests
from tqdm import tqdm

import config
from geo.boundaries import COD_DIR, GB_DIR, GB_FILES

API_URL = "https://www.geoboundaries.org/api/current/gbOpen/AFG/"
CHECKSUM_FILE = "SHA256SUMS"
METADATA_FILE = "metadata.json"
LEVELS = {1: "ADM1", 2: "ADM2"}
TIMEOUT = 30.0
CHUNK = 1 << 16


class FetchError(RuntimeError):
    """A download or import failed; the message names the URL or file."""


def fetch_geoboundaries(data_dir=None, api: str = API_URL, timeout: float = TIMEOUT,
                        progress: bool = True) -> list[Path]:
    """Download geoBoundaries gbOpen AFG ADM1/ADM2 GeoJSON through the API; return the files.

    ``api`` is the country's API folder (``.../gbOpen/AFG/``); ``timeout`` (seconds)
    bounds connecting and each read. Files are replaced only once all downloads succeed.
    """
    folder = config.data_dir(data_dir) / GB_DIR
    folder.mkdir(parents=True, exist_ok=True)
    records, staged = {}, []
    try:
        for level, name in LEVELS.items():
            record = _api_record(api.rstrip("/") + f"/{name}/", timeout)
            records[name] = record
            staged.append(folder / (GB_FILES[level] + ".part"))
            _download(record["gjDownloadURL"], staged[-1], timeout, progress)
        for part in staged:
            _check_geojson(part)
        files = [part.rename(part.with_suffix("")) for part in staged]
    finally:
        for part in staged:
            part.unlink(missing_ok=True)
    (folder / METADATA_FILE).write_text(json.dumps(records, indent=2, sort_keys=True))
    write_checksums(folder, files)
    return files


def import_folder(source: str | Path, data_dir=None) -> list[Path]:
    """Copy boundary files found under ``source`` (COD-AB zips and/or geoBoundaries GeoJSON).

    COD zips (``*adm1*.zip``, ``*adm2*.zip``) go to ``boundaries/cod-ab-afg-2018/``,
    geoBoundaries files to ``boundaries/geoboundaries/`` (a ``SHA256SUMS`` found beside
    them is verified first, and one is written for the copies).
    """
    source = Path(source).expanduser()
    if not source.is_dir():
        raise FetchError(f"{source}: not a folder")
    root = config.data_dir(data_dir)
    copied = []
    cod = [sorted(source.rglob(f"*adm{level}*.zip")) for level in LEVELS]
    if all(cod):
        target = root / COD_DIR
        target.mkdir(parents=True, exist_ok=True)
        copied += [Path(shutil.copyfile(found[-1], target / found[-1].name)) for found in cod]
    gb = [sorted(source.rglob(GB_FILES[level])) for level in LEVELS]
    if all(gb):
        for found in gb:
            sums = found[-1].parent / CHECKSUM_FILE
            if sums.is_file():
                verify_checksums(sums.parent, [found[-1].name])
        target = root / GB_DIR
        target.mkdir(parents=True, exist_ok=True)
        files = [Path(shutil.copyfile(found[-1], target / found[-1].name)) for found in gb]
        write_checksums(target, files)
        copied += files
    if not copied:
        raise FetchError(f"{source}: no boundary files found (want *adm1*.zip and *adm2*.zip "
                         f"or {GB_FILES[1]} and {GB_FILES[2]})")
    return copied


def write_checksums(folder: Path, files: list[Path]) -> Path:
    """Write ``SHA256SUMS`` for ``files`` in ``folder`` (``sha256sum -c`` format)."""
    lines = [f"{_sha256(path)}  {path.name}\n" for path in sorted(files)]
    target = folder / CHECKSUM_FILE
    target.write_text("".join(lines))
    return target


def verify_checksums(folder: Path, names: list[str] | None = None) -> None:
    """Check files against ``folder/SHA256SUMS``; raise FetchError naming a mismatch."""
    sums = folder / CHECKSUM_FILE
    expected = {}
    for line in sums.read_text().splitlines():
        digest, _, name = line.partition("  ")
        expected[name.strip()] = digest.strip()
    for name in names if names is not None else expected:
        if name not in expected:
            raise FetchError(f"{sums}: no checksum for {name}")
        if _sha256(folder / name) != expected[name]:
            raise FetchError(f"{folder / name}: checksum does not match {sums}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _get(url: str, timeout: float, stream: bool = False) -> requests.Response:
    """GET with a timeout; network and HTTP failures become FetchError naming the URL."""
    try:
        response = requests.get(url, timeout=timeout, stream=stream)
    except requests.Timeout as exc:
        raise FetchError(f"{url}: timed out after {timeout:g} s") from exc
    except requests.RequestException as exc:
        raise FetchError(f"{url}: {exc.__class__.__name__}: {exc}") from exc
    if response.status_code != 200:
        response.close()
        raise FetchError(f"{url}: HTTP {response.status_code} {response.reason}")
    return response


def _api_record(url: str, timeout: float) -> dict:
    """The API's JSON record for one boundary level, checked for a download URL."""
    response = _get(url, timeout)
    try:
        record = response.json()
    except ValueError as exc:
        raise FetchError(f"{url}: response is not JSON ({response.text[:60]!r})") from exc
    if isinstance(record, list) and len(record) == 1:
        record = record[0]
    if not isinstance(record, dict) or not str(record.get("gjDownloadURL", "")).startswith("http"):
        raise FetchError(f"{url}: JSON has no gjDownloadURL")
    return record


def _download(url: str, target: Path, timeout: float, progress: bool) -> None:
    """Stream ``url`` to ``target`` with a progress bar on stderr."""
    response = _get(url, timeout, stream=True)
    total = int(response.headers.get("Content-Length") or 0) or None
    name = target.name.removesuffix(".part")
    with response, open(target, "wb") as handle, tqdm(
        total=total, unit="B", unit_scale=True, desc=name, disable=not progress, file=sys.stderr,
    ) as bar:
        try:
            for block in response.iter_content(CHUNK):
                handle.write(block)
                bar.update(len(block))
        except requests.RequestException as exc:
            raise FetchError(f"{url}: download interrupted ({exc.__class__.__name__})") from exc


def _check_geojson(path: Path) -> None:
    """Make sure a downloaded (``.part``) file is readable GeoJSON with features."""
    name = path.name.removesuffix(".part")
    try:
        info = pyogrio.read_info(path)
    except Exception as exc:  # pyogrio raises several DataSourceError subclasses
        raise FetchError(f"{name}: downloaded file is not valid GeoJSON") from exc
    if not info.get("features"):
        raise FetchError(f"{name}: downloaded file has no features")
