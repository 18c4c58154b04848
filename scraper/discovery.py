"""Parsing of discovery documents: sitemaps (plain, index, gzipped, Google News), RSS, Atom, JSON Feed, robots.txt."""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from io import BytesIO
from urllib.parse import urljoin

from lxml import etree

_MAX_DECOMPRESSED = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class DiscoveredUrl:
    """A URL found in a sitemap or feed, with the hints that came with it."""

    url: str
    lastmod: datetime | None = None
    title: str | None = None
    published: datetime | None = None


def parse_iso_datetime(value: str | None) -> datetime | None:
    """W3C datetime (sitemaps, Atom, JSON Feed) to an aware datetime; None when unreadable."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_rfc822(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return parse_iso_datetime(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def maybe_gunzip(body: bytes) -> bytes:
    """Sitemaps may arrive gzipped even without Content-Encoding; cap the inflated size."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        with gzip.GzipFile(fileobj=BytesIO(body)) as stream:
            return stream.read(_MAX_DECOMPRESSED)
    except (OSError, EOFError, zlib.error):
        return b""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _xml_root(body: bytes) -> etree._Element | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(maybe_gunzip(body).strip(), parser)
    except etree.XMLSyntaxError:
        return None


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_sitemap(body: bytes, base_url: str) -> tuple[str, list[DiscoveredUrl]]:
    """Return ("index", sitemap URLs) or ("urlset", page URLs); ("unknown", []) when it is no sitemap."""
    root = _xml_root(body)
    if root is None:
        return "unknown", []
    kind = _local(root.tag)
    entry_tag = {"sitemapindex": "sitemap", "urlset": "url"}.get(kind)
    if entry_tag is None:
        return "unknown", []
    found = []
    for entry in root:
        if _local(entry.tag) != entry_tag:
            continue
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        found.append(
            DiscoveredUrl(
                url=urljoin(base_url, loc),
                lastmod=parse_iso_datetime(_child_text(entry, "lastmod")),
                title=_child_text(entry, "title"),
                published=parse_iso_datetime(_child_text(entry, "publication_date")),
            )
        )
    return ("index" if kind == "sitemapindex" else "urlset"), found


def _parse_json_feed(body: bytes, base_url: str) -> list[DiscoveredUrl]:
    try:
        data = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return []
    items = data.get("items") if isinstance(data, dict) else None
    found = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        url = item.get("url") or item.get("external_url")
        if isinstance(url, str) and url:
            found.append(
                DiscoveredUrl(
                    url=urljoin(base_url, url),
                    title=item.get("title") if isinstance(item.get("title"), str) else None,
                    published=parse_iso_datetime(item.get("date_published")),
                    lastmod=parse_iso_datetime(item.get("date_modified")),
                )
            )
    return found


def parse_feed(body: bytes, base_url: str) -> list[DiscoveredUrl]:
    """Entries of an RSS 2.0, RSS 1.0, Atom or JSON Feed document, in feed order."""
    if body.lstrip()[:1] in (b"{", b"["):
        return _parse_json_feed(body, base_url)
    root = _xml_root(body)
    if root is None:
        return []
    found = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "item":  # RSS
            link = _child_text(element, "link") or _child_text(element, "guid")
            if link and link.startswith(("http", "/")):
                found.append(
                    DiscoveredUrl(
                        url=urljoin(base_url, link),
                        title=_child_text(element, "title"),
                        published=_parse_rfc822(
                            _child_text(element, "pubdate") or _child_text(element, "date")
                        ),
                    )
                )
        elif name == "entry":  # Atom
            href = None
            for link in element:
                if (
                    _local(link.tag) == "link"
                    and link.get("rel", "alternate") == "alternate"
                    and link.get("href")
                ):
                    href = link.get("href")
                    break
            if href:
                found.append(
                    DiscoveredUrl(
                        url=urljoin(base_url, href),
                        title=_child_text(element, "title"),
                        published=parse_iso_datetime(_child_text(element, "published")),
                        lastmod=parse_iso_datetime(_child_text(element, "updated")),
                    )
                )
    return found


def robots_sitemaps(text: str, base_url: str) -> list[str]:
    """The Sitemap: lines of a robots.txt."""
    found = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            found.append(urljoin(base_url, value.strip()))
    return found


FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json")
