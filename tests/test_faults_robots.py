"""robots.txt holds for every request, including those that arrive while it is still being fetched.

Requests that reach the robots middleware before a site's robots.txt has been answered wait for it. Scrapy
hands the answer to the waiters through one shared Deferred awaited as an asyncio Future, which consumes
it: only the first waiter got the rules, every later one got None and went out unchecked. A run resumed
after a kill answers the stored pages at once, so their links (disallowed ones included) pile up behind
robots.txt; that is how a resumed refresh came to fetch /private/ and /search?q=... now and then.
"""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from scraper.middlewares import StrictRobotsTxtMiddleware
from tests.cli import run_newsarchive
from tests.routes_server import Route, RoutesServer, many_articles_site

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def test_every_request_waiting_for_robots_txt_gets_its_rules():
    """Seven requests wait for one robots.txt held back by the test: each disallowed one is refused."""
    urls = ["http://site.test/", *(f"http://site.test/private/{i}/" for i in range(5)), "http://site.test/news/a/"]

    async def scenario() -> tuple[list[str], list[object]]:
        released = asyncio.Event()
        fetched: list[str] = []

        class Engine:
            async def download_async(self, request: Request) -> TextResponse:
                fetched.append(request.url)
                await released.wait()
                return TextResponse(request.url, body=ROBOTS, encoding="utf-8", request=request)

        crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})
        crawler.engine = Engine()  # type: ignore[assignment]
        middleware = StrictRobotsTxtMiddleware.from_crawler(crawler)
        tasks = [asyncio.ensure_future(middleware.process_request(Request(url))) for url in urls]
        for _ in range(10):  # let every request reach the middleware and wait there
            await asyncio.sleep(0)
        assert not any(task.done() for task in tasks), "a request went on before robots.txt was answered"
        released.set()
        return fetched, await asyncio.gather(*tasks, return_exceptions=True)

    fetched, outcomes = asyncio.run(scenario())
    assert fetched == ["http://site.test/robots.txt"]
    refused = [url for url, outcome in zip(urls, outcomes, strict=True) if isinstance(outcome, IgnoreRequest)]
    assert refused == urls[1:6]
    assert all(outcome is None for url, outcome in zip(urls, outcomes, strict=True) if url not in refused)


def test_a_run_resumed_after_a_kill_obeys_a_slow_robots_txt(tmp_path, sqlite_url):
    """The killed run's stored front page is replayed at once; its links to disallowed pages wait for a
    robots.txt that takes half a second, and none of them is fetched."""
    routes = many_articles_site(4)
    private = [f"/private/draft-{i}/" for i in range(8)]
    links = "".join(f'<a href="{path}">draft</a>' for path in private)
    routes["/"] = Route(body=routes["/"].body.replace(b"</body>", links.encode() + b"</body>"))
    for path in private:
        routes[path] = Route(body=b"<html><body><h1>Draft</h1></body></html>")
    routes["/robots.txt"] = Route(body=ROBOTS, content_type="text/plain", delay=0.5)
    with RoutesServer(routes) as server:
        args = ("crawl", server.base_url, "--db", sqlite_url, "--local", "--no-resume")
        first = run_newsarchive(*args)
        assert first.returncode == 0, first.stderr[-3000:]
        # As if the run had been killed before closing: the next one replays the pages it stored.
        engine = sa.create_engine(sqlite_url)
        with engine.begin() as connection:
            connection.execute(sa.text("UPDATE crawl_runs SET status = 'running'"))
        engine.dispose()
        server.requests.clear()
        again = run_newsarchive(*args)
        log = list(server.requests)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "replaying 1 killed run(s)" in again.stderr
    assert [path for path, _status in log if path.startswith("/private/")] == []
    assert "8 forbidden by robots.txt" in again.stdout
