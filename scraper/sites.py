"""The sites file (`sites.toml`): the one place analysts list the sites they follow.

A malformed file is rejected before any fetch, naming the file, the line and the problem.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scraper.urls import host_of

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)")
_SITE_HEADER = re.compile(r"^\s*\[\[\s*sites\s*\]\]")
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


def _site_lines(text: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if _SITE_HEADER.match(line)]


def _check_url(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str):
        raise SitesFileError(f"{where}: '{key}' must be a string URL, got {type(value).__name__}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SitesFileError(f"{where}: '{key}' is not an http(s) URL: {value!r}")
    return value


def _check_site(entry: Any, where: str) -> SiteConfig:
    if not isinstance(entry, dict):
        raise SitesFileError(f"{where}: each [[sites]] entry must be a table")
    unknown = sorted(set(entry) - _KNOWN_KEYS)
    if unknown:
        raise SitesFileError(
            f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN_KEYS))}"
        )
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise SitesFileError(f"{where}: 'name' is missing or not a plain name (letters, digits, . _ -)")
    if "url" not in entry:
        raise SitesFileError(f"{where}: site {name!r} has no 'url'")
    url = _check_url(entry["url"], where, "url")
    lists = {}
    for key in ("feeds", "sitemaps", "allowed_domains"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SitesFileError(f"{where}: '{key}' must be a list of strings")
        lists[key] = (
            tuple(_check_url(v, where, key) for v in value) if key != "allowed_domains" else tuple(value)
        )
    max_pages = entry.get("max_pages")
    if max_pages is not None and (not isinstance(max_pages, int) or max_pages < 1):
        raise SitesFileError(f"{where}: 'max_pages' must be a positive whole number")
    delay = entry.get("download_delay")
    if delay is not None and (not isinstance(delay, int | float) or delay < 0):
        raise SitesFileError(f"{where}: 'download_delay' must be a number of seconds >= 0")
    pattern = entry.get("article_pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as error:
            raise SitesFileError(
                f"{where}: 'article_pattern' is not a valid regular expression: {error}"
            ) from None
    recheck_days = entry.get("recheck_days", 3)
    if not isinstance(recheck_days, int) or recheck_days < 0:
        raise SitesFileError(f"{where}: 'recheck_days' must be a whole number >= 0")
    extraction = entry.get("extraction", {})
    if not isinstance(extraction, dict) or not all(isinstance(v, str) for v in extraction.values()):
        raise SitesFileError(f"{where}: 'extraction' must be a table of CSS selectors")
    bad = sorted(set(extraction) - _OVERRIDE_KEYS)
    if bad:
        raise SitesFileError(
            f"{where}: unknown extraction override(s) {', '.join(bad)}; known: body, authors, published, title"
        )
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
        line = found.group(1) if found else "?"
        message = _TOML_POSITION.sub("", str(error)).strip()
        raise SitesFileError(f"{path}:{line}: invalid TOML: {message}") from None
    entries = data.get("sites")
    if not isinstance(entries, list) or not entries:
        raise SitesFileError(f"{path}:1: no [[sites]] entries")
    lines = _site_lines(text)
    sites: list[SiteConfig] = []
    for index, entry in enumerate(entries):
        where = f"{path}:{lines[index] if index < len(lines) else '?'}"
        site = _check_site(entry, where)
        if any(s.name == site.name for s in sites):
            raise SitesFileError(f"{where}: duplicate site name {site.name!r}")
        sites.append(site)
    return sites
