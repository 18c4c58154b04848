"""Every item lost to a fault is a fetch_failures row and makes the run exit 1 (real processes, loopback).

Faults are injected at start-up (tests.faults_support): an exception in a spider callback, in the store
or extract stage, a worker process that dies on one page. Canonical URLs that would merge articles are
not trusted. A corrupt file does not stop `extract`.
"""

from __future__ import annotations

import gzip

from tests.dbquery import query, scalar
from tests.faults_support import child_env, newsarchive
from tests.routes_server import Route, RoutesServer, article_html, filler, many_articles_site

ARTICLES = 12
#: The page the injected faults aim at.
TARGET = "/news/story-number-3-about-the-town/"


def crawl(server: RoutesServer, db: str, env: dict[str, str]) -> object:
    return newsarchive("crawl", server.base_url, "--db", db, "--local", "--no-resume", "--name", "town", env=env)


def test_an_exception_in_a_spider_callback_is_a_failure_row_and_exit_1(tmp_path, sqlite_url):
    inject = (
        "from scraper.spiders import news\n"
        "original = news.NewsSpider.parse_page\n"
        "def parse_page(self, response):\n"
        f"    if response.url.endswith({TARGET!r}):\n"
        "        raise RuntimeError('injected callback fault')\n"
        "    yield from original(self, response)\n"
        "news.NewsSpider.parse_page = parse_page\n"
    )
    with RoutesServer(many_articles_site(ARTICLES)) as server:
        result = crawl(server, sqlite_url, child_env(inject, tmp_path))
    assert result.returncode == 1, result.stderr[-3000:]
    assert "lost to faults" in result.stdout
    rows = query(sqlite_url, "SELECT url, reason, run_id FROM fetch_failures")
    assert [(r.url, r.reason) for r in rows] == [
        (server.base_url.rstrip("/") + TARGET, "spider error: RuntimeError: injected callback fault")
    ]
    assert scalar(sqlite_url, "SELECT count(*) FROM articles") == ARTICLES - 1


def test_an_exception_in_the_store_stage_is_a_failure_row_and_exit_1(tmp_path, sqlite_url):
    inject = (
        "from pipelines import ingest\n"
        "original = ingest.ingest_page\n"
        "def ingest_page(context, session, page, adapter):\n"
        f"    if page.url.endswith({TARGET!r}):\n"
        "        raise KeyError('injected store fault')\n"
        "    return original(context, session, page, adapter)\n"
        "ingest.ingest_page = ingest_page\n"
    )
    with RoutesServer(many_articles_site(ARTICLES)) as server:
        result = crawl(server, sqlite_url, child_env(inject, tmp_path))
    assert result.returncode == 1, result.stderr[-3000:]
    rows = query(sqlite_url, "SELECT url, reason FROM fetch_failures")
    assert [(r.url, r.reason) for r in rows] == [
        (server.base_url.rstrip("/") + TARGET, "store crashed: KeyError: 'injected store fault'")
    ]
    assert scalar(sqlite_url, "SELECT count(*) FROM articles") == ARTICLES - 1
    counts = scalar(sqlite_url, "SELECT counts FROM crawl_runs")
    assert '"failed": 1' in str(counts).replace("'", '"')


def test_a_page_that_kills_the_extract_worker_is_a_failure_and_the_crawl_goes_on(tmp_path, sqlite_url):
    inject = (
        "import os, multiprocessing\n"
        "from pipelines.extraction import extract\n"
        "original = extract.extract_page\n"
        "def extract_page(body, url, *args):\n"
        "    if url.endswith(" + repr(TARGET) + ") and multiprocessing.parent_process() is not None:\n"
        "        os._exit(9)  # as a segfault in a parser would\n"
        "    return original(body, url, *args)\n"
        "extract.extract_page = extract_page\n"
        "from pipelines import extract_stage\n"
        "extract_stage.extract_page = extract_page\n"
    )
    with RoutesServer(many_articles_site(ARTICLES)) as server:
        result = crawl(server, sqlite_url, child_env(inject, tmp_path))
    assert result.returncode == 1, result.stderr[-3000:]
    reasons = [r.reason for r in query(sqlite_url, "SELECT reason FROM fetch_failures")]
    assert reasons == ["extraction crashed: WorkerDied: the worker process died running extract_page"]
    assert scalar(sqlite_url, "SELECT count(*) FROM articles") == ARTICLES - 1


def canonical_site(count: int) -> dict[str, Route]:
    """Articles that all declare the home page, a section page or another site as their canonical URL."""
    routes = many_articles_site(count)
    for i, (path, route) in enumerate(list(routes.items())[1:]):
        canonical = ["{base}", "{base}news/", "https://elsewhere.example/a/", "{base}tag/town/"][i % 4]
        body = route.body.decode().replace("<head>", f'<head><link rel="canonical" href="{canonical}">')
        routes[path] = Route(body=body.encode())
    return routes


def test_untrustworthy_canonical_urls_do_not_merge_articles(sqlite_url):
    with RoutesServer(canonical_site(8)) as server:
        base = server.base_url
        for route in server.routes.values():
            route.body = route.body.replace(b"{base}", base.encode())
        result = newsarchive("crawl", base, "--db", sqlite_url, "--local", "--no-resume")
    assert result.returncode == 0, result.stderr[-3000:]
    urls = {r.canonical_url for r in query(sqlite_url, "SELECT canonical_url FROM articles")}
    assert urls == {f"{base}news/story-number-{i}-about-the-town/" for i in range(8)}
    notes = [r.reason for r in query(sqlite_url, "SELECT reason FROM fetch_failures ORDER BY url")]
    assert len(notes) == 8 and all(n.startswith("canonical ") and " not used: " in n for n in notes)
    assert sum("outside the site's allowed domains" in n for n in notes) == 2


def test_two_texts_declaring_one_canonical_are_both_kept(sqlite_url):
    shared = "/news/the-one-true-story/"
    routes = {"/": Route(body=b'<html><body><a href="/news/first-copy/">a</a> <a href="/news/second-copy/">b</a></body></html>')}
    for slug in ("first-copy", "second-copy"):
        page = article_html(f"Story {slug}", [filler(slug)]).replace("<head>", f'<head><link rel="canonical" href="{{base}}{shared[1:]}">')
        routes[f"/news/{slug}/"] = Route(body=page.encode())
    with RoutesServer(routes) as server:
        base = server.base_url
        for route in server.routes.values():
            route.body = route.body.replace(b"{base}", base.encode())
        result = newsarchive("crawl", base, "--db", sqlite_url, "--local", "--no-resume")
    assert result.returncode == 0, result.stderr[-3000:]
    rows = query(sqlite_url, "SELECT canonical_url, body FROM articles ORDER BY id")
    assert len(rows) == 2 and rows[0].body != rows[1].body
    keys = {r.canonical_url for r in rows}
    assert base + shared[1:] in keys and len(keys) == 2
    reasons = [r.reason for r in query(sqlite_url, "SELECT reason FROM fetch_failures")]
    assert len(reasons) == 1 and "has a different text under it" in reasons[0]


def test_extract_reports_a_corrupt_gzip_and_goes_on(tmp_path):
    good = tmp_path / "good.html.gz"
    good.write_bytes(gzip.compress(article_html("Fine story", [filler("fine")]).encode()))
    bad = tmp_path / "bad.html.gz"
    bad.write_bytes(gzip.compress(b"<html>" * 50)[:30] + b"\x00garbage" * 10)
    result = newsarchive("extract", str(bad), str(good))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and '"error"' in lines[0] and '"Fine story"' in lines[1]
    assert "Traceback" not in result.stderr
