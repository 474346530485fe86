"""Reading articles: text files, HTML pages, JSONL/CSV batches, folders and URLs -> ``Article``.

Every input is decoded (UTF-8, else the detected encoding), checked (not empty, not binary,
not over the size limit), cleaned of site boilerplate (``events.boilerplate``) and given its
metadata: outlet, title, publication date.  Problems are reported per file (or per line of a
batch) in ``LoadResult.errors`` and the rest goes on.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import charset_normalizer
import requests
import trafilatura

from events import boilerplate
from events.dates import find_publication_date
from events.model import Article, article_id

MAX_BYTES = 5 * 1024 * 1024          # one article
BATCH_FACTOR = 100                   # a JSONL/CSV batch may hold this many articles' worth
URL_TIMEOUT = 15.0
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
BATCH_SUFFIXES = JSONL_SUFFIXES | {".csv", ".json"}
_OUTLET = re.compile(r"\b(?:TV|News|Times|Press|Agency|Post|Tribune|Herald|Gazette|Daily|Radio|Network|Reuters|"
                     r"BBC|Jazeera|AFP|AP|Guardian|Journal|Monitor|Observer|Pajhwok|TOLOnews)\b")


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


def load_path(path: str | Path, max_bytes: int = MAX_BYTES) -> LoadResult:
    """A file, or every file in a folder (recursively, in name order)."""
    path = Path(path)
    if not path.exists():
        return LoadResult(errors=[(str(path), "no such file or folder")])
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) if path.is_dir() \
        else [path]
    result = LoadResult()
    for file in files:
        try:
            size = file.stat().st_size
            limit = max_bytes * BATCH_FACTOR if file.suffix.lower() in BATCH_SUFFIXES else max_bytes
            if size > limit:
                raise LoadError(f"too large: {size} bytes (limit {limit})")
            result.extend(load_bytes(str(file), file.read_bytes()))
        except (LoadError, OSError) as exc:
            result.errors.append((str(file), str(exc)))
    _drop_batch_repeats(result.articles)
    return result


def load_url(url: str, timeout: float = URL_TIMEOUT, max_bytes: int = MAX_BYTES) -> LoadResult:
    """Fetch one page and read it as HTML (or text, by its content type)."""
    try:
        response = requests.get(url, timeout=timeout, headers={"User-Agent": "eventmap/1.0"}, stream=True)
        response.raise_for_status()
        data = response.raw.read(max_bytes + 1, decode_content=True)
    except requests.RequestException as exc:
        return LoadResult(errors=[(url, f"fetch failed: {exc}")])
    if len(data) > max_bytes:
        return LoadResult(errors=[(url, f"too large: over {max_bytes} bytes")])
    kind = "page.html" if "html" in response.headers.get("Content-Type", "html") else "page.txt"
    try:
        result = load_bytes(kind, data)
    except LoadError as exc:
        return LoadResult(errors=[(url, str(exc))])
    for article in result.articles:
        article.url = article.url or url
        article.origin = url
    return result


def load_bytes(name: str, data: bytes) -> LoadResult:
    """Read one file's content; ``name``'s suffix chooses the format. Raises LoadError if unusable."""
    suffix = Path(name).suffix.lower()
    text = decode(data)
    if suffix in HTML_SUFFIXES:
        return LoadResult([_article_from_html(text, name)])
    if suffix in JSONL_SUFFIXES:
        return _batch(_jsonl_records(text), name)
    if suffix == ".csv":
        return _batch(_csv_records(text), name)
    if suffix == ".json":
        records = json.loads(text)
        return _batch(((i, r, None) for i, r in enumerate(records if isinstance(records, list) else [records], 1)),
                      name)
    return LoadResult([article_from_text(text, origin=name)])


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8; else Windows-1252 for mostly-ASCII text; else the detected encoding.

    Raises LoadError when none works."""
    if not data.strip():
        raise LoadError("empty file")
    if b"\x00" in data[:8192]:
        raise LoadError("binary file (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if sum(b < 128 for b in data) / len(data) > 0.9:   # mostly English text: the usual Windows code page
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise LoadError("undecodable bytes: not UTF-8 and no reliable encoding detected")
    return str(best)


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
        if not line or boilerplate.is_promo(line) or line in banners or line.startswith("[") and line.endswith("]"):
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
    return [line for line in lines if line]


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
                                   "published": data.get("date"), "source": data.get("sitename") or ""}, origin)
    return article


def _jsonl_records(text: str):
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), None
        except json.JSONDecodeError as exc:
            yield number, None, f"malformed JSON ({exc.msg})"


def _csv_records(text: str):
    reader = csv.DictReader(io.StringIO(text))
    fields = {name.lower(): name for name in reader.fieldnames or []}
    if "text" not in fields:
        raise LoadError(f"CSV has no 'text' column (columns: {', '.join(reader.fieldnames or []) or 'none'})")
    for number, row in enumerate(reader, 2):
        yield number, {key.lower(): value for key, value in row.items() if key}, None


def _batch(records, name: str) -> LoadResult:
    result = LoadResult()
    for number, record, problem in records:
        origin = f"{name}:{number}"
        if problem is None and not isinstance(record, dict):
            problem = "not a JSON object"
        if problem is None:
            try:
                result.articles.append(article_from_record(record, origin))
                continue
            except LoadError as exc:
                problem = str(exc)
        result.errors.append((origin, problem))
    return result


def _drop_batch_repeats(articles: list[Article]) -> None:
    """Paragraphs repeated across most of a batch are site lines: dropped, as are banners opening
    with one ("EventMap Sample Desk - support us"); a short one names the outlet of articles that
    have none, and a site line taken for the title gives way to the headline after it."""
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
            article.id = article_id(article.text)


def _banner_pattern(names: list[str]) -> re.Pattern:
    """Matches a banner opening with one of ``names``: "EventMap Sample Desk - support the sample desk"."""
    return re.compile("|".join(re.escape(name) + r"\s+[-|–—:]\s" for name in names) or r"(?!)")


def _is_headline(line: str) -> bool:
    """A line that reads as a headline: a few words, not a sentence."""
    return 3 <= len(line.split()) <= 25 and not line.endswith(".")
