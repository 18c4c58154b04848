"""Bad input during a crawl: each page becomes a recorded failure or a clean skip, and the crawl goes on."""

from __future__ import annotations

from tests.cli import run_newsarchive
from tests.dbquery import query
from tests.routes_server import Route, RoutesServer, article_html, filler

CP1252_TEXT = "Caf\u00e9 owners in Zo\u00eb\u2019s street \u2014 a \u201cquiet\u201d protest"


def bad_site() -> dict[str, Route]:
    links = "".join(
        f'<a href="{p}">{p}</a> '
        for p in ("/gone/", "/broken-server/", "/flaky/", "/report", "/photo", "/empty/", "/nobody/",
                  "/news/cp1252-story-about-cafes/", "/news/a-good-story-with-long-slug/", "/loop/")
    )
    cp1252 = article_html("Caf\u00e9 protest", [CP1252_TEXT + " " + filler("cafe")], charset="windows-1252")
    return {
        "/": Route(body=f"<html><body><h1>Home</h1>{links}</body></html>".encode()),
        "/broken-server/": Route(status=500),
        "/flaky/": Route(body=article_html("Flaky story", [filler("flaky")]).encode(), first=[500]),
        "/report": Route(body=b"%PDF-1.4 fake", content_type="application/pdf"),
        "/photo": Route(body=b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        "/empty/": Route(body=b""),
        "/loop/": Route(status=301, headers={"Location": "/loop/"}),
        "/nobody/": Route(body=b"<html><head><title>x</title><div><p>Unclosed <b>markup"),
        # The charset is declared only in <meta>; the HTTP header gives none.
        "/news/cp1252-story-about-cafes/": Route(body=cp1252.encode("cp1252"), content_type="text/html"),
        "/news/a-good-story-with-long-slug/": Route(body=article_html("A good story", [filler("good")]).encode()),
    }


def test_bad_pages_are_recorded_and_the_crawl_exits_0(sqlite_url):
    with RoutesServer(bad_site()) as server:
        result = run_newsarchive("crawl", server.base_url, "--db", sqlite_url, "--local",
                                 "--set", "RETRY_TIMES=1", "--name", "bad")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Warning" not in result.stderr, "the crawl's own code raises no deprecation or other warnings"
    failures = dict(query(sqlite_url, "SELECT url, reason FROM fetch_failures"))
    articles = dict(query(sqlite_url, "SELECT url, body FROM articles"))
    base = server.base_url
    assert failures[base + "gone/"] == "HTTP 404"
    assert failures[base + "broken-server/"] == "HTTP 500"
    assert "application/pdf" in failures[base + "report"]
    assert "image/png" in failures[base + "photo"]
    assert "empty" in failures[base + "empty/"]
    assert "redirect" in failures[base + "loop/"]
    assert base + "nobody/" in failures or base + "nobody/" not in articles
    # The 500-then-200 page was retried and stored; the meta-declared windows-1252 page decoded right.
    assert base + "flaky/" in articles
    assert CP1252_TEXT in articles[base + "news/cp1252-story-about-cafes/"]
    assert base + "news/a-good-story-with-long-slug/" in articles
    assert base not in articles


def test_unknown_subcommand_is_one_line_and_exit_2():
    result = run_newsarchive("frobnicate")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "invalid choice" in result.stderr


def test_wrong_db_url_is_one_line_and_non_zero():
    for url in ("nosuchdialect://x", "postgresql://postgres@127.0.0.1:1/test"):
        result = run_newsarchive("search", "anything", "--db", url, timeout=60)
        assert result.returncode == 3, (url, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().count("\n") == 0
        assert result.stderr.startswith("newsarchive: error:")


def test_crawl_with_unreachable_database_fetches_nothing():
    with RoutesServer(bad_site()) as server:
        result = run_newsarchive("crawl", server.base_url, "--db", "postgresql://postgres@127.0.0.1:1/test", timeout=60)
        assert result.returncode == 3
        assert server.requests == []
    assert "Traceback" not in result.stderr


def test_a_feed_or_sitemap_reached_through_a_link_is_read_not_recorded_as_a_bad_page(sqlite_url):
    stories = [f"/news/story-number-{n}-from-the-feed/" for n in range(3)]
    items = "".join(f"<item><title>Story {n}</title><link>{path}</link></item>" for n, path in enumerate(stories))
    listed = "/news/story-listed-only-in-the-sitemap/"
    routes = {
        "/": Route(body=b'<html><body><h1>Home</h1><a href="/feed.xml">RSS</a> <a href="/pages.xml">Map</a></body></html>'),
        "/feed.xml": Route(body=f"<rss version='2.0'><channel>{items}</channel></rss>".encode(),
                           content_type="application/rss+xml"),
        "/pages.xml": Route(
            body=f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{listed}</loc></url></urlset>'.encode(),
            content_type="application/xml",
        ),
        **{path: Route(body=article_html(f"Story {path}", [filler(path)]).encode()) for path in [*stories, listed]},
    }
    with RoutesServer(routes) as server:
        result = run_newsarchive("crawl", server.base_url, "--db", sqlite_url, "--local")
    assert result.returncode == 0, result.stderr[-2000:]
    stored = {row.url for row in query(sqlite_url, "SELECT url FROM articles")}
    assert stored == {server.base_url.rstrip("/") + path for path in [*stories, listed]}
    assert query(sqlite_url, "SELECT url, reason FROM fetch_failures") == []
