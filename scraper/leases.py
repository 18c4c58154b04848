"""Knowing when a request is done with: its callback's output consumed and every item it yielded stored.

A shared frontier leases each request to the worker that takes it and may forget it only once nothing of
it can be lost any more (scraper.redis_frontier). Scrapy has no signal for that moment, so it is counted
here: the items a callback or errback yields, then the item_scraped / item_dropped / item_error signal of
each. `OutputTracker.done` is called once per request, when both are through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import Request, signals

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterable, Iterator

    from scrapy.crawler import Crawler

#: Spider attribute holding the run's tracker, when the scheduler wants one (a shared frontier).
TRACKER_ATTRIBUTE = "output_tracker"


class _Open:
    __slots__ = ("finished", "items")

    def __init__(self) -> None:
        self.items = 0
        self.finished = False


class OutputTracker:
    """Calls `done(request)` when a request's output is consumed and its items are through the pipelines."""

    def __init__(self, crawler: Crawler, done: Callable[[Request], None]) -> None:
        self.done = done
        self.open: dict[int, tuple[Request, _Open]] = {}
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self._item_done, signal=signal)

    def _begin(self, request: Request) -> _Open:
        entry = _Open()
        self.open[id(request)] = (request, entry)
        return entry

    def _close(self, request: Request, entry: _Open) -> None:
        if entry.finished and entry.items <= 0 and self.open.pop(id(request), None) is not None:
            self.done(request)

    def _output(self, request: Request, entry: _Open, output: Any) -> None:
        if output is not None and not isinstance(output, Request):
            entry.items += 1

    def track(self, request: Request, outputs: Iterable[Any]) -> Iterator[Any]:
        entry = self._begin(request)
        try:
            for output in outputs:
                self._output(request, entry, output)
                yield output
        finally:
            entry.finished = True
            self._close(request, entry)

    async def track_async(self, request: Request, outputs: AsyncIterator[Any]) -> AsyncIterator[Any]:
        entry = self._begin(request)
        try:
            async for output in outputs:
                self._output(request, entry, output)
                yield output
        finally:
            entry.finished = True
            self._close(request, entry)

    def _item_done(self, response: Any = None, **_kwargs: Any) -> None:
        request = getattr(response, "request", None)
        found = self.open.get(id(request)) if request is not None else None
        if found is not None:
            found[1].items -= 1
            self._close(*found)


class TrackOutputMiddleware:
    """Spider middleware: counts what each callback yields for the spider's output tracker, if it has one."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrackOutputMiddleware:
        return cls(crawler)

    async def process_spider_output(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        tracker: OutputTracker | None = getattr(self.crawler.spider, TRACKER_ATTRIBUTE, None)
        if tracker is None or response.request is None:
            async for output in result:
                yield output
            return
        async for output in tracker.track_async(response.request, result):
            yield output
