"""The machine-readable files of a fake site: robots.txt, sitemaps (plain, index, Google News), RSS, Atom, JSON Feed.

Each function takes plain values (URLs, dates, `Entry`s a configuration builds from its articles) and returns
the document; which of them a site serves, and at which paths, is the configuration's choice. Dates are ISO 8601
with their offsets, except RSS, which uses RFC 822 dates in GMT.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import UTC
from email.utils import format_datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True, slots=True)
class Channel:
    """What a feed says about the site."""

    title: str
    home: str  #: the home page URL
    description: str
    language: str
    updated: datetime


@dataclass(frozen=True, slots=True)
class Entry:
    """What a feed says about one article."""

    url: str
    title: str
    authors: tuple[str, ...]
    published: datetime
    updated: datetime
    summary: str
    categories: tuple[str, ...]


def _gmt(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def robots_txt(disallow: Iterable[str], sitemaps: Iterable[str], allow: Iterable[str] = ()) -> str:
    rules = "".join(f"Disallow: {p}\n" for p in disallow) + "".join(f"Allow: {p}\n" for p in allow)
    return f"User-agent: *\n{rules}\n" + "".join(f"Sitemap: {url}\n" for url in sitemaps)


def urlset(entries: Iterable[tuple[str, datetime]]) -> str:
    """A sitemap of (URL, last modified) pairs."""
    urls = "".join(
        f"<url><loc>{escape(url)}</loc><lastmod>{when.isoformat()}</lastmod></url>\n" for url, when in entries
    )
    return f'{XML_DECLARATION}<urlset xmlns="{SITEMAP_NS}">\n{urls}</urlset>\n'


def sitemap_index(sitemaps: Iterable[tuple[str, datetime]]) -> str:
    """A sitemap index of (sitemap URL, newest last modified in it) pairs."""
    entries = "".join(
        f"<sitemap><loc>{escape(url)}</loc><lastmod>{when.isoformat()}</lastmod></sitemap>"
        for url, when in sitemaps
    )
    return f'{XML_DECLARATION}<sitemapindex xmlns="{SITEMAP_NS}">{entries}</sitemapindex>\n'


def news_sitemap(publication: str, articles: Iterable[tuple[str, str, datetime]]) -> str:
    """A Google News sitemap of (URL, title, published) triples."""
    urls = "".join(
        f"<url><loc>{escape(url)}</loc><news:news><news:publication><news:name>{escape(publication)}"
        "</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{published.isoformat()}</news:publication_date>"
        f"<news:title>{escape(title)}</news:title></news:news></url>"
        for url, title, published in articles
    )
    return f'{XML_DECLARATION}<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">{urls}</urlset>\n'


def gzipped(document: str) -> bytes:
    """Deterministic gzip (mtime 0) so the same sitemap always has the same ETag."""
    return gzip.compress(document.encode("utf-8"), mtime=0)


def rss(channel: Channel, self_url: str, entries: Iterable[Entry]) -> str:
    items = "".join(
        f"<item><title>{escape(e.title)}</title><link>{escape(e.url)}</link>"
        f'<guid isPermaLink="true">{escape(e.url)}</guid><pubDate>{_gmt(e.published)}</pubDate>'
        + "".join(f"<dc:creator>{escape(name)}</dc:creator>" for name in e.authors)
        + "".join(f"<category>{escape(c)}</category>" for c in e.categories)
        + f"<description>{escape(e.summary)}</description></item>\n"
        for e in entries
    )
    return (
        XML_DECLARATION
        + '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "<channel>\n"
        f"<title>{escape(channel.title)}</title>\n<link>{escape(channel.home)}</link>\n"
        f'<atom:link href="{escape(self_url)}" rel="self" type="application/rss+xml"/>\n'
        f"<description>{escape(channel.description)}</description>\n<language>{channel.language}</language>\n"
        f"<lastBuildDate>{_gmt(channel.updated)}</lastBuildDate>\n{items}</channel>\n</rss>\n"
    )


def atom(channel: Channel, self_url: str, entries: Iterable[Entry]) -> str:
    items = "".join(
        f'<entry><title>{escape(e.title)}</title><link rel="alternate" href="{escape(e.url)}"/>'
        f"<id>{escape(e.url)}</id><published>{e.published.isoformat()}</published>"
        f"<updated>{e.updated.isoformat()}</updated>"
        + "".join(f"<author><name>{escape(name)}</name></author>" for name in e.authors)
        + f"<summary>{escape(e.summary)}</summary></entry>"
        for e in entries
    )
    return (
        f'{XML_DECLARATION}<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(channel.title)}</title><id>{escape(channel.home)}</id>"
        f'<link rel="self" href="{escape(self_url)}"/><link rel="alternate" href="{escape(channel.home)}"/>'
        f"<updated>{channel.updated.isoformat()}</updated>{items}</feed>\n"
    )


def json_feed(channel: Channel, self_url: str, entries: Iterable[Entry]) -> str:
    items = [
        {
            "id": e.url,
            "url": e.url,
            "title": e.title,
            "summary": e.summary,
            "date_published": e.published.isoformat(),
            "date_modified": e.updated.isoformat(),
            "authors": [{"name": name} for name in e.authors],
            "tags": list(e.categories),
        }
        for e in entries
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel.title,
        "home_page_url": channel.home,
        "feed_url": self_url,
        "items": items,
    }
    return json.dumps(feed, indent=1) + "\n"
