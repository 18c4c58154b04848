"""Hand-off to storage: every item becomes rows. Nothing fetched is lost; failures are rows too."""

from __future__ import annotations

import atexit
import logging
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from pipelines.ingest import StoreContext, ingest
from pipelines.worker import worker_for
from storage.db import ArchiveError, open_archive
from storage.runs import add_run_counts, finish_run, record_failure, start_run

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from storage.db import Archive

logger = logging.getLogger(__name__)

#: Stats of faults copied into the run's counts (by their last part): lost items, and a shared frontier's
#: dead workers and the leases they left, which the others took over.
FAULT_COUNTS = ("database_errors", "database_full", "errors", "workers_lost", "leases_expired")


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
        self.stopping = False

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
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.spider_error, signal=signals.spider_error)
        return pipeline

    def open_spider(self) -> None:
        self.archive = open_archive(self.db_url)
        # Workers of a shared frontier share one run row, opened by the first of them.
        self.shared = self.stats.get_value("newsarchive/shared_run_id") is not None
        if self.shared:
            self.run_id = int(self.stats.get_value("newsarchive/shared_run_id"))
        else:
            sites = [t.name for t in getattr(self.crawler.spider, "targets", [])]
            with self.archive.sessions.begin() as session:
                self.run_id = start_run(session, self.run_kind, sites)
        self.stats.set_value("newsarchive/run_id", self.run_id)

    def spider_closed(self, reason: str) -> None:
        """Close the run row; connected to spider_closed because only that signal carries the reason.

        A worker of a shared run adds its counts (and the faults its frontier saw) to the run's row; the
        last worker to stop sets the status.
        """
        if self.archive is None:
            return
        status = "ok" if reason == "finished" else "interrupted" if reason == "shutdown" else "failed"
        counts = dict(self.counts)
        counts.update({f"{site}/{k}": v for site, c in self.per_site.items() for k, v in c.items()})
        for key, value in self.stats.get_stats().items():
            if key.startswith(("newsarchive/frontier/", "newsarchive/store/", "newsarchive/pipeline/",
                               "newsarchive/spider/")) and key.endswith(FAULT_COUNTS):
                counts[key.rsplit("/", 1)[1]] = int(value)
        try:
            with self.archive.sessions.begin() as session:
                if not self.shared:
                    finish_run(session, self.run_id, status, counts)
                else:
                    if reason != "finished":
                        counts["workers_stopped"] = 1
                    last = bool(self.stats.get_value("newsarchive/shared_run_last"))
                    add_run_counts(session, self.run_id, counts, status if last else None)
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
        """Never raises: an item that cannot be stored leaves a failure row and counts toward exit 1."""
        assert self.archive is not None
        context = StoreContext(self.archive.url, self.run_id, self.store_listings)
        try:
            outcome, problem = await self.worker.run(store_item, context, item)
        except Exception as error:  # the worker died on this item, or the item cannot reach it
            logger.exception("could not store %s", ItemAdapter(item).get("url"))
            self._lost(item, f"store crashed: {type(error).__name__}: {error}")
            outcome, problem = "failed", "errors"
        if problem:
            self.stats.inc_value(f"newsarchive/store/{problem}")
        if problem == "database_full" and not self.stopping:
            # Every further page would fail the same way: stop cleanly, so the operator can free space.
            self.stopping = True
            logger.error("the database is full: stopping this run (free space, then run again)")
            deferred_from_coro(self.crawler.stop_async())
        self._count(ItemAdapter(item).get("site") or "", outcome)
        return item

    def _lost(self, item: Any, reason: str) -> None:
        """Record, from the crawl process, an item that a pipeline or the worker could not handle."""
        if self.archive is None:
            return
        adapter = ItemAdapter(item)
        _record_failure(self.archive, self.run_id, adapter.get("url") or "", adapter.get("site"), reason)

    def item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        """An exception in another pipeline (extract, dedup) cost this item: a failure row and exit 1."""
        self.stats.inc_value("newsarchive/pipeline/errors")
        self._lost(item, f"pipeline error: {failure.type.__name__}: {failure.getErrorMessage()}"[:500])

    def spider_error(self, failure: Any, response: Any, spider: Any) -> None:
        """An exception in a spider callback or errback: what the response would have yielded is lost."""
        self.stats.inc_value("newsarchive/spider/errors")
        request = getattr(response, "request", None) or getattr(failure, "request", None)
        url = getattr(response, "url", None) or getattr(request, "url", "")
        site = request.meta.get("site") if request is not None else None
        if self.archive is not None:
            reason = f"spider error: {failure.type.__name__}: {failure.getErrorMessage()}"[:500]
            _record_failure(self.archive, self.run_id, url, site, reason)


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


def store_item(context: StoreContext, item: Any) -> tuple[str, str | None]:
    """Write one item in its own transaction; (outcome, the problem stat when it was lost, else None).

    Whatever goes wrong, the item is not dropped silently: a failure row says it was fetched and not stored.
    """
    archive = _archive(context.db_url)
    adapter = ItemAdapter(item)
    try:
        return _store_retrying(context, archive, item, adapter), None
    except (SQLAlchemyError, ArchiveError) as error:
        logger.error("database error while storing %s: %s", adapter.get("url"), error)
        _record_failure(archive, context.run_id, adapter.get("url"), adapter.get("site"), f"database error: {error}")
        return "failed", "database_full" if _disk_full(error) else "database_errors"
    except Exception as error:  # a bug must cost one item, recorded, not the run or a silent drop
        logger.exception("storing %s crashed", adapter.get("url"))
        reason = f"store crashed: {type(error).__name__}: {error}"
        _record_failure(archive, context.run_id, adapter.get("url"), adapter.get("site"), reason)
        return "failed", "errors"


#: Seconds an item waits for a database that went away (a restart, a fail-over) before it counts as lost.
DATABASE_WAIT = 120.0


def _store_retrying(context: StoreContext, archive: Archive, item: Any, adapter: ItemAdapter) -> str:
    """Store the item; while the database is unreachable, wait and try again (up to DATABASE_WAIT s).

    A PostgreSQL restart then costs a pause, not the pages fetched meanwhile. Runs in the store worker
    process, so the crawl itself is not blocked; it slows down as the worker's queue fills.
    """
    deadline = time.monotonic() + DATABASE_WAIT
    pause = 0.5
    while True:
        try:
            with archive.sessions.begin() as session:
                return ingest(context, session, item)
        except (OperationalError, InterfaceError) as error:
            if not _unreachable(archive, error) or time.monotonic() + pause > deadline:
                raise
            logger.warning("database unreachable while storing %s (%s); retrying in %.1f s",
                           adapter.get("url"), getattr(error, "orig", error), pause)
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def _unreachable(archive: Archive, error: DBAPIError) -> bool:
    """A PostgreSQL connection that broke or cannot be made (class 08, admin shutdown 57P), not a bad query."""
    if archive.dialect != "postgresql":
        return False  # SQLite waits for locks itself (busy_timeout); its other errors do not pass
    state = getattr(error.orig, "sqlstate", None)
    return bool(error.connection_invalidated) or state is None or state.startswith(("08", "57P"))


def _disk_full(error: Exception) -> bool:
    """SQLite's SQLITE_FULL ("database or disk is full") or PostgreSQL's disk_full (53100)."""
    original = getattr(error, "orig", error)
    return "database or disk is full" in str(original) or getattr(original, "sqlstate", None) == "53100"


def _record_failure(archive: Archive, run_id: int | None, url: str | None, site: str | None, reason: str) -> None:
    """Second chance: keep at least a failure row saying the page was fetched but not stored."""
    try:
        with archive.sessions.begin() as session:
            record_failure(session, url=url or "", reason=reason[:500], site=site, run_id=run_id)
    except Exception as error:  # the database itself may be what failed; the stat still counts the item
        logger.error("could not record the failure of %s either: %s", url, getattr(error, "orig", error))


