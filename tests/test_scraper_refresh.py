"""Crawl and daily refresh of a generated news site: discovery, politeness, dedup, change detection."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tests.cli import run_newsarchive
from tests.dbquery import query, scalar
from tests.sitegen import GeneratedSite, SiteServer

ARTICLES = 60


def write_sites(tmp_path: Path, base_url: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(f'[[sites]]\nname = "gen"\nurl = "{base_url}"\nrecheck_days = 3\n', encoding="utf-8")
    return path


def articles_in(db_url: str) -> dict[str, sa.Row]:
    rows = query(db_url, "SELECT id, canonical_url, title, version, removed_at FROM articles")
    return {row.canonical_url: row for row in rows}


def run(command: str, sites: Path, db_url: str, *extra: str) -> str:
    result = run_newsarchive(command, "--sites", str(sites), "--db", db_url, "--local", "--no-resume", *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def site_and_server():
    site = GeneratedSite(n_articles=ARTICLES, seed=7, now=datetime.now(UTC).replace(microsecond=0))
    with SiteServer(site) as server:
        yield site, server


def test_full_crawl_finds_every_article_once_and_never_requests_disallowed_urls(site_and_server, tmp_path, sqlite_url):
    site, server = site_and_server
    base = server.base_url
    run("crawl", write_sites(tmp_path, base), sqlite_url)

    stored = articles_in(sqlite_url)
    expected = set(site.article_urls(base))
    assert set(stored) == expected, (sorted(expected - set(stored))[:3], sorted(set(stored) - expected)[:3])
    assert scalar(sqlite_url, "SELECT count(*) FROM articles") == len(expected)

    paths = [urlsplit(path).path for path in server.paths_requested()]
    assert not [p for p in paths if site.is_disallowed(p)], "a robots.txt-disallowed URL was requested"
    assert "/robots.txt" in paths
    assert any(p.endswith((".xml", ".xml.gz", ".json")) for p in paths), "feeds and sitemaps were not read"

    titles = {a.title for a in site.articles}
    assert {row.title for row in stored.values()} == titles
    flaky = f"{base.rstrip('/')}{site.flaky_path}"
    assert flaky in stored, "the 500-then-200 page was not retried"
    failures = scalar(sqlite_url, "SELECT count(*) FROM fetch_failures WHERE reason LIKE 'HTTP 404%'")
    assert failures >= 1, "links to missing articles are recorded as failures"


def test_refresh_records_exactly_the_changes_and_refetches_unchanged_pages_only_as_304(
    site_and_server, tmp_path, sqlite_url
):
    site, server = site_and_server
    base = server.base_url
    sites = write_sites(tmp_path, base)
    run("crawl", sites, sqlite_url)
    before = articles_in(sqlite_url)
    revisions_before = scalar(sqlite_url, "SELECT count(*) FROM article_revisions")

    # An unchanged site: no new revisions, and no article downloaded again in full.
    server.clear_log()
    run("refresh", sites, sqlite_url)
    assert scalar(sqlite_url, "SELECT count(*) FROM article_revisions") == revisions_before
    article_paths = {urlsplit(url).path for url in before}
    full_downloads = [r for r in server.requests if urlsplit(r.path).path in article_paths and r.status == 200]
    assert full_downloads == []

    # New, edited and deleted articles: the refresh records exactly those.
    latest = site.latest
    deleted, edited = latest[0], latest[5]
    new_slugs = [site.add_article(), site.add_article()]
    site.edit_article(edited.slug)
    site.delete_article(deleted.slug)
    server.clear_log()
    run("refresh", sites, sqlite_url)

    after = articles_in(sqlite_url)
    url = {a.slug: f"{base.rstrip('/')}{a.path}" for a in [*site.articles, deleted]}
    assert set(after) - set(before) == {url[slug] for slug in new_slugs}
    changed = {u for u in before if after[u].version != before[u].version}
    assert changed == {url[edited.slug]}
    removed = {u for u, row in after.items() if row.removed_at is not None}
    assert removed == {url[deleted.slug]}
    fetched_in_full = {urlsplit(r.path).path for r in server.requests
                       if urlsplit(r.path).path in article_paths and r.status == 200}
    assert fetched_in_full <= {edited.path}, "unchanged articles were downloaded again"


def test_refresh_finds_edits_and_deletions_of_old_articles_through_the_sitemaps(site_and_server, tmp_path, sqlite_url):
    """Articles older than recheck_days and outside the rolling re-check slice: the sitemap's lastmod
    shows the edit, and the deleted one has dropped out of the sitemaps."""
    site, server = site_and_server
    base = server.base_url
    sites = write_sites(tmp_path, base)
    run("crawl", sites, sqlite_url)
    before = articles_in(sqlite_url)

    oldest = site.latest[-2:]
    edited, deleted = oldest
    site.edit_article(edited.slug)
    site.delete_article(deleted.slug)
    server.clear_log()
    run("refresh", sites, sqlite_url, "--set", "NEWSARCHIVE_RECHECK_ROLLING=0")

    after = articles_in(sqlite_url)
    url = {a.slug: f"{base.rstrip('/')}{a.path}" for a in (edited, deleted)}
    changed = {u for u in before if after[u].version != before[u].version}
    assert changed == {url[edited.slug]}
    removed = {u for u, row in after.items() if row.removed_at is not None}
    assert removed == {url[deleted.slug]}
