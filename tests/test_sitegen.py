"""The generated news site (tests/sitegen) behaves as its docstrings promise, checked with plain urllib."""

from __future__ import annotations

import gzip
import json
import time
import tracemalloc
import urllib.error
import urllib.request
from collections import deque
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

import pytest

from tests.sitegen import LINK_VARIANTS, PAGE_SIZE, TEMPLATES, GeneratedSite, SiteServer, resolve
from tests.sitegen.site import LATEST_IN_FEEDS, PUBLISH_SPAN

if TYPE_CHECKING:
    from collections.abc import Iterator

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) without following redirects and without raising on 4xx/5xx."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_ok(url: str) -> bytes:
    status, _, body = fetch(url)
    assert status == 200, url
    return body


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.canonical: str | None = None
        self.alternates: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        elif tag == "link" and a.get("rel") == "alternate":
            self.alternates.append((a.get("type", ""), a.get("href", "")))


def parse_links(body: bytes) -> _Links:
    parser = _Links()
    parser.feed(body.decode("utf-8"))
    return parser


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[GeneratedSite, SiteServer]]:
    """A read-only site; tests that mutate build their own."""
    site = GeneratedSite(n_articles=120, seed=7)
    with SiteServer(site, fail_once=()) as server:
        yield site, server


@pytest.fixture
def fresh() -> Iterator[tuple[GeneratedSite, SiteServer]]:
    site = GeneratedSite(n_articles=40, seed=3)
    with SiteServer(site, fail_once=()) as server:
        yield site, server


# ----- the model -----


def test_same_seed_same_site_and_pages() -> None:
    one, two = GeneratedSite(60, seed=5), GeneratedSite(60, seed=5)
    assert one.articles == two.articles
    assert [a.body for a in one.articles] == [a.body for a in two.articles]
    for path in ("/", one.articles[7].path, "/feed/rss.xml", "/sitemaps/economy.xml"):
        assert resolve(one, path, "http://x").body == resolve(two, path, "http://x").body
    assert [a.title for a in GeneratedSite(60, seed=6).articles] != [a.title for a in one.articles]


def test_article_records_are_plausible() -> None:
    site = GeneratedSite(120, seed=2)
    articles = site.articles
    assert len(articles) == 120
    assert len({a.body for a in articles}) == 120
    assert len({a.slug for a in articles}) == 120
    assert {a.template for a in articles} == set(TEMPLATES)
    assert {a.section for a in articles} == set(site.sections)
    assert any(a.modified for a in articles) and not all(a.modified for a in articles)
    for a in articles:
        assert 1 <= len(a.authors) <= 3 and 4 <= len(a.paragraphs) <= 8 and a.tags
        assert a.published.tzinfo is not None
        assert site.now - PUBLISH_SPAN - timedelta(days=1) <= a.published < site.now
        assert a.modified is None or a.published < a.modified <= site.now
    assert [a.published for a in articles] == sorted((a.published for a in articles), reverse=True)


# ----- robots, sitemaps, feeds -----


def test_robots_txt(served: tuple[GeneratedSite, SiteServer]) -> None:
    site, server = served
    lines = get_ok(server.base_url + "/robots.txt").decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /private/" in lines and "Disallow: /search" in lines
    assert f"Sitemap: {server.base_url}/sitemap_index.xml" in lines
    assert site.disallowed_prefixes == ("/private/", "/search")


def test_sitemap_index_leads_to_every_live_article(served: tuple[GeneratedSite, SiteServer]) -> None:
    site, server = served
    index = ElementTree.fromstring(get_ok(server.base_url + "/sitemap_index.xml"))
    locs = [s.findtext(f"{SM}loc") for s in index.iter(f"{SM}sitemap")]
    assert all(s.findtext(f"{SM}lastmod") for s in index.iter(f"{SM}sitemap"))
    assert len(locs) == len(site.sections) and sum(loc.endswith(".xml.gz") for loc in locs) == 1
    lastmods = {}
    for loc in locs:
        body = get_ok(loc)
        if loc.endswith(".gz"):
            body = gzip.decompress(body)
        for url in ElementTree.fromstring(body).iter(f"{SM}url"):
            lastmods[url.findtext(f"{SM}loc")] = url.findtext(f"{SM}lastmod")
    assert sorted(lastmods) == sorted(site.article_urls(server.base_url))
    for article in site.articles:
        assert lastmods[server.base_url + article.path] == article.lastmod.isoformat()


def test_news_sitemap_has_the_last_two_days(served: tuple[GeneratedSite, SiteServer]) -> None:
    site, server = served
    root = ElementTree.fromstring(get_ok(server.base_url + "/news-sitemap.xml"))
    entries = {u.findtext(f"{SM}loc"): u.find(f"{NEWS}news") for u in root.iter(f"{SM}url")}
    recent = [a for a in site.articles if a.published >= site.now - timedelta(days=2)]
    assert recent and sorted(entries) == sorted(server.base_url + a.path for a in recent)
    for article in recent:
        news = entries[server.base_url + article.path]
        assert news.findtext(f"{NEWS}title") == article.title
        assert news.findtext(f"{NEWS}publication_date") == article.published.isoformat()


def test_feeds_list_the_latest_articles(served: tuple[GeneratedSite, SiteServer]) -> None:
    site, server = served
    base = server.base_url
    latest = site.article_urls(base)[:LATEST_IN_FEEDS]
    rss = ElementTree.fromstring(get_ok(base + "/feed/rss.xml"))
    items = rss.findall("./channel/item")
    assert [i.findtext("link") for i in items] == latest
    first = site.articles[0]
    assert items[0].findtext("title") == first.title
    assert parsedate_to_datetime(items[0].findtext("pubDate")) == first.published
    atom = ElementTree.fromstring(get_ok(base + "/feed/atom.xml"))
    assert [e.find(f"{ATOM}link").get("href") for e in atom.findall(f"{ATOM}entry")] == latest
    feed = json.loads(get_ok(base + "/feed/feed.json"))
    assert [i["url"] for i in feed["items"]] == latest
    assert [a["name"] for a in feed["items"][0]["authors"]] == list(first.authors)
    alternates = parse_links(get_ok(base + "/")).alternates
    assert {t for t, _ in alternates} == {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
    }


# ----- HTTP behaviour -----


def test_conditional_get_answers_304(served: tuple[GeneratedSite, SiteServer]) -> None:
    site, server = served
    for path in ("/", site.articles[10].path, "/section/sport/", "/feed/atom.xml", "/robots.txt"):
        url = server.base_url + path
        status, headers, _ = fetch(url)
        assert status == 200 and headers["ETag"] and headers["Last-Modified"]
        status, again, body = fetch(url, {"If-None-Match": headers["ETag"]})
        assert (status, body, again["ETag"]) == (304, b"", headers["ETag"])
        status, _, body = fetch(url, {"If-Modified-Since": headers["Last-Modified"]})
        assert (status, body) == (304, b"")
        earlier = parsedate_to_datetime(headers["Last-Modified"]) - timedelta(seconds=1)
        assert fetch(url, {"If-Modified-Since": format_datetime(earlier, usegmt=True)})[0] == 200
        assert (
            fetch(url, {"If-None-Match": '"other"', "If-Modified-Since": headers["Last-Modified"]})[0] == 200
        )
    assert server.count(status=304) >= 10


def test_article_last_modified_is_its_lastmod(served: tuple[GeneratedSite, SiteServer]) -> None:
    site, server = served
    article = next(a for a in site.articles if a.modified)
    _, headers, _ = fetch(server.base_url + article.path)
    assert parsedate_to_datetime(headers["Last-Modified"]) == article.modified


def test_redirect_missing_and_files(served: tuple[GeneratedSite, SiteServer]) -> None:
    site, server = served
    article = site.articles[5]
    status, headers, _ = fetch(server.base_url + site.old_path(article.slug))
    assert (status, headers["Location"]) == (301, server.base_url + article.path)
    for path in (*site.missing_paths, "/nowhere/", "/section/nosuch/", "/old/no-such-story"):
        assert fetch(server.base_url + path)[0] == 404
    status, headers, body = fetch(server.base_url + site.pdf_path)
    assert status == 200 and headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    assert site.pdf_path in parse_links(get_ok(server.base_url + "/")).hrefs


def test_flaky_article_fails_once_per_server() -> None:
    site = GeneratedSite(30, seed=4)
    for _ in range(2):
        with SiteServer(site) as server:
            url = server.base_url + site.flaky_path
            assert [fetch(url)[0] for _ in range(3)] == [500, 200, 200]
            assert server.count(status=500) == 1
    assert site.flaky_path in {a.path for a in site.articles}


def test_rate_limited_path_answers_429_once() -> None:
    site = GeneratedSite(20, seed=4)
    with SiteServer(site, rate_limit_once=["/section/sport/"]) as server:
        status, headers, _ = fetch(server.base_url + "/section/sport/")
        assert (status, headers["Retry-After"]) == (429, "1")
        assert fetch(server.base_url + "/section/sport/")[0] == 200


def test_duplicate_variants_point_to_the_canonical_url(served: tuple[GeneratedSite, SiteServer]) -> None:
    site, server = served
    article = site.articles[12]
    canonical = server.base_url + article.path
    for variant in LINK_VARIANTS:
        url = urljoin(server.base_url, site.variant_path(article, variant))
        status, headers, body = fetch(url)
        if status == 301:
            status, _, body = fetch(headers["Location"])
        assert status == 200, variant
        assert parse_links(body).canonical == canonical, variant
    amp = get_ok(server.base_url + site.amp_path(article))
    assert b"<html amp" in amp and article.paragraphs[0].encode() in amp


def test_request_log(fresh: tuple[GeneratedSite, SiteServer], capfd: pytest.CaptureFixture[str]) -> None:
    site, server = fresh
    fetch(server.base_url + "/about/?x=1", {"X-Probe": "yes"})
    fetch(server.base_url + "/nowhere/")
    head = urllib.request.Request(server.base_url + "/contact/", method="HEAD")
    with urllib.request.urlopen(head, timeout=10) as response:
        assert int(response.headers["Content-Length"]) > 0 and response.read() == b""
    assert capfd.readouterr().err == ""
    assert server.paths_requested() == ["/about/?x=1", "/nowhere/", "/contact/"]
    first = server.requests[0]
    assert (first.method, first.status, first.headers["X-Probe"]) == ("GET", 200, "yes")
    assert first.time <= time.time()
    assert server.count(status=404) == 1 and server.count(path="/about/?x=1") == 1
    server.clear_log()
    assert server.requests == []


# ----- mutations -----


def _feed_links(base: str) -> list[str]:
    return [i.findtext("link") for i in ElementTree.fromstring(get_ok(base + "/feed/rss.xml")).iter("item")]


def _sitemap_lastmods(site: GeneratedSite, base: str) -> dict[str, str]:
    found = {}
    for path in site.sitemap_paths():
        body = get_ok(base + path)
        body = gzip.decompress(body) if path.endswith(".gz") else body
        for url in ElementTree.fromstring(body).iter(f"{SM}url"):
            found[url.findtext(f"{SM}loc")] = url.findtext(f"{SM}lastmod")
    return found


def test_add_article_appears_everywhere(fresh: tuple[GeneratedSite, SiteServer]) -> None:
    site, server = fresh
    base = server.base_url
    untouched = site.articles[3]
    etag_before = fetch(base + untouched.path)[1]["ETag"]
    home_etag = fetch(base + "/")[1]["ETag"]
    slug = site.add_article("science", authors=["Ada Reporter"])
    article = site.article(slug)
    url = base + article.path
    assert site.articles[0] == article and article.published == site.now
    assert article.path in parse_links(get_ok(base + "/")).hrefs
    assert article.path in parse_links(get_ok(base + "/section/science/")).hrefs
    assert article.path in parse_links(get_ok(base + "/author/ada-reporter/")).hrefs
    assert _feed_links(base)[0] == url
    assert url in _sitemap_lastmods(site, base)
    assert url in get_ok(base + "/news-sitemap.xml").decode()
    assert fetch(base + "/", {"If-None-Match": home_etag})[0] == 200
    assert fetch(base + untouched.path, {"If-None-Match": etag_before})[0] == 304


def test_edit_article_changes_text_and_validators(fresh: tuple[GeneratedSite, SiteServer]) -> None:
    site, server = fresh
    base = server.base_url
    before = site.articles[8]
    url = base + before.path
    status, headers, body = fetch(url)
    after = site.edit_article(before.slug)
    assert after.body != before.body and after.modified == site.now > before.lastmod
    status, new_headers, new_body = fetch(url, {"If-None-Match": headers["ETag"]})
    assert status == 200 and new_headers["ETag"] != headers["ETag"]
    assert parsedate_to_datetime(new_headers["Last-Modified"]) == after.modified
    assert after.paragraphs[0].encode() in new_body and before.paragraphs[0].encode() not in new_body
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 200
    assert _sitemap_lastmods(site, base)[url] == after.modified.isoformat()


@pytest.mark.parametrize("deleted_status", [404, 410])
def test_delete_article_removes_it(deleted_status: int) -> None:
    site = GeneratedSite(40, seed=3, deleted_status=deleted_status)
    victim = site.articles[0]
    with SiteServer(site, fail_once=()) as server:
        base = server.base_url
        url = base + victim.path
        site.delete_article(victim.slug)
        assert fetch(url)[0] == deleted_status
        assert url not in site.article_urls(base)
        assert victim.path not in get_ok(base + "/").decode()
        assert victim.path not in get_ok(base + f"/section/{victim.section}/").decode()
        assert url not in _feed_links(base) and url not in _sitemap_lastmods(site, base)
        assert url not in get_ok(base + "/news-sitemap.xml").decode()


# ----- crawling -----


def _bfs(base: str) -> tuple[set[str], list[str]]:
    """Follow every same-site, robots-allowed <a href> from the home page; (URLs answered 200, all fetched)."""
    robots = RobotFileParser()
    robots.parse(get_ok(base + "/robots.txt").decode().splitlines())
    host = urlsplit(base).netloc
    queue, seen, ok, fetched = deque([base + "/"]), {base + "/"}, set(), []
    while queue:
        url = queue.popleft()
        status, headers, body = fetch(url)
        if status == 500:
            status, headers, body = fetch(url)
        fetched.append(url)
        if status == 301:
            hrefs = [headers["Location"]]
        elif status == 200 and headers["Content-Type"].startswith("text/html"):
            ok.add(url)
            hrefs = parse_links(body).hrefs
        else:
            if status == 200:
                ok.add(url)
            continue
        for href in hrefs:
            link = urldefrag(urljoin(url, href)).url
            if urlsplit(link).netloc == host and link not in seen and robots.can_fetch("*", link):
                seen.add(link)
                queue.append(link)
    return ok, fetched


def test_bfs_from_home_reaches_every_page() -> None:
    site = GeneratedSite(40, seed=11)
    with SiteServer(site) as server:
        base = server.base_url
        ok, fetched = _bfs(base)
        assert set(site.article_urls(base)) <= ok
        assert set(site.non_article_urls(base)) <= ok
        assert not [u for u in fetched if site.is_disallowed(urlsplit(u).path)]
        assert not [p for p in server.paths_requested() if p.startswith(("/private", "/search"))]


def test_section_listings_page_through_every_article(served: tuple[GeneratedSite, SiteServer]) -> None:
    site, server = served
    base = server.base_url
    article_paths = {a.path for a in site.articles}
    listed = []
    for section in site.sections:
        page = 1
        while True:
            path = f"/section/{section}/" if page == 1 else f"/section/{section}/page/{page}/"
            hrefs = parse_links(get_ok(base + path)).hrefs
            # teasers link with relative paths; the sidebar's latest items are absolute URLs
            teasers = [h for h in dict.fromkeys(hrefs) if h in article_paths]
            assert 1 <= len(teasers) <= PAGE_SIZE
            assert all(h.startswith(f"/{section}/") for h in teasers)
            listed.extend(teasers)
            if f"/section/{section}/page/{page + 1}/" not in hrefs:
                break
            page += 1
        assert page == site.section_pages(section)
        assert fetch(f"{base}/section/{section}/page/{page + 1}/")[0] == 404
    assert sorted(listed) == sorted(article_paths)
    assert fetch(f"{base}/section/{site.sections[0]}/page/1/")[0] == 301


def test_ten_thousand_articles_are_quick() -> None:
    started = time.process_time()  # CPU time: other processes may load the machine
    site = GeneratedSite(10_000, seed=1)
    for path in (
        "/",
        site.articles[5000].path,
        "/section/culture/page/200/",
        "/feed/rss.xml",
        "/tag/climate/",
    ):
        assert resolve(site, path, "http://x").status == 200
    assert time.process_time() - started < 2.0


def test_articles_hold_records_not_pages() -> None:
    """About a kilobyte per article: text and HTML are generated on demand, never stored."""
    tracemalloc.start()
    try:
        site = GeneratedSite(1_000, seed=1)
        assert len(site.articles) == 1_000
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * 1024 * 1_000
