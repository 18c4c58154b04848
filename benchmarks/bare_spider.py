"""Baseline: a bare Scrapy spider that only downloads a generated site's pages (no extraction, no storage).

Two modes, both with our crawl's --local settings (16 requests in flight, 16 per domain, no delay, no
AutoThrottle) and robots.txt obeyed (Scrapy's RobotsTxtMiddleware fetches /robots.txt once):

- replay (`--replay FILE`, what `benchmarks/crawl.py` measures): download exactly the requests listed in
  FILE, one `METHOD<TAB>/path?query` a line, each once and in file order: no link following, no
  duplicate filter, no redirect following and no retries (the list already holds the redirect targets
  and the retry of a 5xx as separate lines, as our crawl sent them), every status handed to the callback.
  Given the request log of our crawl, it fetches the same pages our crawl fetched.
- follow (no `--replay`): start at the home page and follow every same-site `<a href>` (Scrapy's
  LinkExtractor: fragments dropped, files such as the PDF skipped, tracking-parameter duplicates *not*
  merged), redirects and 5xx retries as Scrapy does by default. It fetches more pages than our crawl,
  so it is no like-for-like baseline; kept for reference.

    .venv/bin/python benchmarks/bare_spider.py --articles 2000     # serve a site, crawl it (follow) in a child
    .venv/bin/python benchmarks/bare_spider.py --url http://127.0.0.1:8000 [--replay FILE]   # in-process, JSON
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import scrapy  # noqa: E402
from scrapy.crawler import CrawlerProcess  # noqa: E402
from scrapy.http import HtmlResponse  # noqa: E402
from scrapy.linkextractors import LinkExtractor  # noqa: E402

from benchmarks.crawl_runner import coverage, measure, serve  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

#: No throttling, no delay, 16 requests in flight (per domain too: every page is on one host), as with
#: our crawl's --local (scraper.runner.LOCAL_SITE_SETTINGS).
BARE_SETTINGS: dict[str, Any] = {
    "LOG_LEVEL": "WARNING",
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "ROBOTSTXT_OBEY": True,
    "HTTPCACHE_ENABLED": False,
    "ITEM_PIPELINES": {},
}

#: Replay: every listed request is sent once, exactly as listed, and nothing else (but robots.txt).
REPLAY_SETTINGS: dict[str, Any] = {
    **BARE_SETTINGS,
    "REDIRECT_ENABLED": False,
    "RETRY_ENABLED": False,
    "HTTPERROR_ALLOW_ALL": True,
    # requests are issued in file order
    "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
}


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        parts = urlsplit(base_url)
        self.start_url = base_url.rstrip("/") + "/"
        self.allowed_domains = [parts.hostname or ""]
        # LinkExtractor compares the netloc, port included
        self.links = LinkExtractor(allow_domains=[parts.netloc])

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url, callback=self.parse)

    def parse(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        self.crawler.stats.inc_value("bare/pages")
        if not isinstance(response, HtmlResponse):
            return
        for link in self.links.extract_links(response):
            yield response.follow(link.url, callback=self.parse)


class ReplaySpider(scrapy.Spider):
    """Downloads the requests listed in a file (see the module docstring) and does nothing with them."""

    name = "bare-replay"

    def __init__(self, base_url: str, replay: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = base_url.rstrip("/")
        self.replay = replay

    async def start(self) -> AsyncIterator[scrapy.Request]:
        with open(self.replay, encoding="utf-8") as lines:
            for line in lines:
                method, _, target = line.rstrip("\n").partition("\t")
                if target:
                    yield scrapy.Request(
                        self.base + target, method=method, callback=self.parse, dont_filter=True
                    )

    def parse(self, response: scrapy.http.Response) -> None:
        self.crawler.stats.inc_value("bare/pages")


def run_bare(base_url: str, replay: str | None = None) -> dict[str, Any]:
    """Crawl base_url in this process (once per process: the reactor cannot restart)."""
    process = CrawlerProcess(settings=REPLAY_SETTINGS if replay else BARE_SETTINGS)
    crawler = process.create_crawler(ReplaySpider if replay else BareSpider)
    started = time.perf_counter()
    if replay:
        process.crawl(crawler, base_url=base_url, replay=replay)
    else:
        process.crawl(crawler, base_url=base_url)
    process.start()
    seconds = time.perf_counter() - started
    stats = crawler.stats.get_stats() if crawler.stats else {}
    prefix = "downloader/response_status_count/"
    return {
        "pages": stats.get("bare/pages", 0),
        "responses": stats.get("response_received_count", 0),
        "statuses": {k.removeprefix(prefix): v for k, v in sorted(stats.items()) if k.startswith(prefix)},
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000, help="articles in the generated site")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", help="crawl this site in-process and print one JSON line (child mode)")
    parser.add_argument("--replay", help="with --url: download exactly the requests listed in this file")
    args = parser.parse_args(argv)
    if args.url:
        print(json.dumps(run_bare(args.url, args.replay)))
        return 0
    with serve(args.articles, args.seed) as (site, server):
        measured = measure([sys.executable, str(Path(__file__).resolve()), "--url", server.base_url])
        result = measured.result()
        seen = coverage(site, server)
    figures = {
        "articles": args.articles,
        **result,
        "pages_per_second": round(result["pages"] / result["seconds"], 1) if result["seconds"] else None,
        "child_seconds": round(measured.seconds, 2),
        "child_cpu_seconds": round(measured.cpu_seconds, 2),
        "peak_rss_mb": round(measured.peak_rss_mb, 1),
        "server": seen,
    }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
