"""One politeness budget per site across all the workers of a shared frontier, kept in Redis.

Scrapy's DOWNLOAD_DELAY and AutoThrottle act per process: N workers would hit a site N times as often as
its delay allows. Here each request first reserves its site's next free moment in Redis (the delay after
the previous request of any worker), then waits for it. Enabled only with a shared frontier (--redis).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

#: Reserve the next free moment of a site: KEYS: the site's key; ARGV: delay seconds. Returns seconds to wait.
#: Redis' own clock, so that workers on several machines agree.
_RESERVE = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1e6
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0') + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], tostring(at), 'EX', 3600)
return tostring(at - now)
"""


class SharedDelayMiddleware:
    """Downloader middleware: one delay budget per site across all workers, kept in Redis.

    Each request reserves its site's next free moment (the site's download_delay after the previous
    request of any worker) and waits for it; Scrapy's own per-process delay is off for those sites.
    """

    def __init__(self, crawler: Crawler, server: Any, prefix: str, default_delay: float) -> None:
        self.crawler = crawler
        self.prefix = prefix
        self.default_delay = default_delay
        self.reserve = server.register_script(_RESERVE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedDelayMiddleware:
        settings = crawler.settings
        if not settings.get("NEWSARCHIVE_FRONTIER_PREFIX"):
            raise NotConfigured  # no shared frontier: Scrapy's own delays apply (no message: it would log a warning)
        from scrapy_redis.connection import from_settings

        return cls(crawler, from_settings(settings), settings.get("NEWSARCHIVE_FRONTIER_PREFIX"),
                   settings.getfloat("NEWSARCHIVE_SHARED_DELAY", 0.0))

    def _delay(self, request: Request) -> float:
        spider = self.crawler.spider
        site = request.meta.get("site")
        for target in getattr(spider, "targets", []):
            if target.name == site and target.download_delay is not None:
                return float(target.download_delay)
        return self.default_delay

    async def process_request(self, request: Request) -> None:
        delay = self._delay(request)
        if delay <= 0:
            return
        host = urlsplit(request.url).netloc.lower().removeprefix("www.")
        wait = float(self.reserve(keys=[f"{self.prefix}:site:{host}"], args=[delay]))
        self.crawler.stats.inc_value("newsarchive/frontier/delay_reservations")
        if wait > 0:
            from twisted.internet import reactor  # imported late: the crawl chooses its reactor first

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
