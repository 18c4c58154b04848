"""Drop true duplicates within a run: the same article reached through another URL (AMP, tracking, slash)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class DedupPipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        #: article key (canonical URL or URL) -> the URL it was first fetched as
        self.seen: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        extraction = adapter.get("extraction") if "extraction" in adapter else None
        if extraction is None or not extraction.is_article:
            return item
        key = article_key(extraction.record.canonical_url, adapter["url"])
        first = self.seen.setdefault(key, adapter["url"])
        if first != adapter["url"]:
            self.stats.inc_value("newsarchive/dedup/dropped")
            raise DropItem(
                f"duplicate of {key} (already fetched as {first}, now as {adapter['url']})", log_level="INFO"
            )
        return item


def article_key(canonical_url: str | None, url: str) -> str:
    """The URL an article is known by: its canonical URL, unless that points at a site's front page."""
    if canonical_url and urlsplit(canonical_url).path.strip("/"):
        return canonical_url
    return url
