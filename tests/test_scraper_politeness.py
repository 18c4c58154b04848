"""Politeness: Retry-After is honoured, the User-Agent names us, per-site caps and delays apply."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from tests.cli import run_newsarchive
from tests.dbquery import query
from tests.sitegen import GeneratedSite, SiteServer


def crawl(tmp_path: Path, base_url: str, db_url: str, extra: str = "") -> str:
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[[sites]]\nname = "gen"\nurl = "{base_url}"\n{extra}', encoding="utf-8")
    result = run_newsarchive("crawl", "--sites", str(sites), "--db", db_url, "--local", "--no-resume")
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_retry_after_is_honoured_and_the_user_agent_names_the_project(tmp_path, sqlite_url):
    site = GeneratedSite(n_articles=12, seed=3)
    limited = site.articles[2].path
    with SiteServer(site, rate_limit_once=(limited,)) as server:
        base = server.base_url
        crawl(tmp_path, base, sqlite_url)
    tries = [r for r in server.requests if urlsplit(r.path).path == limited]
    assert [r.status for r in tries][:2] == [429, 200]
    assert tries[1].time - tries[0].time >= 1.0, "the retry came before Retry-After allowed"
    agents = {r.headers.get("User-Agent", "") for r in server.requests}
    assert agents and all(agent.startswith("newsarchive/") for agent in agents)
    urls = {row.canonical_url for row in query(sqlite_url, "SELECT canonical_url FROM articles")}
    assert f"{base.rstrip('/')}{limited}" in urls


def test_per_site_page_cap_and_delay(tmp_path, sqlite_url):
    site = GeneratedSite(n_articles=40, seed=4)
    with SiteServer(site) as server:
        out = crawl(tmp_path, server.base_url, sqlite_url, "max_pages = 12\ndownload_delay = 0.3\n")
    assert "reached max_pages (pages past the cap not fetched): gen" in out
    documents = ("/robots.txt", "/sitemap", "/news-sitemap", "/feed")
    pages = [r for r in server.requests if not r.path.startswith(documents)]
    # The cap counts pages, not robots.txt, sitemaps or feeds; a redirect adds a request.
    assert 12 <= len(pages) <= 12 + 3
    ordered = sorted(server.requests, key=lambda r: r.time)
    gaps = [(b.time - a.time, a.path, b.path) for a, b in zip(ordered, ordered[1:], strict=False)]
    gap, first, second = min(gaps)
    assert gap >= 0.3 * 0.5, f"{first} then {second} came {gap:.3f}s apart, faster than the site's delay allows"
