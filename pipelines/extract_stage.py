"""The extract stage of the crawl: run the same extraction as `newsarchive extract` on each fetched page."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from pipelines.extraction.decode import charset_from_content_type
from pipelines.extraction.extract import ExtractionError, extract_page
from pipelines.worker import Worker, worker_for

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from pipelines.extraction.record import Extraction

logger = logging.getLogger(__name__)


def _content_type(headers: dict[str, str]) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == "content-type"), None)


def apply_hints(extraction: Extraction, hints: dict[str, Any]) -> None:
    """Fill what the page itself did not state from discovery hints (news sitemap, feed entry)."""
    record = extraction.record
    if record.published is None and isinstance(hints.get("published"), datetime):
        record.published = hints["published"]
        extraction.sources["published"] = "discovery hint (sitemap or feed)"
    if not record.title and isinstance(hints.get("title"), str) and hints["title"].strip():
        record.title = " ".join(hints["title"].split())
        extraction.sources["title"] = "discovery hint (sitemap or feed)"


class ExtractPipeline:
    """Fills `extraction` (or `error`) on fetched pages; other items pass through."""

    def __init__(self, stats: StatsCollector, worker: Worker) -> None:
        self.stats = stats
        self.worker = worker

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler.stats, worker_for(crawler, "extract"))

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if "body" not in adapter or "extraction" not in adapter:
            return item
        try:
            extraction = await self.worker.run(
                extract_page,
                adapter["body"],
                adapter["url"],
                charset_from_content_type(_content_type(adapter["headers"])),
                adapter["overrides"] or None,
                adapter.get("fetched_at"),
            )
        except ExtractionError as error:
            adapter["error"] = f"extraction failed: {error}"
            self.stats.inc_value("newsarchive/extract/failed")
            logger.warning("extraction failed for %s: %s", adapter["url"], error)
            return item
        except Exception as error:  # a bug must cost one page, not the crawl; it is recorded as a failure
            adapter["error"] = f"extraction crashed: {type(error).__name__}: {error}"
            self.stats.inc_value("newsarchive/extract/crashed")
            logger.exception("extraction crashed for %s", adapter["url"])
            return item
        adapter["extraction"] = extraction
        record = extraction.record
        apply_hints(extraction, adapter["hints"])
        self.stats.inc_value(
            "newsarchive/extract/articles" if extraction.is_article else "newsarchive/extract/non_articles"
        )
        if extraction.is_article:
            for name, empty in (
                ("title", not record.title),
                ("published", not record.published),
                ("authors", not record.authors),
                ("body", not record.body),
            ):
                if empty:
                    self.stats.inc_value(f"newsarchive/extract/no_{name}")
        return item
