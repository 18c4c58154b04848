"""The sites file (`sites.toml`): the one place analysts list the sites they follow.

A malformed file is rejected before any fetch, naming the file, the line and the problem.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml.cssselect import CSSSelector, SelectorError

from scraper.urls import host_of

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)")
_SITE_HEADER = re.compile(r"^\s*\[\[\s*sites\s*\]\]")
#: the first line of an entry written inline: `sites = [{...` or a line starting with `{`
_INLINE_ENTRY = re.compile(r"^\s*(?:sites\s*=\s*\[\s*)?\{")
_SITES_KEY = re.compile(r"^\s*sites\s*=")
#: a bare host name as `host_of` yields it: labels of letters, digits, _ and -, no scheme, port or path
_HOST = re.compile(r"^\w(?:[\w-]*\w)?(?:\.\w(?:[\w-]*\w)?)*$")
_OVERRIDE_KEYS = frozenset({"body", "authors", "published", "title"})
_KNOWN_KEYS = frozenset(
    {
        "name",
        "url",
        "feeds",
        "sitemaps",
        "max_pages",
        "download_delay",
        "allowed_domains",
        "article_pattern",
        "extraction",
        "recheck_days",
    }
)


class SitesFileError(ValueError):
    """The sites file cannot be used; str() is 'FILE:LINE: problem'."""


@dataclass(frozen=True)
class SiteConfig:
    name: str
    url: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    max_pages: int | None = None
    download_delay: float | None = None
    article_pattern: str | None = None
    recheck_days: int = 3
    #: CSS selectors that win over generic extraction rules, keyed by field ("body", "authors", "published")
    extraction: dict[str, str] = field(default_factory=dict)

    @property
    def domains(self) -> list[str]:
        return list(self.allowed_domains) or [host_of(self.url)]


def site_for_url(url: str, name: str | None = None) -> SiteConfig:
    """A site built from a bare start URL (``newsarchive crawl URL``)."""
    return SiteConfig(name=name or host_of(url) or "site", url=url)


@dataclass(frozen=True)
class _Where:
    """Where one entry sits in the file: its first line and its raw lines, to name the line of a bad key."""

    path: Path
    first: int
    lines: tuple[str, ...] = ()

    def at(self, key: str | None = None) -> str:
        """'FILE:LINE' of `key` within the entry (`key = ...`, dotted or inline), else of the entry itself."""
        if key is not None:
            found = re.compile(rf"""(?:^|[{{,.])\s*["']?{re.escape(key)}["']?\s*=""")
            for offset, line in enumerate(self.lines):
                if not line.lstrip().startswith("#") and found.search(line):
                    return f"{self.path}:{self.first + offset}"
        return f"{self.path}:{self.first}"


def _entry_places(path: Path, text: str, count: int) -> list[_Where]:
    """One _Where per entry: from its `[[sites]]` header (or inline `{`) to the next entry's."""
    lines = text.splitlines()
    for start in (_SITE_HEADER, _INLINE_ENTRY):
        starts = [number for number, line in enumerate(lines) if start.match(line)]
        if len(starts) == count:
            ends = [*starts[1:], len(lines)]
            return [_Where(path, a + 1, tuple(lines[a:b])) for a, b in zip(starts, ends, strict=True)]
    # Entries not one per line (e.g. `sites = [{...}, {...}]`): point at the `sites` key.
    first = next((number for number, line in enumerate(lines) if _SITES_KEY.match(line)), 0)
    return [_Where(path, first + 1, tuple(lines[first:]) if count == 1 else ()) for _ in range(count)]


def _is_whole(value: Any) -> bool:
    """An int but not a bool (TOML's `true` is a bool, and Python counts bools as ints)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    """A finite int or float, but not a bool."""
    return _is_whole(value) or (isinstance(value, float) and math.isfinite(value))


def _check_url(value: Any, where: _Where, key: str) -> str:
    if not isinstance(value, str):
        raise SitesFileError(f"{where.at(key)}: '{key}' must be a string URL, got {type(value).__name__}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SitesFileError(f"{where.at(key)}: '{key}' is not an http(s) URL: {value!r}")
    return value


def _check_domain(value: str, where: _Where) -> str:
    """A bare host name, as the spider compares it with `host_of(url)` (lowercase, no scheme, port or path)."""
    if not _HOST.match(value):
        raise SitesFileError(
            f"{where.at('allowed_domains')}: allowed_domains entries are host names like "
            f'"example.com", not URLs (no scheme, port or path): {value!r}'
        )
    return value.lower()


def _check_selector(key: str, selector: str, where: _Where) -> str:
    """The selector, compiled as extraction compiles it, so a typo fails here rather than being ignored later."""
    try:
        CSSSelector(selector, translator="html")
    except SelectorError as error:
        raise SitesFileError(
            f"{where.at(key)}: extraction override '{key}' is not a valid CSS selector {selector!r}: {error}"
        ) from None
    return selector


def _check_site(entry: Any, where: _Where) -> SiteConfig:
    if not isinstance(entry, dict):
        raise SitesFileError(f"{where.at()}: each [[sites]] entry must be a table")
    unknown = sorted(set(entry) - _KNOWN_KEYS)
    if unknown:
        raise SitesFileError(
            f"{where.at(unknown[0])}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN_KEYS))}"
        )
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise SitesFileError(
            f"{where.at('name')}: 'name' is missing or not a plain name (letters, digits, . _ -)"
        )
    if "url" not in entry:
        raise SitesFileError(f"{where.at()}: site {name!r} has no 'url'")
    url = _check_url(entry["url"], where, "url")
    lists = {}
    for key in ("feeds", "sitemaps", "allowed_domains"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SitesFileError(f"{where.at(key)}: '{key}' must be a list of strings")
        lists[key] = (
            tuple(_check_url(v, where, key) for v in value)
            if key != "allowed_domains"
            else tuple(_check_domain(v, where) for v in value)
        )
    max_pages = entry.get("max_pages")
    if max_pages is not None and (not _is_whole(max_pages) or max_pages < 1):
        raise SitesFileError(
            f"{where.at('max_pages')}: 'max_pages' must be a whole number >= 1, got {max_pages!r}"
        )
    delay = entry.get("download_delay")
    if delay is not None and (not _is_number(delay) or delay < 0):
        raise SitesFileError(
            f"{where.at('download_delay')}: 'download_delay' must be a number of seconds >= 0, got {delay!r}"
        )
    pattern = entry.get("article_pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as error:
            raise SitesFileError(
                f"{where.at('article_pattern')}: 'article_pattern' is not a valid regular expression: {error}"
            ) from None
    recheck_days = entry.get("recheck_days", 3)
    if not _is_whole(recheck_days) or recheck_days < 0:
        raise SitesFileError(
            f"{where.at('recheck_days')}: 'recheck_days' must be a whole number >= 0, got {recheck_days!r}"
        )
    extraction = entry.get("extraction", {})
    if not isinstance(extraction, dict) or not all(isinstance(v, str) for v in extraction.values()):
        raise SitesFileError(f"{where.at('extraction')}: 'extraction' must be a table of CSS selectors")
    bad = sorted(set(extraction) - _OVERRIDE_KEYS)
    if bad:
        raise SitesFileError(
            f"{where.at(bad[0])}: unknown extraction override(s) {', '.join(bad)}; "
            "known: body, authors, published, title"
        )
    for key, selector in extraction.items():
        _check_selector(key, selector, where)
    return SiteConfig(
        name=name,
        url=url,
        feeds=lists["feeds"],
        sitemaps=lists["sitemaps"],
        allowed_domains=lists["allowed_domains"],
        max_pages=max_pages,
        download_delay=float(delay) if delay is not None else None,
        article_pattern=pattern,
        recheck_days=recheck_days,
        extraction=dict(extraction),
    )


def load_sites(path: str | Path) -> list[SiteConfig]:
    """Read and validate a sites file. Raises SitesFileError naming file, line and problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SitesFileError(f"{path}: cannot read sites file: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise SitesFileError(f"{path}: sites file is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_POSITION.search(str(error))
        # "(at end of document)" (or no position): the last line is where the file stopped making sense
        line = found.group(1) if found and found.group(1) else str(max(1, len(text.splitlines())))
        message = _TOML_POSITION.sub("", str(error)).strip()
        raise SitesFileError(f"{path}:{line}: invalid TOML: {message}") from None
    entries = data.get("sites")
    if not isinstance(entries, list) or not entries:
        raise SitesFileError(f"{path}:1: no [[sites]] entries")
    sites: list[SiteConfig] = []
    for entry, where in zip(entries, _entry_places(path, text, len(entries)), strict=True):
        site = _check_site(entry, where)
        if any(s.name == site.name for s in sites):
            raise SitesFileError(f"{where.at('name')}: duplicate site name {site.name!r}")
        sites.append(site)
    return sites
