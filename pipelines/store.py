"""Hand-off to storage: every item becomes rows. Nothing fetched is lost; failures are rows too."""

from __future__ import annotations

import atexit
import logging
from collections import Counter
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured
from sqlalchemy.exc import SQLAlchemyError

from pipelines.ingest import StoreContext
from pipelines.ingest import ingest as _store
from pipelines.worker import worker_for
from storage.db import ArchiveError, open_archive
from storage.runs import finish_run, record_failure, start_run

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from storage.db import Archive

logger = logging.getLogger(__name__)


class StorePipeline:
    """Writes each item in its own transaction, so a killed crawl loses nothing it committed."""

    def __init__(
        self, db_url: str | None, run_kind: str, store_listings: bool, stats: StatsCollector
    ) -> None:
        self.db_url = db_url
        self.run_kind = run_kind
        self.store_listings = store_listings
        self.stats = stats
        self.counts: Counter[str] = Counter()
        self.per_site: dict[str, Counter[str]] = {}
        self.archive: Archive | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        kind = settings.get("NEWSARCHIVE_RUN_KIND", "crawl")
        if kind not in ("crawl", "refresh", "demo"):
            raise NotConfigured(f"NEWSARCHIVE_RUN_KIND must be crawl, refresh or demo, not {kind!r}")
        pipeline = cls(
            settings.get("NEWSARCHIVE_DB"),
            kind,
            settings.getbool("NEWSARCHIVE_STORE_LISTING_PAGES", True),
            crawler.stats,
        )
        pipeline.crawler = crawler
        pipeline.worker = worker_for(crawler, "store")
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.archive = open_archive(self.db_url)
        sites = [t.name for t in getattr(self.crawler.spider, "targets", [])]
        with self.archive.sessions.begin() as session:
            self.run_id = start_run(session, self.run_kind, sites)
        self.stats.set_value("newsarchive/run_id", self.run_id)

    def spider_closed(self, reason: str) -> None:
        """Close the run row; connected to spider_closed because only that signal carries the reason."""
        if self.archive is None:
            return
        status = "ok" if reason == "finished" else "interrupted" if reason == "shutdown" else "failed"
        counts = dict(self.counts)
        counts.update({f"{site}/{k}": v for site, c in self.per_site.items() for k, v in c.items()})
        try:
            with self.archive.sessions.begin() as session:
                finish_run(session, self.run_id, status, counts)
        except SQLAlchemyError as error:
            logger.error("could not close the run record: %s", error)
        self.archive.dispose()
        self.archive = None
        close_archives()  # those store_item opened in this process (inline mode)

    def _count(self, site: str, outcome: str) -> None:
        self.counts[outcome] += 1
        self.per_site.setdefault(site, Counter())[outcome] += 1
        self.stats.inc_value(f"newsarchive/store/{outcome}")
        self.stats.inc_value(f"newsarchive/site/{site}/{outcome}")

    async def process_item(self, item: Any) -> Any:
        assert self.archive is not None
        context = StoreContext(self.archive.url, self.run_id, self.store_listings)
        outcome, database_error = await self.worker.run(store_item, context, item)
        if database_error:
            self.stats.inc_value("newsarchive/store/database_errors")
        self._count(ItemAdapter(item).get("site") or "", outcome)
        return item


#: Archives opened by store_item, per database URL and process (the worker's, or the crawl's when inline).
_ARCHIVES: dict[str, Archive] = {}


def _archive(db_url: str) -> Archive:
    if db_url not in _ARCHIVES:
        _ARCHIVES[db_url] = open_archive(db_url, upgrade=False)  # the crawl migrated it before starting
        atexit.register(_ARCHIVES[db_url].dispose)
    return _ARCHIVES[db_url]


def close_archives() -> None:
    while _ARCHIVES:
        _ARCHIVES.popitem()[1].dispose()


def store_item(context: StoreContext, item: Any) -> tuple[str, bool]:
    """Write one item in its own transaction; (outcome, whether the database failed)."""
    archive = _archive(context.db_url)
    adapter = ItemAdapter(item)
    try:
        with archive.sessions.begin() as session:
            return _store(context, session, adapter), False
    except (SQLAlchemyError, ArchiveError) as error:
        logger.error("database error while storing %s: %s", adapter.get("url"), error)
        _record_database_error(archive, context, adapter, error)
        return "failed", True


def _record_database_error(archive: Archive, context: StoreContext, adapter: ItemAdapter, error: Exception) -> None:
    """Second chance: keep at least a failure row saying the page was fetched but not stored."""
    try:
        with archive.sessions.begin() as session:
            record_failure(
                session,
                url=adapter.get("url"),
                reason=f"database error: {error}"[:500],
                site=adapter.get("site"),
                run_id=context.run_id,
            )
    except (SQLAlchemyError, ArchiveError):
        logger.error("could not record the failure of %s either", adapter.get("url"))
