"""Feeds of the generated site: RSS 2.0, Atom 1.0 and JSON Feed 1.1, each of the LATEST_IN_FEEDS newest.

Item links are canonical article URLs; RSS carries authors as `dc:creator` and dates as RFC 822, Atom
and JSON Feed carry ISO 8601 with offsets, `updated` / `date_modified` being the article's lastmod.
"""

from __future__ import annotations

import json
from email.utils import format_datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from tests.sitegen.site import LATEST_IN_FEEDS

if TYPE_CHECKING:
    from tests.sitegen.site import Article, GeneratedSite


def _latest(site: GeneratedSite) -> tuple[Article, ...]:
    return site.latest[:LATEST_IN_FEEDS]


def rss(site: GeneratedSite, base: str) -> str:
    items = []
    for article in _latest(site):
        url = base + article.path
        creators = "".join(f"<dc:creator>{escape(n)}</dc:creator>" for n in article.authors)
        categories = "".join(f"<category>{escape(t)}</category>" for t in article.tags)
        items.append(
            f"<item><title>{escape(article.title)}</title><link>{url}</link>"
            f'<guid isPermaLink="true">{url}</guid><pubDate>{format_datetime(article.published)}</pubDate>'
            f"{creators}{categories}<description>{escape(article.description)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>{escape(site.name)}</title><link>{base}/</link>"
        f"<description>Latest news from {escape(site.name)}</description><language>en</language>"
        f"<lastBuildDate>{format_datetime(site.changed_at)}</lastBuildDate>"
        f'<atom:link href="{base}/feed/rss.xml" rel="self" type="application/rss+xml"/>'
        f"{''.join(items)}</channel></rss>\n"
    )


def atom(site: GeneratedSite, base: str) -> str:
    entries = []
    for article in _latest(site):
        url = base + article.path
        authors = "".join(f"<author><name>{escape(n)}</name></author>" for n in article.authors)
        entries.append(
            f'<entry><title>{escape(article.title)}</title><link rel="alternate" href="{url}"/>'
            f"<id>{url}</id><published>{article.published.isoformat()}</published>"
            f"<updated>{article.lastmod.isoformat()}</updated>{authors}"
            f"<summary>{escape(article.description)}</summary></entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(site.name)}</title><id>{base}/</id>"
        f'<link rel="self" href="{base}/feed/atom.xml"/><link rel="alternate" href="{base}/"/>'
        f"<updated>{site.changed_at.isoformat()}</updated>{''.join(entries)}</feed>\n"
    )


def json_feed(site: GeneratedSite, base: str) -> str:
    items = [
        {
            "id": base + a.path,
            "url": base + a.path,
            "title": a.title,
            "summary": a.description,
            "date_published": a.published.isoformat(),
            "date_modified": a.lastmod.isoformat(),
            "authors": [{"name": n} for n in a.authors],
            "tags": list(a.tags),
        }
        for a in _latest(site)
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.name,
        "home_page_url": f"{base}/",
        "feed_url": f"{base}/feed/feed.json",
        "items": items,
    }
    return json.dumps(feed, indent=1) + "\n"
