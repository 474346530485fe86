"""Put data files into a data folder: download geoBoundaries, or import a local folder; fetch the
OCHA COD-AB zips and the gazetteer files from their public sources.

geoBoundaries downloads go to ``<data_dir>/boundaries/geoboundaries/`` with a ``SHA256SUMS`` file
(``sha256sum -c`` format) and ``metadata.json`` (the API's records: source, licence,
build date) beside them.  The other files (``DATA_FILES``) are fixed versions, each checked
against its recorded SHA-256; a file that cannot be fetched is reported with what the program
does without it.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pyogrio
import requests
from tqdm import tqdm

import config
from geo.boundaries import COD_DIR, GB_DIR, GB_FILES
from geo.gazetteer import DISTRICT_KEYFILE, POLLING_CENTRES, VILLAGES

API_URL = "https://www.geoboundaries.org/api/current/gbOpen/AFG/"
CHECKSUM_FILE = "SHA256SUMS"
METADATA_FILE = "metadata.json"
LEVELS = {1: "ADM1", 2: "ADM2"}
TIMEOUT = 30.0
CHUNK = 1 << 16


class FetchError(RuntimeError):
    """A download or import failed; the message names the URL or file."""


@dataclass(frozen=True)
class DataFile:
    """A data file at ``path`` under the data folder: its public source, checksum, and what the program
    does without it."""

    path: str
    url: str
    sha256: str
    without: str


# Fixed versions: the election-data repository's copy of OCHA/AGCHO COD-AB 2018 (first published on
# HDX) and its keyfiles, and the villages list.  Licences: shapefiles/README.md.
_ELECTION_REPO = ("https://raw.githubusercontent.com/colincookman/afghanistan_presidential_election_2019/"
                  "56d325d3a87200475dc680ccc4654d8b13a3ac28/")
_VILLAGES_REPO = ("https://raw.githubusercontent.com/abubaker47/afghanistan-provinces-districts-villages/"
                  "3d75bcbb9f093d9a3cf1077ab045b3f7336c0bf3/")
_WITHOUT_COD = ("boundaries come from geoBoundaries: the same 34 provinces, but districts carry "
                "geoBoundaries ids instead of COD pcodes (which exports and gold data use) and no "
                "alternate or Dari names")
_WITHOUT_SETTLEMENTS = ("the gazetteer has fewer place names: district recall on unseen ISAF releases was "
                        "0.888 without the villages and election-commission spellings, 0.935 with them")
DATA_FILES = [
    DataFile(f"{COD_DIR}/afg_admbnda_adm1_agcho_20180522.zip",
             _ELECTION_REPO + "district_data/boundaries/afg_admbnda_adm1_agcho_20180522.zip",
             "04a5c5e524f9b83b458007b73b4c3e13e64831ea5a7027ad0adae46e8502889b", _WITHOUT_COD),
    DataFile(f"{COD_DIR}/afg_admbnda_adm2_agcho_20180522.zip",
             _ELECTION_REPO + "district_data/boundaries/afg_admbnda_adm2_agcho_20180522.zip",
             "783feade31a8e8b450d7c439446a935b34eb4ee8fc24fd0e182dfc5943b3abd3", _WITHOUT_COD),
    DataFile(DISTRICT_KEYFILE, _ELECTION_REPO + "district_data/district_code_keyfile_2019.csv",
             "c43f893bcda3b06fbe958ec4b56a2560695d502e06c9c77f7986a24d472c091c",
             "district names are matched only in their COD spellings and alternates; "
             + _WITHOUT_SETTLEMENTS),
    DataFile(POLLING_CENTRES, _ELECTION_REPO + "past_elections/presidential_2014/keyfiles/pc_key_2014.csv",
             "c2414de7a1c587fd6f7ac27be8af953fe07a71e44af8ac9df54550fe773a4511",
             "polling-centre places are not in the gazetteer; " + _WITHOUT_SETTLEMENTS),
    DataFile(VILLAGES, _VILLAGES_REPO + "JSON/villages.json",
             "8037521c1aa166ddf3014e1a6c13f1bcdae94cc0561b58324dc89b04ebba39bf",
             "villages are not in the gazetteer; " + _WITHOUT_SETTLEMENTS),
    DataFile(str(Path(VILLAGES).parent / "LICENSE"), _VILLAGES_REPO + "LICENSE",
             "111dc70552499c144c40c373452ac6f22ac9eb026e107f37886a09319e331fa9",
             "nothing changes (the villages list's licence text)"),
]


@dataclass
class DataFileStatus:
    """What ``fetch_data_files`` found or did for one file: present, fetched, or missing and why."""

    file: DataFile
    state: str          # "present" | "fetched" | "differs" | "missing"
    detail: str = ""

    def __str__(self) -> str:
        if self.state == "missing":
            return f"missing  {self.file.path} ({self.detail}); without it, {self.file.without}"
        if self.state == "differs":
            return f"kept     {self.file.path}: its checksum differs from the recorded one (another version?)"
        return f"{self.state:<8} {self.file.path}" + (f" from {self.detail}" if self.detail else "")


def fetch_data_files(data_dir=None, files: list[DataFile] | None = None, mirror: str | None = None,
                     timeout: float = TIMEOUT, progress: bool = True) -> list[DataFileStatus]:
    """Download each of ``files`` (default ``DATA_FILES``) missing from the data folder, checked against
    its recorded SHA-256; files already there are checked, never replaced.  ``mirror`` replaces the
    public sources with ``<mirror>/<path in the data folder>``.  Failures are reported, not raised."""
    root = config.data_dir(data_dir)
    statuses, made = [], []
    for file in DATA_FILES if files is None else files:
        target = root / file.path
        if target.is_file():
            statuses.append(DataFileStatus(file, "present" if _sha256(target) == file.sha256 else "differs"))
            continue
        url = f"{mirror.rstrip('/')}/{file.path}" if mirror else file.url
        part = target.with_name(target.name + ".part")
        try:
            made += [folder for folder in [target.parent, *target.parent.parents] if not folder.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
            _download(url, part, timeout, progress)
            if _sha256(part) != file.sha256:
                raise FetchError(f"{url}: checksum does not match the recorded one")
            part.rename(target)
            statuses.append(DataFileStatus(file, "fetched", url))
        except (FetchError, OSError) as exc:
            statuses.append(DataFileStatus(file, "missing", str(exc)))
        finally:
            part.unlink(missing_ok=True)
    for folder in sorted(set(made), key=lambda path: len(path.parts), reverse=True):
        if not any(folder.iterdir()):   # an empty folder would read as an incomplete COD-AB copy
            folder.rmdir()
    return statuses


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
