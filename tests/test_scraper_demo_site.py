"""The bundled demo news site: served on loopback, every article reachable, realistic enough to crawl for real."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections import Counter, deque
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree import ElementTree

import lxml.html
import pytest

from scraper.demo_site import DemoSite
from scraper.demo_site.content import SEED_ORIGIN
from scraper.demo_site.render import PAGE_SIZE
from tests.conftest import FIXTURES

SEED_SLUG = "us-halts-intelligence-sharing-with-ukraine"
SEED_TRUTH = FIXTURES / "seed-article" / "truth.json"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects; (status, headers, body) also for 3xx/4xx."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def page_tree(url: str) -> lxml.html.HtmlElement:
    status, _, body = fetch(url)
    assert status == 200, url
    return lxml.html.fromstring(body, base_url=url)


@pytest.fixture(scope="module")
def site() -> DemoSite:
    with DemoSite() as running:
        yield running


@pytest.fixture
def fresh_site() -> DemoSite:
    """A site of its own for tests that edit content."""
    with DemoSite() as running:
        yield running


def test_starts_on_a_free_loopback_port(site: DemoSite) -> None:
    parts = urlsplit(site.base_url)
    assert parts.scheme == "http" and parts.hostname == "127.0.0.1"
    assert parts.port and parts.port > 0 and site.base_url.endswith("/")


@pytest.mark.parametrize(
    "path",
    [
        "",
        "category/world/",
        "category/world/page/2/",
        "category/business/",
        "author/hassan-khan/",
        "author/ayesha-siddiqui/page/2/",
        "tag/ukraine/",
        "about-us/",
        "privacy-policy/",
        "contact-us/",
        "terms-and-conditions/",
    ],
)
def test_html_pages_respond(site: DemoSite, path: str) -> None:
    status, headers, body = fetch(site.base_url + path)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    tree = lxml.html.fromstring(body)
    assert body.lstrip().lower().startswith(b"<!doctype html>")
    assert tree.xpath("string(//link[@rel='canonical']/@href)").startswith(site.base_url)
    assert tree.xpath("//header") and tree.xpath("//main") and tree.xpath("//footer")


def test_sections_paginate_six_per_page(site: DemoSite) -> None:
    world = [a for a in site.articles.values() if a.section_slug == "world"]
    assert len(world) > PAGE_SIZE
    first = page_tree(site.base_url + "category/world/")
    second = page_tree(site.base_url + "category/world/page/2/")
    first_links = first.xpath("//main//h2[contains(@class, 'entry-title')]/a/@href")
    second_links = second.xpath("//main//h2[contains(@class, 'entry-title')]/a/@href")
    assert len(first_links) == PAGE_SIZE
    assert len(second_links) == len(world) - PAGE_SIZE
    assert second.xpath("//a[contains(@class, 'prev')]/@href") == [site.base_url + "category/world/"]
    assert fetch(site.base_url + "category/world/page/9/")[0] == 404


def test_search_finds_stories_and_is_kept_out_of_indexes(site: DemoSite) -> None:
    tree = page_tree(site.base_url + "search/?q=tunnel")
    assert tree.xpath("string(//meta[@name='robots']/@content)").startswith("noindex")
    hits = tree.xpath("//main//h2[contains(@class, 'entry-title')]/a/@href")
    assert site.url_for("alpine-rail-tunnel-opens-to-freight") in hits


def test_robots_sitemap_and_feed(site: DemoSite) -> None:
    status, headers, body = fetch(site.base_url + "robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    robots = body.decode()
    assert "Disallow: /search" in robots
    assert f"Sitemap: {site.base_url}sitemap.xml" in robots

    status, headers, body = fetch(site.base_url + "sitemap.xml")
    assert status == 200 and "xml" in headers["Content-Type"]
    urls = ElementTree.fromstring(body).findall("sm:url", SITEMAP_NS)
    assert sorted(u.findtext("sm:loc", namespaces=SITEMAP_NS) for u in urls) == sorted(site.article_urls())
    assert all(u.findtext("sm:lastmod", namespaces=SITEMAP_NS) for u in urls)

    status, headers, body = fetch(site.base_url + "feed/")
    assert status == 200 and "rss+xml" in headers["Content-Type"]
    channel = ElementTree.fromstring(body).find("channel")
    items = channel.findall("item")
    assert len(items) == 20
    newest = sorted(site.articles.values(), key=lambda a: a.published, reverse=True)[:20]
    assert [i.findtext("link") for i in items] == [site.url_for(a.slug) for a in newest]


def test_content_size_and_variety(site: DemoSite) -> None:
    articles = list(site.articles.values())
    assert len(articles) >= 32
    assert len({a.section for a in articles}) >= 3
    assert {"a", "b"} <= {a.template for a in articles}
    assert sum(len(a.authors) == 2 for a in articles) >= 3
    assert sum(a.modified is not None for a in articles) >= 3
    assert {a.published.year for a in articles} >= {2025, 2026}
    assert len({a.published.utcoffset() for a in articles}) >= 3
    assert len(site.article_urls()) == len(articles) == len(set(site.article_urls()))


def test_texts_are_unique_and_article_sized(site: DemoSite) -> None:
    paragraphs = Counter(p for a in site.articles.values() for p in a.paragraphs)
    assert [p for p, count in paragraphs.items() if count > 1] == []
    for article in site.articles.values():
        if article.template == "seed":
            continue
        assert 4 <= len(article.paragraphs) <= 9, article.slug
        assert all(60 <= len(p.split()) <= 150 for p in article.paragraphs), article.slug


def test_every_article_is_served_with_its_title_in_h1(site: DemoSite) -> None:
    for url in site.article_urls():
        status, headers, body = fetch(url)
        assert status == 200, url
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Last-Modified"].endswith("GMT")
        article = site.article_at(url)
        tree = lxml.html.fromstring(body)
        assert [" ".join(h.text_content().split()) for h in tree.xpath("//h1")] == [article.title]
        text = " ".join(tree.text_content().split())
        assert all(p in text for p in article.paragraphs), url


def test_templates_carry_their_own_metadata(site: DemoSite) -> None:
    two_authors = [a for a in site.articles.values() if len(a.authors) == 2]
    a_page = next(a for a in two_authors if a.template == "a")
    tree = page_tree(site.url_for(a_page.slug))
    graph = json.loads(tree.xpath("string(//script[@type='application/ld+json'])"))["@graph"]
    news = next(node for node in graph if node["@type"] == "NewsArticle")
    assert news["headline"] == a_page.title and news["datePublished"] == a_page.published.isoformat()
    assert tree.xpath("string(//meta[@property='article:section']/@content)") == a_page.section
    assert tree.xpath("//time[@datetime]")
    assert tree.xpath("//*[contains(text(), 'Read More:')]") and tree.xpath("//h2[text()='Related News']")

    b_page = next(a for a in two_authors if a.template == "b")
    tree = page_tree(site.url_for(b_page.slug))
    assert not tree.xpath("//script[@type='application/ld+json']")
    assert tree.xpath("string(//*[@itemprop='headline'])") == b_page.title
    assert tree.xpath("//*[@itemprop='author']//*[@itemprop='name']/text()") == list(b_page.authors)
    assert tree.xpath("string(//*[@itemprop='datePublished']/@datetime)") == b_page.published.isoformat()
    byline = " ".join(tree.xpath("string(//*[contains(@class, 'byline')])").split())
    assert byline == f"By {b_page.authors[0]} and {b_page.authors[1]}"
    body = tree.xpath("//*[@itemprop='articleBody']")[0]
    assert [p.text_content() for p in body.xpath("p")] == list(b_page.paragraphs)
    assert tree.xpath("//figure/figcaption") and tree.xpath(f"//h2[text()='More from {b_page.section}']")


def test_every_article_is_reachable_from_the_home_page(site: DemoSite) -> None:
    origin = site.base_url
    seen, queue = {origin}, deque([origin])
    while queue:
        url = queue.popleft()
        status, headers, body = fetch(url)
        if status != 200 or not headers.get("Content-Type", "").startswith("text/html"):
            continue
        for href in lxml.html.fromstring(body).xpath("//a/@href"):
            link = urldefrag(urljoin(url, href)).url
            if link.startswith(origin) and link not in seen and not urlsplit(link).path.startswith("/search"):
                seen.add(link)
                queue.append(link)
    assert set(site.article_urls()) <= seen


def test_no_internal_link_is_dead(site: DemoSite) -> None:
    """Every <a href> on the site, the seed page included, leads to a page (assets are not crawled)."""
    pages = [site.base_url, site.base_url + "category/world/", *site.article_urls()]
    links = set()
    for url in pages:
        for href in page_tree(url).xpath("//a/@href"):
            link = urldefrag(urljoin(url, href)).url
            if link.startswith(site.base_url.rstrip("/")):
                links.add(link)
    for link in sorted(links):
        status, headers, _ = fetch(link)
        if status == 301:
            status = fetch(headers["Location"])[0]
        assert status == 200, link


def test_seed_page_is_served_with_its_origin_rewritten(site: DemoSite) -> None:
    url = site.url_for(SEED_SLUG)
    assert url == site.base_url + f"world/{SEED_SLUG}/"
    status, _, body = fetch(url)
    text = body.decode("utf-8")
    assert status == 200 and SEED_ORIGIN not in text
    tree = lxml.html.fromstring(body)
    assert tree.xpath("string(//link[@rel='canonical']/@href)") == url
    truth = json.loads(SEED_TRUTH.read_text(encoding="utf-8"))
    article = site.articles[SEED_SLUG]
    assert list(article.paragraphs) == truth["body_paragraphs"]
    assert article.title == truth["title"] and list(article.authors) == truth["authors"]
    assert (
        article.published.isoformat() == truth["published"]
        and article.modified.isoformat() == truth["modified"]
    )
    for link in truth["related_links_required"]:
        local = link["url"].replace(SEED_ORIGIN + "/", site.base_url)
        assert local in text
        assert fetch(local)[0] == 200


def test_edit_article_changes_the_served_body(fresh_site: DemoSite) -> None:
    for slug in ("europe-weighs-defense-spending-surge", "ukraine-minerals-deal-explained", SEED_SLUG):
        url = fresh_site.url_for(slug)
        old_paragraphs = fresh_site.articles[slug].paragraphs
        _, before_headers, _ = fetch(url)
        new_text = [
            f"A correction to {slug} was added to this story, replacing every earlier paragraph of it."
        ]
        edited = fresh_site.edit_article(slug, new_text)
        status, after_headers, after = fetch(url)
        served = " ".join(lxml.html.fromstring(after).text_content().split())
        assert status == 200 and new_text[0] in served
        assert not any(p in served for p in old_paragraphs)
        assert fresh_site.articles[slug].paragraphs == tuple(new_text)
        assert edited.modified > last_modified_header(before_headers)
        assert after_headers["ETag"] != before_headers["ETag"]
        assert edited.modified.isoformat() in fetch(fresh_site.base_url + "sitemap.xml")[2].decode()


def last_modified_header(headers: dict[str, str]) -> datetime:
    return parsedate_to_datetime(headers["Last-Modified"])


def test_conditional_get_answers_304(site: DemoSite) -> None:
    url = site.article_urls()[0]
    _, headers, _ = fetch(url)
    assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[0] == 200


def test_unknown_paths_give_404_and_slashless_urls_redirect(site: DemoSite) -> None:
    status, headers, body = fetch(site.base_url + "no/such/page/")
    assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8" and b"<h1" in body
    assert fetch(site.base_url + "world/not-an-article/")[0] == 404
    assert fetch(site.base_url + f"business/{SEED_SLUG}/")[0] == 404
    status, headers, _ = fetch(site.base_url + "about-us")
    assert status == 301 and headers["Location"] == site.base_url + "about-us/"


def test_requests_are_logged(fresh_site: DemoSite) -> None:
    fetch(fresh_site.base_url + "robots.txt")
    fetch(fresh_site.base_url + "missing/")
    assert fresh_site.requests[-2:] == [("GET", "/robots.txt", 200), ("GET", "/missing/", 404)]


def test_module_entry_point_serves_until_interrupted() -> None:
    command = [sys.executable, "-m", "scraper.demo_site", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as process:
        try:
            line = process.stdout.readline()
            url = next(word for word in line.split() if word.startswith("http://"))
            assert fetch(url + "robots.txt")[0] == 200
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0
        finally:
            if process.poll() is None:
                process.kill()
