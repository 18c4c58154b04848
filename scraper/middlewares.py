"""Downloader middlewares, one class per concern."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred

from scraper.delayed import NOT_BEFORE
from scraper.http_dates import parse_http_date
from scraper.urls import normalize_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    when = parse_http_date(text)
    return None if when is None else max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


#: Answers whose Location header sends the client elsewhere.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, plus a wait before each retry: Retry-After when the server sends it, else exponential.

    The wait is a due time on the retry request, which the scheduler holds until then (scraper.delayed):
    the downloader stays free for the other sites meanwhile.
    """

    def __init__(self, settings, base: float = 1.0, cap: float = 120.0) -> None:  # type: ignore[no-untyped-def]
        super().__init__(settings)
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        settings = crawler.settings
        middleware = cls(
            settings,
            base=settings.getfloat("NEWSARCHIVE_BACKOFF_BASE", 1.0),
            cap=settings.getfloat("NEWSARCHIVE_BACKOFF_MAX", 120.0),
        )
        middleware.crawler = crawler
        return middleware

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        attempt = retry.meta.get("retry_times", 1)
        stated = retry_after_seconds(response.headers.get(b"Retry-After"))
        delay = stated if stated is not None else self.base * 2 ** (attempt - 1)
        delay = min(delay, self.cap)
        retry.meta[NOT_BEFORE] = time.time() + delay
        self.crawler.stats.inc_value("newsarchive/retry/waits")
        logger.debug("retrying %s in %.1fs (HTTP %s)", request.url, delay, response.status)
        return retry


class ConditionalRequestMiddleware:
    """Ask with If-None-Match / If-Modified-Since for pages the archive already holds.

    The validators come from the spider's frontier (loaded from the archive at the start of the run); a
    redirected request passes here again, so the page a redirect leads to is asked for conditionally too.
    A 304 reaches the spider, which yields NotModified: no download, no extraction.
    """

    def __init__(self, stats) -> None:  # type: ignore[no-untyped-def]
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        middleware = cls(crawler.stats)
        middleware.crawler = crawler
        return middleware

    def process_request(self, request: Request) -> None:
        frontier = getattr(self.crawler.spider, "frontier", None)
        if frontier is None or not request.meta.get("page"):
            return
        # A redirected request carries the headers of the URL it came from: ask afresh for this URL.
        request.headers.pop(b"If-None-Match", None)
        request.headers.pop(b"If-Modified-Since", None)
        known = frontier.known.get(normalize_url(request.url))
        if known is None:
            return
        if known.etag:
            request.headers[b"If-None-Match"] = known.etag
        if known.last_modified:
            request.headers[b"If-Modified-Since"] = known.last_modified
        elif known.last_fetched_at:
            request.headers[b"If-Modified-Since"] = format_datetime(known.last_fetched_at, usegmt=True)
        if b"If-Modified-Since" in request.headers or b"If-None-Match" in request.headers:
            request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", []), 304]
            self.stats.inc_value("newsarchive/conditional_requests")


class RedirectLoopMiddleware:
    """Turn a redirect back to a URL already on the request's redirect chain into a recorded failure.

    Scrapy would schedule the redirect, and its duplicate filter would drop it without a word: the page
    would vanish from the run. Placed after (above) RedirectMiddleware so it sees the 3xx first.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        target = normalize_url(urljoin(request.url, location.decode("latin-1")))
        chain = {normalize_url(url) for url in [*request.meta.get("redirect_urls", []), request.url]}
        if target in chain:
            raise IgnoreRequest(f"redirect loop back to {target}")
        return response


class _Unreadable:
    """A robots.txt that could not be read: nothing is allowed until it can be."""

    def allowed(self, url: str, user_agent: str | bytes) -> bool:
        return False


#: The IgnoreRequest message of a page not fetched because its site's robots.txt could not be read.
ROBOTS_UNREADABLE = "robots.txt could not be read (server error or no answer): not fetched"


def _hand_on(result: Any, waiter: Deferred[Any]) -> Any:
    """Give one waiter the rules and keep them in the shared Deferred for the next one."""
    waiter.callback(result)
    return result


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with two changes that keep every request under the site's rules.

    Requests that arrive while a site's robots.txt is being fetched all wait for it. Scrapy awaits the one
    Deferred they share as an asyncio Future, which consumes its result: the first waiter gets the rules,
    every later one gets None, and None lets the request through unchecked. After a killed run, whose
    stored pages are answered at once (scraper.resume), dozens of links wait that way, so
    disallowed pages were fetched. Here each waiter waits on a Deferred of its own.

    A robots.txt that fails (5xx, timeout, refused) forbids the site: Scrapy would allow everything, so a
    worker whose robots.txt request hits a rate limit or an error would crawl disallowed paths from its
    first request. Such a site's pages are not fetched in this run; each becomes a failure row (the spider
    records ROBOTS_UNREADABLE), so the run exits 1 and the next run tries again. A 4xx robots.txt still
    means "no rules", as the standard says.
    """

    async def robot_parser(self, request: Request) -> Any:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)  # fetches robots.txt, or the rules are known
        waiter: Deferred[Any] = Deferred()
        pending.addBoth(_hand_on, waiter)
        return await maybe_deferred_to_future(waiter)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._unreadable(netloc)
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._unreadable(netloc)

    def _unreadable(self, netloc: str) -> None:
        self._stats.inc_value("newsarchive/robots_unreadable")
        waiting = self._parsers[netloc]
        self._parsers[netloc] = _Unreadable()
        if isinstance(waiting, Deferred):
            waiting.callback(self._parsers[netloc])

    def process_request_2(self, rp: Any, request: Request) -> None:
        # No rules at hand (None) cannot mean "allowed" here: a failed robots.txt is _Unreadable, a missing
        # one parses as empty rules, so None could only come from a waiter that lost the answer.
        if rp is None or isinstance(rp, _Unreadable):
            raise IgnoreRequest(ROBOTS_UNREADABLE)
        super().process_request_2(rp, request)
