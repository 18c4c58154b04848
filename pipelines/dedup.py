"""Which URL an article is stored under, and dropping true duplicates within a run.

A page's `<link rel=canonical>` is the site's word, and sites get it wrong: every page declaring the home
page or its section page, or a syndicated copy naming another site's article. Trusted as it is, a whole
site would collapse into one article, or two sites' texts would alternate as revisions of one. So a
declared canonical is the key only when it stays inside the site's allowed domains and names no home,
section or listing page; otherwise the fetched URL is, and the reason is kept (`canonical_note`). Two
pages with different texts claiming one canonical URL are both kept: the second under its own URL.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import DropItem

from scraper.items import FetchedPage
from storage.articles import content_hash

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from pipelines.extraction.record import ArticleRecord

#: First path segments of listing pages: a canonical URL under them names a listing, not an article.
LISTING_SEGMENTS = frozenset(
    {"section", "sections", "category", "categories", "tag", "tags", "topic", "topics", "author", "authors",
     "archive", "archives", "search", "page", "feed", "rubrik", "ressort", "thema", "themen"}
)  # fmt: skip
#: A numbered listing page: /politics/page/3/, /news?page=2
_PAGED = re.compile(r"/page/\d+/?$|[?&]page=\d+")
#: Last path segments that only choose a rendering of the same article (an ancestor that differs by them is
#: the article itself, not its section).
RENDERING_SEGMENTS = frozenset({"amp", "amp.html", "index.html", "index.htm", "print", "comments"})


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _in_domains(url: str, domains: tuple[str, ...]) -> bool:
    host = _host(url)
    return any(host == d.removeprefix("www.") or host.endswith("." + d.removeprefix("www.")) for d in domains)


def _segments(url: str) -> list[str]:
    return [segment for segment in urlsplit(url).path.split("/") if segment]


def canonical_rejection(canonical: str, url: str, domains: tuple[str, ...], home_url: str | None) -> str | None:
    """Why a declared canonical URL cannot be this page's key, or None when it can."""
    if urlsplit(canonical).scheme not in ("http", "https") or not urlsplit(canonical).hostname:
        return "not an absolute web address"
    if not _in_domains(canonical, domains or (_host(url),)):
        return "outside the site's allowed domains"
    segments = _segments(canonical)
    if not segments or (home_url and _segments(home_url) == segments and _host(home_url) == _host(canonical)):
        return "names the home page"
    if segments[0].lower() in LISTING_SEGMENTS or _PAGED.search(canonical):
        return "names a listing page"
    fetched = _segments(url)
    ancestor = len(segments) < len(fetched) and fetched[: len(segments)] == segments
    if ancestor and not all(rest.lower() in RENDERING_SEGMENTS for rest in fetched[len(segments):]):
        return "names a section page above the article"
    return None


def article_key(
    canonical_url: str | None, url: str, domains: tuple[str, ...] = (), home_url: str | None = None
) -> tuple[str, str | None]:
    """(the URL an article is stored under, why its declared canonical was not taken or None)."""
    if not canonical_url or canonical_url == url:
        return url, None
    reason = canonical_rejection(canonical_url, url, domains, home_url)
    if reason is None:
        return canonical_url, None
    return url, f"canonical {canonical_url} not used: {reason}"


def text_hash(record: ArticleRecord) -> str:
    """The hash of the article's text alone: an AMP copy with a shorter title or byline is the same text."""
    return content_hash({"body": record.body})


class DedupPipeline:
    """Decides each article's key; drops a page whose key and text an earlier page of this run had."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        #: article key -> (the URL it was first fetched as, the hash of its text)
        self.seen: dict[str, tuple[str, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage) or item.extraction is None or not item.extraction.is_article:
            return item
        record = item.extraction.record
        key, note = article_key(record.canonical_url, item.url, item.domains, item.home_url)
        if note:
            self.stats.inc_value("newsarchive/canonical/rejected")
        digest = text_hash(record)
        first = self.seen.setdefault(key, (item.url, digest))
        if first[0] != item.url:
            if first[1] == digest:
                self.stats.inc_value("newsarchive/dedup/dropped")
                raise DropItem(
                    f"duplicate of {key} (already fetched as {first[0]}, now as {item.url})", log_level="INFO"
                )
            # Same declared canonical, different text: not a duplicate. Keep this one under its own URL.
            self.stats.inc_value("newsarchive/canonical/collisions")
            note = f"canonical {key} not used: {first[0]} has a different text under it"
            key = item.url
            self.seen.setdefault(key, (item.url, digest))
        item.article_key, item.canonical_note = key, note
        return item
