"""The news spider: discovers article URLs on listed sites and fetches them. It never extracts fields."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import HtmlResponse, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from scraper.discovery import FEED_TYPES, DiscoveredUrl, parse_feed, parse_sitemap, robots_sitemaps
from scraper.frontier import Frontier, load_frontier
from scraper.items import FetchedPage, FetchFailure, FoundVia, NotModified
from scraper.sites import SiteConfig, load_sites, site_for_url
from scraper.urls import in_domains, is_page_link, normalize_url, variant_key

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

_HTML_TYPES = (b"text/html", b"application/xhtml+xml")


#: The target of an <a href>: scanned in the raw text, since building a DOM of every page just for its links
#: would cost the crawl more than the rest of the spider (the worker parses the page for extraction).
_A_HREF = re.compile(
    r"""<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)


#: Link targets remembered per site before the memory is cleared (navigation links come back at once).
LINKS_SEEN_MAX = 20_000


def link_targets(text: str) -> list[str]:
    """The href values of the page's <a> elements, entities decoded, in page order."""
    return [html.unescape(next(group for group in match.groups() if group is not None)) for match in _A_HREF.finditer(text)]


def _absolute(href: str, origin: str, response: TextResponse) -> str:
    """The absolute URL of a link; the common forms without urljoin, which costs more than the rest."""
    if href.startswith(("http://", "https://")):
        return href
    if href.startswith("/") and not href.startswith("//"):
        return origin + href
    return response.urljoin(href)


def _now() -> datetime:
    return datetime.now(UTC)


def _headers(response: scrapy.http.Response) -> dict[str, str]:
    return {
        key.decode("latin-1"): b", ".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }


class NewsSpider(scrapy.Spider):
    """Crawl sites from a sites file or start URLs.

    Arguments (``-a`` on the scrapy command line): ``start_urls`` (comma-separated), ``site`` (a name for
    them), ``sites`` (path to a sites.toml), ``only`` (one site name of that file), ``mode``
    ("crawl": full discovery; "refresh": feeds, sitemaps, front pages and re-checks of recent articles).
    """

    name = "news"

    def __init__(
        self,
        start_urls: str | list[str] | None = None,
        site: str | None = None,
        sites: str | list[SiteConfig] | None = None,
        only: str | None = None,
        mode: str = "crawl",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.targets = self._targets(start_urls, site, sites, only)
        if mode not in ("crawl", "refresh"):
            raise ValueError(f"mode must be 'crawl' or 'refresh', not {mode!r}")
        self.mode = mode
        self.scheduled: Counter[str] = Counter()
        self.capped: set[str] = set()
        self.frontier = Frontier()
        #: variant keys (see scraper.urls.variant_key) of pages scheduled in this run
        self.scheduled_variants: set[str] = set()
        #: sitemap documents requested and not yet answered, per site; the URLs they list; sites where one failed
        self.open_sitemaps: Counter[str] = Counter()
        self.sitemap_requested: set[str] = set()
        self.sitemap_listed: dict[str, set[str]] = {}
        self.sitemap_failed: set[str] = set()
        #: absolute link targets already considered, per site
        self.links_seen: dict[str, set[str]] = {}
        self._patterns = {t.name: re.compile(t.article_pattern) for t in self.targets if t.article_pattern}

    @staticmethod
    def _targets(
        start_urls: str | list[str] | None,
        site: str | None,
        sites: str | list[SiteConfig] | None,
        only: str | None,
    ) -> list[SiteConfig]:
        targets: list[SiteConfig] = []
        if isinstance(sites, str):
            targets.extend(load_sites(sites))
        elif sites:
            targets.extend(sites)
        urls = start_urls.split(",") if isinstance(start_urls, str) else list(start_urls or [])
        targets.extend(site_for_url(url.strip(), site) for url in urls if url.strip())
        if only:
            targets = [t for t in targets if t.name == only]
            if not targets:
                raise ValueError(f"no site named {only!r} in the sites file")
        if not targets:
            raise ValueError("nothing to crawl: give start_urls or a sites file")
        return targets

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.default_max_pages = crawler.settings.getint("NEWSARCHIVE_MAX_PAGES_PER_SITE", 5000)
        spider.refresh_depth = crawler.settings.getint("NEWSARCHIVE_REFRESH_DEPTH", 2)
        spider.recheck_dropped = crawler.settings.getint("NEWSARCHIVE_RECHECK_DROPPED", 500)
        slots = dict(crawler.settings.getdict("DOWNLOAD_SLOTS"))
        shared = crawler.settings.getbool("NEWSARCHIVE_SHARED_POLITENESS")  # the delay is kept in Redis
        for target in spider.targets:
            if target.download_delay is not None and not shared:
                # Scrapy keys download slots by the request's full host name.
                for domain in target.domains:
                    bare = domain.removeprefix("www.")
                    for host in (bare, f"www.{bare}"):
                        slots[host] = {**slots.get(host, {}), "delay": target.download_delay}
        if slots:
            crawler.settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        return spider

    # --- scheduling -------------------------------------------------------------------------------

    def _site(self, name: str) -> SiteConfig:
        return next(t for t in self.targets if t.name == name)

    def _request(
        self, url: str, site: SiteConfig, callback: Any, found_via: FoundVia, **meta: Any
    ) -> scrapy.Request | None:
        """A request for url, or None when it is off-site, a variant of a scheduled or known page, or over the cap.

        The cap counts pages found by discovery (home, links, feeds, sitemaps): robots.txt, sitemaps, feeds
        and re-checks (bounded by their own settings) never take a new article's place.
        """
        url = normalize_url(url)
        if callback == self.parse_sitemap and url in self.sitemap_requested:
            return None  # listed twice (robots.txt and an index): its answer is counted once
        if not found_via.is_document and found_via != FoundVia.HOME and not in_domains(url, site.domains):
            return None
        page = callback == self.parse_page
        if page and found_via != FoundVia.RECHECK:
            key = variant_key(url)
            if key in self.scheduled_variants or (
                self.mode == "refresh" and found_via == FoundVia.LINK and key in self.frontier.known_variants
            ):
                return None
            limit = site.max_pages or self.default_max_pages
            if self.scheduled[site.name] >= limit:
                if site.name not in self.capped:
                    self.capped.add(site.name)
                    self.logger.info("site %s reached its cap of %d pages for this run", site.name, limit)
                    self.crawler.stats.inc_value("newsarchive/capped_sites")
                return None
            self.scheduled_variants.add(key)
            self.scheduled[site.name] += 1
        priority = 10 if found_via.is_document or found_via == FoundVia.HOME else 0
        if site.name in self._patterns and self._patterns[site.name].search(url):
            priority += 1
        meta = {"site": site.name, "found_via": found_via, "page": page, **meta}
        sitemap = callback == self.parse_sitemap
        if sitemap:
            # Counted until answered, so never left to the duplicate filter (a link may have fetched it first).
            self.sitemap_requested.add(url)
            self.open_sitemaps[site.name] += 1
            meta["sitemap"] = True
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, meta=meta, priority=priority, dont_filter=sitemap
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.frontier = load_frontier(
            self.settings.get("NEWSARCHIVE_DB"),
            self.targets,
            self.mode,
            rolling=self.settings.getint("NEWSARCHIVE_RECHECK_ROLLING", 25),
        )
        for target in self.targets:
            for request in self._start_requests(target):
                if request is not None:
                    yield request

    def _start_requests(self, target: SiteConfig) -> Iterator[scrapy.Request | None]:
        yield self._request(target.url, target, self.parse_page, FoundVia.HOME)
        origin = urljoin(target.url, "/")
        if target.sitemaps:
            for url in target.sitemaps:
                yield self._request(url, target, self.parse_sitemap, FoundVia.SITEMAP_DOC)
        else:
            yield self._request(
                urljoin(origin, "robots.txt"), target, self.parse_robots, FoundVia.ROBOTS, probe=True
            )
        for url in target.feeds:
            yield self._request(url, target, self.parse_feed, FoundVia.FEED_DOC)
        if self.mode == "refresh":
            for url in self.frontier.recheck.get(target.name, ()):
                yield self._request(url, target, self.parse_page, FoundVia.RECHECK)

    # --- discovery documents ----------------------------------------------------------------------

    def parse_robots(self, response: scrapy.http.Response) -> Iterator[scrapy.Request | None]:
        site = self._site(response.meta["site"])
        text = (
            response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        )
        sitemaps = robots_sitemaps(text, response.url) or [urljoin(response.url, "/sitemap.xml")]
        for url in sitemaps:
            yield self._request(url, site, self.parse_sitemap, FoundVia.SITEMAP_DOC, probe=True)

    def parse_sitemap(self, response: scrapy.http.Response) -> Iterator[scrapy.Request | None]:
        site = self._site(response.meta["site"])
        kind, entries = parse_sitemap(response.body, response.url)
        yield from self._sitemap_document(site, kind, entries)
        yield from self._sitemap_answered(site)

    def _sitemap_document(
        self, site: SiteConfig, kind: str, entries: list[DiscoveredUrl]
    ) -> Iterator[scrapy.Request | None]:
        """What one sitemap document lists, however it was reached."""
        self.crawler.stats.inc_value("newsarchive/discovery/sitemaps")
        if kind == "urlset" and self.mode == "refresh":  # only a refresh looks for what dropped out
            self.sitemap_listed.setdefault(site.name, set()).update(variant_key(e.url) for e in entries)
        yield from self._sitemap_requests(site, kind, entries)

    def _sitemap_requests(self, site: SiteConfig, kind: str, entries: list[DiscoveredUrl]) -> Iterator[scrapy.Request | None]:
        for entry in entries:
            if kind == "index":
                yield self._request(entry.url, site, self.parse_sitemap, FoundVia.SITEMAP_DOC)
                continue
            if self._unchanged_since_last_fetch(normalize_url(entry.url), entry.lastmod):
                self.crawler.stats.inc_value("newsarchive/refresh/skipped_by_lastmod")
                continue
            hints = {
                k: v
                for k, v in (
                    ("lastmod", entry.lastmod),
                    ("title", entry.title),
                    ("published", entry.published),
                )
                if v
            }
            if (request := self._request(entry.url, site, self.parse_page, FoundVia.SITEMAP, hints=hints)) is not None:
                yield request

    def _sitemap_answered(self, site: SiteConfig, failed: bool = False) -> Iterator[scrapy.Request | None]:
        """Count one sitemap answer; when a refresh has read all of a site's sitemaps, re-check the known
        articles they no longer list (deleted or moved pages drop out of a sitemap before anything else)."""
        if failed:
            self.sitemap_failed.add(site.name)
        self.open_sitemaps[site.name] -= 1
        if self.mode != "refresh" or self.open_sitemaps[site.name] != 0 or site.name in self.sitemap_failed:
            return
        listed = self.sitemap_listed.get(site.name)
        if not listed:
            return  # no sitemap listed any page: nothing can have dropped out
        dropped = [
            url
            for url, known in self.frontier.known.items()
            if known.site == site.name and known.kind == "article" and not known.gone
            and variant_key(url) not in listed
        ][: self.recheck_dropped]
        self.crawler.stats.inc_value("newsarchive/refresh/dropped_from_sitemaps", len(dropped))
        for url in dropped:
            yield self._request(url, site, self.parse_page, FoundVia.RECHECK)

    def parse_feed(self, response: scrapy.http.Response) -> Iterator[scrapy.Request | None]:
        site = self._site(response.meta["site"])
        yield from self._feed_entries(site, parse_feed(response.body, response.url))

    def _feed_entries(self, site: SiteConfig, entries: list[DiscoveredUrl]) -> Iterator[scrapy.Request | None]:
        self.crawler.stats.inc_value("newsarchive/discovery/feeds")
        for entry in entries:
            if self.mode == "refresh" and normalize_url(entry.url) in self.frontier.known:
                continue
            hints = {k: v for k, v in (("title", entry.title), ("published", entry.published)) if v}
            if (request := self._request(entry.url, site, self.parse_page, FoundVia.FEED, hints=hints)) is not None:
                yield request

    def _unchanged_since_last_fetch(self, url: str, lastmod: datetime | None) -> bool:
        """In a refresh, a known article is skipped unless its sitemap lastmod is newer than our copy."""
        known = self.frontier.known.get(url)
        if known is None or self.mode != "refresh":
            return known is not None and known.gone
        if known.gone:
            return True
        if lastmod is None:
            return known.kind == "article"
        return known.unchanged_since(lastmod)

    # --- pages ------------------------------------------------------------------------------------

    def parse_page(self, response: scrapy.http.Response) -> Iterator[Any]:
        site = self._site(response.meta["site"])
        found_via = response.meta.get("found_via", FoundVia.LINK)
        if response.status == 304:
            yield NotModified(url=response.url, site=site.name, fetched_at=_now())
            return
        content_type = (response.headers.get(b"Content-Type") or b"").lower()
        if not isinstance(response, HtmlResponse) and not any(t in content_type for t in _HTML_TYPES):
            # A feed or sitemap reached through a link before its own request: read it as what it is.
            kind, entries = parse_sitemap(response.body, response.url)
            if kind != "unknown":
                yield from self._sitemap_document(site, kind, entries)
                return
            if feed_entries := parse_feed(response.body, response.url):
                yield from self._feed_entries(site, feed_entries)
                return
            shown = content_type.decode("latin-1") or "no content type"
            yield FetchFailure(
                response.url, f"not an HTML page ({shown})", site.name, _now(), response.status, skipped=True
            )
            return
        if not response.body.strip():
            yield FetchFailure(
                response.url, "empty response body", site.name, _now(), response.status, skipped=True
            )
            return
        if "replayed" in response.flags:
            pass  # stored by the killed run this one resumes: only its links are wanted
        else:
            yield self._fetched_page(response, site, found_via)
        if found_via == FoundVia.HOME and not site.feeds:
            yield from self._feed_requests(response, site)
        yield from self._follow_links(response, site)

    def _fetched_page(self, response: HtmlResponse, site: SiteConfig, found_via: FoundVia) -> FetchedPage:
        return FetchedPage(
            url=normalize_url(response.url),
            request_url=response.request.url if response.request else response.url,
            status=response.status,
            headers=_headers(response),
            body=response.body,
            fetched_at=_now(),
            site=site.name,
            found_via=found_via,
            redirect_urls=[normalize_url(u) for u in response.meta.get("redirect_urls", [])],
            hints=response.meta.get("hints", {}),
            overrides=dict(site.extraction),
            domains=tuple(site.domains),
            home_url=site.url,
        )

    def _feed_requests(self, response: TextResponse, site: SiteConfig) -> Iterator[scrapy.Request | None]:
        for link in response.xpath("//link[@rel='alternate'][@href]"):
            if (link.attrib.get("type") or "").lower() in FEED_TYPES:
                yield self._request(response.urljoin(link.attrib["href"]), site, self.parse_feed, FoundVia.FEED_DOC)

    def _follow_links(self, response: TextResponse, site: SiteConfig) -> Iterator[scrapy.Request | None]:
        if self.mode == "refresh":
            # A refresh looks for new URLs on the front page and the listings it links to, not in articles
            # it re-checks or finds through feeds and sitemaps.
            if response.meta.get("depth", 0) >= self.refresh_depth:
                return
            if response.meta.get("found_via") not in (FoundVia.HOME, FoundVia.LINK):
                return
        seen = self.links_seen.setdefault(site.name, set())
        if len(seen) > LINKS_SEEN_MAX:
            seen.clear()  # a cache, not a record: memory stays flat however large the site
        parts = urlsplit(response.url)
        origin = f"{parts.scheme}://{parts.netloc}"
        for href in dict.fromkeys(link_targets(response.text)):
            url = _absolute(href.strip(), origin, response)
            if url in seen:
                continue  # navigation repeats on every page: decide about each link once per run
            seen.add(url)
            if not is_page_link(url) or not in_domains(url, site.domains):
                continue
            if self.mode == "refresh":
                known = self.frontier.known.get(normalize_url(url))
                if known is not None and (known.kind in ("article", "other") or known.gone):
                    continue
            if (request := self._request(url, site, self.parse_page, FoundVia.LINK)) is not None:
                yield request  # Scrapy spends a task on every output, None included

    # --- failures ---------------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator[FetchFailure | scrapy.Request | None]:
        """Errback of every request. Errback output bypasses spider middlewares: a shared frontier's
        tracker (scraper.leases) is told here what it yields."""
        tracker = getattr(self, "output_tracker", None)
        outputs = self._on_error(failure)
        return tracker.track(failure.request, outputs) if tracker is not None else outputs  # type: ignore[attr-defined]

    def _on_error(self, failure: Failure) -> Iterator[FetchFailure | scrapy.Request | None]:
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        if meta.get("sitemap"):
            # A missing /sitemap.xml probe is no failure; any other sitemap error makes the list incomplete.
            yield from self._sitemap_answered(self._site(meta["site"]), failed=not meta.get("probe"))
        if meta.get("probe"):
            return
        status = None
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = f"HTTP {status}"
        elif failure.check(DNSLookupError):
            reason = "DNS lookup failed"
        elif failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
            reason = "timed out"
        elif failure.check(scrapy.exceptions.IgnoreRequest) and "redirect" in failure.getErrorMessage():
            reason = f"redirect loop or chain too long ({failure.getErrorMessage()})"
        elif failure.check(scrapy.exceptions.IgnoreRequest) and "robots.txt could not" in failure.getErrorMessage():
            reason = failure.getErrorMessage()
        elif failure.check(scrapy.exceptions.IgnoreRequest) and "DOWNLOAD_MAXSIZE" in failure.getErrorMessage():
            reason = f"too large ({failure.getErrorMessage()})"  # e.g. a gzip bomb, once decompressed
        elif failure.check(scrapy.exceptions.IgnoreRequest):  # robots.txt, off-site: by policy, not a fault
            self.crawler.stats.inc_value("newsarchive/ignored_requests")
            return
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        yield FetchFailure(
            request.url, reason, meta.get("site", urlsplit(request.url).hostname or ""), _now(), status
        )
