"""Machine-readable discovery files: robots.txt, the XML sitemap and the RSS 2.0 feed."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from scraper.demo_site.render import iso

if TYPE_CHECKING:
    from scraper.demo_site.render import View

FEED_SIZE = 20
#: Paths crawlers are asked to stay out of (the site search).
DISALLOWED = ("/search",)


def robots_txt(view: View) -> str:
    rules = "\n".join(f"Disallow: {path}" for path in DISALLOWED)
    return f"User-agent: *\n{rules}\nAllow: /\n\nSitemap: {view.url('/sitemap.xml')}\n"


def sitemap_xml(view: View) -> str:
    entries = "".join(
        f"<url><loc>{escape(view.url(a.path))}</loc><lastmod>{iso(a.last_modified)}</lastmod></url>\n"
        for a in view.catalog.articles.values()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def rss_xml(view: View) -> str:
    latest = view.latest(FEED_SIZE)
    built = max((a.last_modified for a in latest), default=datetime.now(UTC))
    items = []
    for a in latest:
        creators = "".join(f"<dc:creator>{escape(name)}</dc:creator>" for name in a.authors)
        url = escape(view.url(a.path))
        items.append(
            f"<item><title>{escape(a.title)}</title><link>{url}</link>"
            f'<guid isPermaLink="true">{url}</guid>'
            f"<pubDate>{format_datetime(a.published.astimezone(UTC), usegmt=True)}</pubDate>"
            f"{creators}<category>{escape(a.section)}</category>"
            f"<description>{escape(a.summary)}</description></item>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "<channel>\n"
        f"<title>{escape(view.catalog.name)}</title>\n"
        f"<link>{escape(view.url('/'))}</link>\n"
        f'<atom:link href="{escape(view.url("/feed/"))}" rel="self" type="application/rss+xml"/>\n'
        f"<description>{escape(view.catalog.tagline)}</description>\n"
        "<language>en-US</language>\n"
        f"<lastBuildDate>{format_datetime(built.astimezone(UTC), usegmt=True)}</lastBuildDate>\n"
        f"{''.join(items)}</channel>\n</rss>\n"
    )
