"""Requests that must wait (a retry after 429 / Retry-After, or backoff) wait in the scheduler.

Sleeping in a downloader middleware would keep the request counted as an active download: a handful of
rate-limited requests would fill CONCURRENT_REQUESTS and stall every other site of the crawl. Here a
request carrying a due time in its meta (`NOT_BEFORE`) is held aside by the scheduler and handed to the
engine when due; the downloader never sees it meanwhile. A run stopped before then puts held requests in
its queue, so a resumed run (job directory or Redis frontier) still fetches them.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy.core.scheduler import Scheduler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from twisted.internet.base import DelayedCall

logger = logging.getLogger(__name__)

#: Request meta key: the time.time() before which the request must not be downloaded.
NOT_BEFORE = "newsarchive_not_before"


class HoldsDelayedRequests:
    """Scheduler mixin: holds requests until their NOT_BEFORE time; put before the scheduler class."""

    crawler: Crawler
    held: dict[int, tuple[Request, DelayedCall]]

    def _hold_init(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.held = {}

    def enqueue_request(self, request: Request) -> bool:
        due = request.meta.get(NOT_BEFORE)
        wait = due - time.time() if due else 0.0
        if wait > 0:
            from twisted.internet import reactor  # imported late: the crawl chooses its reactor first

            self.held[id(request)] = (request, reactor.callLater(wait, self._hand_over, request))
            self.crawler.stats.inc_value("newsarchive/retry/held")
            return True
        request.meta.pop(NOT_BEFORE, None)
        return super().enqueue_request(request)  # type: ignore[misc]

    def _hand_over(self, request: Request) -> None:
        self.held.pop(id(request), None)
        request.meta.pop(NOT_BEFORE, None)
        assert self.crawler.engine is not None
        self.crawler.engine.crawl(request)  # back through enqueue_request, and wakes the engine up

    def has_pending_requests(self) -> bool:
        return bool(self.held) or super().has_pending_requests()  # type: ignore[misc]

    def put_back_held(self) -> None:
        """Queue every held request at once (the run is stopping: they must outlive it)."""
        for request, call in self.held.values():
            if call.active():
                call.cancel()
            request.meta.pop(NOT_BEFORE, None)
        held, self.held = list(self.held.values()), {}
        for request, _call in held:
            self.enqueue_request(request)


#: Request meta key: the request was handed out by the scheduler and is not done with yet.
_OUT = "newsarchive_out"


class DelayingScheduler(HoldsDelayedRequests, Scheduler):
    """Scrapy's scheduler (memory and job-directory queues) that holds requests until they are due, and
    hands out at most NEWSARCHIVE_MAX_IN_FLIGHT requests not yet done with (downloading, or waiting for
    extraction and storage). A run killed outright (SIGKILL) loses only those: the next run replays what
    was stored and fetches them again, so this bounds the repeated requests a kill costs."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        scheduler = super().from_crawler(crawler)
        scheduler._hold_init(crawler)
        scheduler.max_out = crawler.settings.getint("NEWSARCHIVE_MAX_IN_FLIGHT", 32)
        scheduler.out = 0
        return scheduler

    def open(self, spider: Any) -> Any:
        from scraper.leases import TRACKER_ATTRIBUTE, OutputTracker

        setattr(spider, TRACKER_ATTRIBUTE, OutputTracker(self.crawler, self._done))
        return super().open(spider)

    def _done(self, request: Request) -> None:
        if request.meta.pop(_OUT, None):
            self.out -= 1

    def enqueue_request(self, request: Request) -> bool:
        self._done(request)  # a redirect or a retry replaces the request it was made from
        return super().enqueue_request(request)

    def next_request(self) -> Any:
        if self.max_out and self.out >= self.max_out:
            if not self._engine_busy():
                # Nothing downloads and nothing is being processed: a request left without being counted
                # done (a bug) must not stall the crawl for ever.
                logger.warning("%d requests counted in flight with nothing in flight: count reset", self.out)
                self.out = 0
            else:
                return None
        request = super().next_request()
        if request is not None:
            request.meta[_OUT] = True
            self.out += 1
        return request

    def _engine_busy(self) -> bool:
        engine = self.crawler.engine
        scraper_slot = getattr(getattr(engine, "scraper", None), "slot", None)
        return bool(getattr(getattr(engine, "downloader", None), "active", None)) or (
            scraper_slot is not None and not scraper_slot.is_idle()
        )

    def close(self, reason: str) -> Any:
        self.put_back_held()
        return super().close(reason)
