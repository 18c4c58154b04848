"""A one-line progress display for crawls run in a terminal (logs stay plain lines otherwise)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class ProgressLine:
    """Redraws one status line on stderr every half second; enabled by NEWSARCHIVE_PROGRESS."""

    def __init__(self, stats: StatsCollector, interval: float = 0.5) -> None:
        self.stats = stats
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        if not crawler.settings.getbool("NEWSARCHIVE_PROGRESS"):
            raise NotConfigured  # no message: Scrapy would log a warning for an ordinary non-terminal run
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def line(self) -> str:
        value = self.stats.get_value
        stored = sum(value(f"newsarchive/store/{k}", 0) for k in ("new", "changed", "unchanged"))
        return (
            f"fetched {value('downloader/response_count', 0)}  "
            f"articles {stored} (new {value('newsarchive/store/new', 0)}, "
            f"changed {value('newsarchive/store/changed', 0)})  "
            f"not modified {value('newsarchive/store/not_modified', 0)}  "
            f"failed {value('newsarchive/store/failed', 0)}"
        )

    def draw(self) -> None:
        sys.stderr.write("\r\x1b[K" + self.line())
        sys.stderr.flush()

    def spider_opened(self) -> None:
        self.loop = task.LoopingCall(self.draw)
        self.loop.start(self.interval)

    def spider_closed(self) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self.draw()
        sys.stderr.write("\n")
