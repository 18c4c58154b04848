"""Items the spiders yield. Spiders fetch and discover; they never extract fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class FoundVia(StrEnum):
    """How a URL was found. Pages come from the first five; the others name discovery documents."""

    HOME = "home"
    LINK = "link"
    FEED = "feed"
    SITEMAP = "sitemap"
    RECHECK = "recheck"
    ROBOTS = "robots"
    SITEMAP_DOC = "sitemap-doc"
    FEED_DOC = "feed-doc"

    @property
    def is_document(self) -> bool:
        """A discovery document (robots.txt, a sitemap, a feed), not a page that may be an article."""
        return self in (FoundVia.ROBOTS, FoundVia.SITEMAP_DOC, FoundVia.FEED_DOC)


@dataclass
class FetchedPage:
    """An HTML response, as fetched. The extract pipeline fills `extraction` or `error`."""

    url: str
    request_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    site: str
    #: URLs that redirected here, first to last (they are recorded as known too)
    redirect_urls: list[str] = field(default_factory=list)
    #: how the URL was found
    found_via: FoundVia = FoundVia.LINK
    #: discovery hints: sitemap lastmod, news sitemap title and publication date, feed title
    hints: dict[str, Any] = field(default_factory=dict)
    #: where a WARC file holds this response: {"file", "offset", "length"} (see scraper/warc_writer.py)
    warc: dict[str, Any] | None = None
    #: per-site CSS selector overrides for extraction (from the sites file)
    overrides: dict[str, str] = field(default_factory=dict)
    #: the site's allowed domains and home page: a declared canonical URL outside them is not trusted
    domains: tuple[str, ...] = ()
    home_url: str | None = None
    extraction: Any = None
    error: str | None = None
    #: the URL the article is stored under (DedupPipeline decides), and why a declared canonical was not
    article_key: str | None = None
    canonical_note: str | None = None


@dataclass
class FetchFailure:
    """A request that produced no usable page: HTTP error, timeout, DNS, non-HTML, empty body."""

    url: str
    reason: str
    site: str
    failed_at: datetime
    status: int | None = None
    #: True for a clean skip (non-HTML, empty page) rather than an error
    skipped: bool = False


@dataclass
class NotModified:
    """A conditional re-check answered 304: the stored record is still current."""

    url: str
    site: str
    fetched_at: datetime
