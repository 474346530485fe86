"""Reading articles: text files, HTML pages, JSONL/CSV batches, folders and URLs -> ``Article``.

Every input is decoded (a BOM's encoding, UTF-8, else the detected encoding), checked (not empty,
not binary, not over the size limit), cleaned of site boilerplate (``events.boilerplate``) and given
its metadata: outlet, title, publication date.  Each file, batch line and URL is read on its own:
a problem is reported in ``LoadResult.errors`` (origin, reason -- both escaped so that a file name
cannot forge a line of the report) and the rest goes on.

Work per input is bounded: ``MAX_BYTES`` per article (the command line and the upload form share
it), batches streamed record by record and handed on in chunks of ``CHUNK_CHARS``, parser limits
(JSON depth and integer size, CSV field size) that skip a record instead of failing the batch, and
one deadline per URL for connecting, headers and body together.
"""
from __future__ import annotations

import codecs
import csv
import http.client
import io
import json
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import trafilatura

from events import boilerplate
from events.dates import find_publication_date
from events.model import Article, article_id
from events.sentences import continues_on

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024          # one article: the limit of the command line and the upload form
BATCH_FACTOR = 100                   # a JSONL/CSV batch (read record by record) may hold this many articles
JSON_FACTOR = 4                      # a .json file is parsed whole: a smaller limit
RECORD_FACTOR = 2                    # one batch record (JSON escapes, metadata) may be this many articles
CHUNK_CHARS = 8 * 1024 * 1024        # article text handed on at a time (extracted and stored, then dropped)
URL_DEADLINE = 30.0                  # seconds for one URL: connecting, headers, body and redirects
MAX_REDIRECTS = 5
_HEADERS = {"User-Agent": "eventmap/1.0", "Accept-Encoding": "identity"}   # identity: the body as sent
SNIFF_BYTES = 1 << 16                # the head of a streamed batch that decides its encoding
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
STREAMED_SUFFIXES = JSONL_SUFFIXES | {".csv"}
BATCH_SUFFIXES = STREAMED_SUFFIXES | {".json"}
# Byte-order marks, longest first (a UTF-32-LE mark starts like a UTF-16-LE one).
BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
MAX_CONTROL_SHARE = 0.01             # text with more control characters than this is binary
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LETTER = re.compile(r"[^\W\d_]")
_OUTLET = re.compile(r"\b(?:TV|News|Times|Press|Agency|Post|Tribune|Herald|Gazette|Daily|Radio|Network|"
                     r"Reuters|BBC|Jazeera|AFP|AP|Guardian|Journal|Monitor|Observer|Pajhwok|TOLOnews)\b")


# A dateline: a place in capitals opening the first line ("KABUL, Afghanistan (Jan. 25, 2013) -").
_DATELINE_START = re.compile(r"[A-Z][A-Z .'’-]{2,}(?:,|\s[-–—])")
_DATELINE_CHARS = 60


class LoadError(ValueError):
    """An input that cannot be read as articles; the message says why."""


@dataclass
class LoadResult:
    """Articles read, and (origin, reason) for every input or line that was skipped."""

    articles: list[Article] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def extend(self, other: "LoadResult") -> None:
        self.articles.extend(other.articles)
        self.errors.extend(other.errors)

    def skip(self, origin: str, reason: str) -> None:
        """Report an input or record as skipped (both strings escaped for display)."""
        self.errors.append((printable(origin), printable(reason)))

    @property
    def chars(self) -> int:
        """Characters of article text held."""
        return sum(len(article.text) for article in self.articles)


def printable(text: object) -> str:
    """``str(text)`` with control and format characters (newlines, bidi overrides) escaped: one safe line."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def size_limit(name: str, max_bytes: int = MAX_BYTES) -> int:
    """The size limit of an input named ``name``: one article, or a batch of them."""
    suffix = Path(name).suffix.lower()
    if suffix in STREAMED_SUFFIXES:
        return max_bytes * BATCH_FACTOR
    return max_bytes * JSON_FACTOR if suffix == ".json" else max_bytes


def check_size(name: str, size: int, max_bytes: int = MAX_BYTES) -> None:
    """Raise LoadError when an input of ``size`` bytes is over its limit."""
    limit = size_limit(name, max_bytes)
    if size > limit:
        raise LoadError(f"too large: {size} bytes (limit {limit})")


def load_path(path: str | Path, max_bytes: int = MAX_BYTES) -> LoadResult:
    """A file, or every file in a folder (recursively, in name order), as one result."""
    result = LoadResult()
    for chunk in iter_path(path, max_bytes):
        result.extend(chunk)
    return result


def iter_path(path: str | Path, max_bytes: int = MAX_BYTES) -> Iterator[LoadResult]:
    """A file or folder read in chunks of about ``CHUNK_CHARS`` of article text.

    Symbolic links are followed only to files inside the given folder; batches are streamed."""
    path = Path(path)
    chunk = LoadResult()
    if not path.exists():
        chunk.skip(str(path), "no such file or folder")
    for file, problem in _files(path):
        if problem:
            chunk.skip(str(file), problem)
            continue
        for part in _guarded(str(file), _read_file, file, max_bytes):
            chunk.extend(part)
            if chunk.chars >= CHUNK_CHARS:
                _drop_batch_repeats(chunk.articles)
                yield chunk
                chunk = LoadResult()
    _drop_batch_repeats(chunk.articles)
    yield chunk


def _files(path: Path) -> Iterator[tuple[Path, str]]:
    """(file, problem or "") for a file, or for each file under a folder in name order."""
    if not path.is_dir():
        if path.exists():
            yield path, "" if path.is_file() else "not a regular file"
        return
    root = path.resolve()
    for folder, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(n for n in names if not n.startswith(".")):
            file = Path(folder, name)
            if file.is_symlink() and not file.resolve().is_relative_to(root):
                yield file, "symbolic link to a file outside the folder: not followed"
            elif not file.is_file():
                yield file, "not a regular file"
            else:
                yield file, ""
        for name in dirs:
            if Path(folder, name).is_symlink():
                yield Path(folder, name), "symbolic link to a folder: not followed"
        dirs[:] = [d for d in dirs if not Path(folder, d).is_symlink()]


def _guarded(origin: str, read: Callable[..., Iterator[LoadResult]], *args) -> Iterator[LoadResult]:
    """``read(*args)``'s results; a failure of this one input becomes a skip with its reason."""
    try:
        yield from read(*args)
    except (LoadError, OSError) as exc:
        yield _skipped(origin, str(exc))
    except Exception as exc:   # a parser's own failure on strange input: this input only, logged
        log.warning("reading %s failed", printable(origin), exc_info=True)
        yield _skipped(origin, f"unreadable ({exc.__class__.__name__}: {exc})")


def _skipped(origin: str, reason: str) -> LoadResult:
    result = LoadResult()
    result.skip(origin, reason)
    return result


def _read_file(file: Path, max_bytes: int) -> Iterator[LoadResult]:
    check_size(file.name, file.stat().st_size, max_bytes)
    suffix = file.suffix.lower()
    if suffix not in STREAMED_SUFFIXES:
        yield load_bytes(str(file), file.read_bytes())
        return
    with open(file, "rb") as handle:
        read = _jsonl_records if suffix in JSONL_SUFFIXES else _csv_records
        records = read(handle, max_bytes)
        yield from _batch_parts(records, str(file))


def load_url(url: str, deadline: float | None = None, max_bytes: int = MAX_BYTES) -> LoadResult:
    """Fetch one page (within ``deadline`` seconds, default ``URL_DEADLINE``) and read it as HTML
    (or text, by its content type)."""
    deadline = URL_DEADLINE if deadline is None else deadline
    try:
        content_type, data = fetch_url(url, deadline, max_bytes)
        result = load_bytes("page.html" if "html" in (content_type or "html") else "page.txt", data)
    except LoadError as exc:
        return _skipped(url, str(exc))
    except Exception as exc:   # a parser's own failure on a strange page: this URL only, logged
        log.warning("reading %s failed", printable(url), exc_info=True)
        return _skipped(url, f"unreadable ({exc.__class__.__name__}: {exc})")
    for article in result.articles:
        article.url = article.url or url
        article.origin = printable(url)
    return result


def fetch_url(url: str, deadline: float = URL_DEADLINE, max_bytes: int = MAX_BYTES) -> tuple[str, bytes]:
    """GET ``url``: (content type, body of at most ``max_bytes``), following redirects.

    The whole exchange must end within ``deadline`` seconds: a timer shuts the connection when it
    passes, however slowly a server sends its headers or body.  Raises LoadError saying why."""
    end = time.monotonic() + deadline
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise LoadError(f"fetch failed: not an http(s) URL: {url}")
        remaining = end - time.monotonic()
        if remaining <= 0:
            break
        https = parts.scheme == "https"
        connection = (http.client.HTTPSConnection if https else http.client.HTTPConnection)(
            parts.hostname, parts.port, timeout=remaining)
        expired = threading.Event()
        sockets: list[socket.socket] = []
        timer = threading.Timer(remaining, _cut, (sockets, expired))
        timer.daemon = True
        timer.start()
        try:
            connection.connect()   # its own timeout bounds it; then the timer can reach the socket
            sockets.append(connection.sock)
            if expired.is_set():
                break
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", target, headers=_HEADERS)
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise LoadError(f"fetch failed: HTTP {response.status} {response.reason}")
            data = response.read(max_bytes + 1)
            incomplete = response.length is not None and response.length > 0 and len(data) <= max_bytes
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set():
                break
            raise LoadError(f"fetch failed: {exc.__class__.__name__}: {exc}") from exc
        finally:
            timer.cancel()
            connection.close()
        if expired.is_set():
            break
        if len(data) > max_bytes:
            raise LoadError(f"too large: over {max_bytes} bytes")
        if incomplete:
            raise LoadError("fetch failed: the connection closed before the end of the body")
        return response.getheader("Content-Type", ""), data
    else:
        raise LoadError(f"fetch failed: more than {MAX_REDIRECTS} redirects")
    raise LoadError(f"fetch failed: timed out after {deadline:g} s (connecting, headers and body together)")


def _cut(sockets: list[socket.socket], expired: threading.Event) -> None:
    """The deadline passed: shut the connection's socket so that a blocked read returns at once
    (the response may hold the socket after the connection object let it go)."""
    expired.set()
    for sock in sockets:
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)   # the plain socket's, also under TLS
        except OSError:
            pass


def load_bytes(name: str, data: bytes) -> LoadResult:
    """Read one file's content; ``name``'s suffix chooses the format. Raises LoadError if unusable."""
    suffix = Path(name).suffix.lower()
    if suffix in STREAMED_SUFFIXES:
        handle = io.BytesIO(data)
        return _batch(_jsonl_records(handle) if suffix in JSONL_SUFFIXES else _csv_records(handle), name)
    text = decode(data)
    if suffix == ".json":
        records = _parse_json(text)
        listed = records if isinstance(records, list) else [records]
        return _batch(((i, r, None) for i, r in enumerate(listed, 1)), name)
    check_text(text)
    if suffix in HTML_SUFFIXES:
        return LoadResult([_article_from_html(text, name)])
    return LoadResult([article_from_text(text, origin=name)])


def detect_encoding(data: bytes, complete: bool = True) -> str:
    """The codec of ``data``: a byte-order mark's, UTF-8, Windows-1252 for mostly-ASCII text, else the
    detected one.  ``complete=False`` for the head of a longer stream.  Raises LoadError when none works."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec
    if b"\x00" in data[:8192]:
        raise LoadError("binary file (NUL bytes)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    if sum(b < 128 for b in data) / len(data) > 0.9:   # mostly English text: the usual Windows code page
        try:
            data.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise LoadError("undecodable bytes: not UTF-8 and no reliable encoding detected")
    return best.encoding


def decode(data: bytes) -> str:
    """Bytes to text (``detect_encoding``); raises LoadError for empty, binary or undecodable data
    (``check_text`` then tells whether the text reads as prose)."""
    if not data.strip():
        raise LoadError("empty file")
    try:
        text = data.decode(detect_encoding(data))
    except UnicodeDecodeError as exc:
        raise LoadError(f"undecodable bytes ({exc.reason} at byte {exc.start})") from exc
    if not text.strip():
        raise LoadError("empty file")
    return text


def check_text(text: str) -> None:
    """Raise LoadError for decoded text that reads as binary (no letters, control characters)."""
    if not _LETTER.search(text):
        raise LoadError("binary file (no letters)")
    if len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text):
        raise LoadError("binary file (control characters)")


def article_from_text(text: str, origin: str = "") -> Article:
    """A plain-text web page: boilerplate removed, outlet, title and date taken from its edges."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    top, body, bottom = boilerplate.split_edges(lines)
    published = find_publication_date("\n".join(top)) if top else None
    outlet, title, kept_top = "", "", []
    counts = {line: top.count(line) for line in top if line}
    opener = _banner_pattern([name for name in counts if len(name.split()) <= 5])
    banners = {line for line in counts if opener.match(line)}
    for line in top:
        if (not line or boilerplate.is_promo(line) or line in banners
                or line.startswith("[") and line.endswith("]")):
            continue   # empty, promotion, banner, or an [editor's note] above the article
        if published and find_publication_date(line) and len(line.split()) <= 8:
            continue   # the date line
        if len(line.split()) <= 5 and not re.search(r"\d", line) and (
                counts[line] > 1 or _OUTLET.search(line) or any(b.startswith(line) for b in banners)):
            outlet = outlet or line
            continue
        if not title and _is_headline(line):
            title = line
            continue
        kept_top.append(line)
    kept_bottom = [line for line in bottom if line and not boilerplate.is_promo(line)]
    clean = "\n\n".join(_paragraphs(kept_top + body + kept_bottom))
    if not clean.strip():
        raise LoadError("no article text left after removing boilerplate")
    return Article(id=article_id(clean), text=clean, title=title, source=outlet,
                   published=published or _dateline_date(top, body), origin=origin)


def article_from_record(record: dict, origin: str = "") -> Article:
    """An article from a batch record with ``text`` and optional title/url/published/source."""
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise LoadError("no text")
    if len(text) > MAX_BYTES:
        raise LoadError(f"text too large: {len(text)} characters (limit {MAX_BYTES})")
    article = article_from_text(text, origin)
    published = _parse_published(record.get("published") or record.get("date"))
    article.title = str(record.get("title") or article.title or "")
    article.url = str(record.get("url") or "")
    article.source = str(record.get("source") or article.source or "")
    article.published = published or article.published
    return article


def _dateline_date(top: list[str], body: list[str]) -> datetime | None:
    """The date of a dateline opening the body ("KABUL, Afghanistan (June 14) - ..."), its year from
    the lines above when it has none (a release number "2012-06-S-026"); a date anywhere else in the
    text is an event's, not the publication's."""
    first = next((line for line in body if line), "")
    if not _DATELINE_START.match(first):
        return None
    return find_publication_date("\n".join(top + [first[:_DATELINE_CHARS]]))


def _paragraphs(lines: list[str]) -> list[str]:
    """One paragraph per line, except that the lines of a hard-wrapped paragraph are joined again."""
    paragraphs: list[str] = []
    previous = ""
    for line in lines:
        if line and previous and continues_on(previous, line):
            paragraphs[-1] += " " + line
        elif line:
            paragraphs.append(line)
        previous = line
    return paragraphs


def _parse_published(value) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return parsed.replace(tzinfo=None)
    except ValueError:
        return find_publication_date(str(value))


def _article_from_html(html: str, origin: str) -> Article:
    raw = trafilatura.extract(html, output_format="json", with_metadata=True, include_comments=False)
    if not raw:
        raise LoadError("no article text found in the HTML page")
    data = json.loads(raw)
    text = data.get("text") or ""
    if not text.strip():
        raise LoadError("no article text found in the HTML page")
    article = article_from_record({"text": text, "title": data.get("title"), "url": data.get("source") or "",
                                   "published": data.get("date"), "source": data.get("sitename") or ""},
                                  origin)
    return article


def _parse_json(text: str):
    """A JSON value; its parser's limits (nesting depth, integer digits) raise LoadError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise LoadError("unreadable JSON (nested too deeply)") from None
    except json.JSONDecodeError as exc:
        raise LoadError(f"malformed JSON ({exc.msg})") from None
    except ValueError as exc:   # e.g. an integer over sys.get_int_max_str_digits()
        raise LoadError(f"unreadable JSON ({exc})") from None


def _jsonl_records(handle, max_bytes: int = MAX_BYTES):
    """(line number, record, problem) for each line of a JSONL stream, read one line at a time."""
    limit = max_bytes * RECORD_FACTOR
    for number, line in enumerate(_lines(handle, limit), 1):
        if line is None:
            yield number, None, f"line too large (limit {limit} bytes)"
        elif line.strip():
            try:
                yield number, _parse_json(decode(line)), None
            except LoadError as exc:
                yield number, None, str(exc)


def _lines(handle, limit: int) -> Iterator[bytes | None]:
    """The lines of a binary stream; None (and the rest of the line skipped) for one over ``limit``."""
    while line := handle.readline(limit + 1):
        if len(line) > limit:
            while line and not line.endswith(b"\n"):
                line = handle.readline(limit + 1)
            yield None
        else:
            yield line


def _csv_records(handle, max_bytes: int = MAX_BYTES):
    """(row number, record, problem) for each row of a CSV stream, read one row at a time.

    A cell over the field limit or a decoding error ends the file there (the rows before it are kept)."""
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes * RECORD_FACTOR))
    text = io.TextIOWrapper(handle, encoding=_stream_encoding(handle), newline="")
    number = 1
    try:
        reader = csv.DictReader(text)
        columns = reader.fieldnames or []
        fields = {name.lower(): name for name in columns}
        if "text" not in fields:
            raise LoadError(f"CSV has no 'text' column (columns: {', '.join(columns) or 'none'})")
        for number, row in enumerate(reader, 2):
            yield number, {key.lower(): value for key, value in row.items() if isinstance(key, str)}, None
    except (csv.Error, UnicodeDecodeError) as exc:
        yield number + 1, None, f"unreadable CSV from here on ({exc})"


def _stream_encoding(handle) -> str:
    """The encoding of a binary stream, from its head; the stream is left at its start."""
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if not head.strip():
        raise LoadError("empty file")
    return detect_encoding(head, complete=len(head) < SNIFF_BYTES)


def _batch(records, name: str) -> LoadResult:
    """A batch's records (line number, record, problem) as one result."""
    result = LoadResult()
    for part in _batch_parts(records, name):
        result.extend(part)
    return result


def _batch_parts(records, name: str) -> Iterator[LoadResult]:
    """A batch's records as results of about ``CHUNK_CHARS`` of text each."""
    result, chars = LoadResult(), 0
    for number, record, problem in records:
        if chars >= CHUNK_CHARS:
            yield result
            result, chars = LoadResult(), 0
        origin = f"{name}:{number}"
        if problem is None and not isinstance(record, dict):
            problem = "not a JSON object"
        if problem is None:
            try:
                result.articles.append(article_from_record(record, printable(origin)))
                chars += len(result.articles[-1].text)
                continue
            except LoadError as exc:
                problem = str(exc)
            except Exception as exc:   # one record's own failure: this record only, logged
                log.warning("reading %s failed", printable(origin), exc_info=True)
                problem = f"unreadable ({exc.__class__.__name__}: {exc})"
        result.skip(origin, problem)
    yield result


def _drop_batch_repeats(articles: list[Article]) -> None:
    """Paragraphs repeated across most of a batch are site lines: dropped, as are banners opening
    with one ("EventMap Sample Desk - support us"); a short one names the outlet of articles that
    have none, and a site line taken for the title gives way to the headline after it.

    An article keeps the id of its own text, so that it is the same article however it was grouped."""
    repeated = boilerplate.batch_repeats([f"{a.source}\n{a.title}\n{a.text}" for a in articles])
    if not repeated:
        return
    banner = _banner_pattern([line for line in repeated if len(line.split()) <= 5])
    for article in articles:
        paragraphs = article.text.split("\n\n")
        kept = [p for p in paragraphs if p.strip() not in repeated and not banner.match(p.strip())]
        site = [p.strip() for p in paragraphs if p.strip() in repeated]
        if article.title in repeated:
            site.append(article.title)
        article.source = article.source or next((p for p in site if len(p.split()) <= 5), "")
        if article.title in repeated and kept and _is_headline(kept[0].strip()):
            article.title, kept = kept[0].strip(), kept[1:]
        elif article.title in repeated:
            article.title = ""
        if kept and len(kept) != len(paragraphs):
            article.text = "\n\n".join(kept)


def _banner_pattern(names: list[str]) -> re.Pattern:
    """Matches a banner opening with one of ``names``: "EventMap Sample Desk - support the sample desk"."""
    return re.compile("|".join(re.escape(name) + r"\s+[-|–—:]\s" for name in names) or r"(?!)")


def _is_headline(line: str) -> bool:
    """A line that reads as a headline: a few words, not a sentence."""
    return 3 <= len(line.split()) <= 25 and not line.endswith(".")
