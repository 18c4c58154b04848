"""robots.txt, the sitemap index, per-section sitemaps and the Google News sitemap.

robots.txt names the index and the news sitemap. The index lists `site.sitemap_paths()` (the first
section's sitemap is `.xml.gz`, served as gzip bytes, not as Content-Encoding) with `<lastmod>` the
newest lastmod in that section. Each `<url>` has `<lastmod>` = the article's modified-or-published time.
"""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from tests.sitegen.site import GeneratedSite

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def robots(site: GeneratedSite, base: str) -> str:
    disallow = "".join(f"Disallow: {prefix}\n" for prefix in site.disallowed_prefixes)
    return f"User-agent: *\n{disallow}\nSitemap: {base}/sitemap_index.xml\nSitemap: {base}/news-sitemap.xml\n"


def sitemap_index(site: GeneratedSite, base: str) -> str:
    entries = []
    for section, path in zip(site.sections, site.sitemap_paths(), strict=True):
        items = site.index.by_section[section]
        lastmod = max((a.lastmod for a in items), default=site.launched)
        entries.append(f"<sitemap><loc>{base}{path}</loc><lastmod>{lastmod.isoformat()}</lastmod></sitemap>")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">'
        f"{''.join(entries)}</sitemapindex>\n"
    )


def section_sitemap(site: GeneratedSite, base: str, section: str) -> str:
    urls = "".join(
        f"<url><loc>{base}{a.path}</loc><lastmod>{a.lastmod.isoformat()}</lastmod></url>"
        for a in site.index.by_section[section]
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">{urls}</urlset>\n'


def gzipped(document: str) -> bytes:
    """Deterministic gzip (mtime 0) so the same sitemap always has the same ETag."""
    return gzip.compress(document.encode("utf-8"), mtime=0)


def news_sitemap(site: GeneratedSite, base: str) -> str:
    urls = "".join(
        f"<url><loc>{base}{a.path}</loc><news:news><news:publication><news:name>{escape(site.name)}"
        "</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
        f"<news:title>{escape(a.title)}</news:title></news:news></url>"
        for a in site.news_articles()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">'
        f"{urls}</urlset>\n"
    )
