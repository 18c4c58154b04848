import gzip
import json
from datetime import UTC, datetime

from scraper.discovery import parse_feed, parse_sitemap, robots_sitemaps
from scraper.middlewares import retry_after_seconds

BASE = "https://news.example/"


def test_sitemap_index_lists_child_sitemaps():
    body = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.example/s1.xml</loc><lastmod>2025-03-06T10:00:00Z</lastmod></sitemap>
      <sitemap><loc>/s2.xml.gz</loc></sitemap></sitemapindex>"""
    kind, entries = parse_sitemap(body, BASE)
    assert kind == "index"
    assert [e.url for e in entries] == ["https://news.example/s1.xml", "https://news.example/s2.xml.gz"]
    assert entries[0].lastmod == datetime(2025, 3, 6, 10, tzinfo=UTC)


def test_gzipped_google_news_sitemap_keeps_title_and_publication_date():
    xml = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://news.example/a/</loc>
        <news:news><news:publication><news:name>N</news:name><news:language>en</news:language></news:publication>
        <news:publication_date>2025-03-06T09:42:17+01:00</news:publication_date><news:title>A title</news:title>
        </news:news></url></urlset>"""
    kind, entries = parse_sitemap(gzip.compress(xml), BASE)
    assert kind == "urlset"
    assert entries[0].url == "https://news.example/a/"
    assert entries[0].title == "A title"
    assert entries[0].published.isoformat() == "2025-03-06T09:42:17+01:00"


def test_not_a_sitemap():
    assert parse_sitemap(b"<html><body>404</body></html>", BASE) == ("unknown", [])
    assert parse_sitemap(b"", BASE) == ("unknown", [])


def test_rss_atom_and_json_feed():
    rss = b"""<rss version="2.0"><channel><item><title>One</title><link>https://news.example/one/</link>
        <pubDate>Thu, 06 Mar 2025 09:42:17 +0000</pubDate></item><item><title>Two</title>
        <guid>https://news.example/two/</guid></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Three</title>
        <link rel="alternate" href="/three/"/><published>2025-03-06T09:42:17Z</published></entry></feed>"""
    feed = json.dumps({"version": "https://jsonfeed.org/version/1.1",
                       "items": [{"url": "https://news.example/four/", "title": "Four"}]}).encode()
    assert [e.url for e in parse_feed(rss, BASE)] == ["https://news.example/one/", "https://news.example/two/"]
    assert parse_feed(rss, BASE)[0].published == datetime(2025, 3, 6, 9, 42, 17, tzinfo=UTC)
    assert [(e.url, e.title) for e in parse_feed(atom, BASE)] == [("https://news.example/three/", "Three")]
    assert [e.url for e in parse_feed(feed, BASE)] == ["https://news.example/four/"]
    assert parse_feed(b"not a feed at all", BASE) == []


def test_robots_sitemap_lines():
    text = "User-agent: *\nDisallow: /private/\nSitemap: https://news.example/sitemap_index.xml\nsitemap: /news.xml\n"
    assert robots_sitemaps(text, BASE) == ["https://news.example/sitemap_index.xml", "https://news.example/news.xml"]


def test_retry_after_seconds_and_http_date():
    now = datetime(2025, 3, 6, 9, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds("Thu, 06 Mar 2025 09:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("Thu, 06 Mar 2025 08:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None
