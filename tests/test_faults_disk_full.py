"""A full disk under a SQLite archive: the crawl stops cleanly with a message and exit 1, keeps every
article it committed, and the next run (with space again) completes the site, each article once.

A full disk is simulated with SQLite's `PRAGMA max_page_count` on every connection the crawl opens
(injected at start-up, tests.faults_support): SQLite then fails writes with SQLITE_FULL, "database or
disk is full", exactly as on a full file system. (No loop device or small tmpfs is available here.)
"""

from __future__ import annotations

from storage.db import open_archive
from tests.dbquery import query, scalar
from tests.faults_support import child_env, newsarchive, site_crawl_args, stored_articles
from tests.sitegen import GeneratedSite, SiteServer

INJECT = (
    "from storage import dialects\n"
    "dialects.SQLITE_PRAGMAS = (*dialects.SQLITE_PRAGMAS, ('max_page_count', '{pages}'))\n"
)


def test_a_full_disk_stops_the_crawl_cleanly_and_the_next_run_completes(tmp_path, sqlite_url):
    open_archive(sqlite_url).dispose()
    empty_pages = scalar(sqlite_url, "PRAGMA page_count")
    site = GeneratedSite(n_articles=150, seed=5)
    with SiteServer(site, fail_once=()) as server:
        base = server.base_url
        args = site_crawl_args(tmp_path, base, sqlite_url)
        full = newsarchive(*args, env=child_env(INJECT.format(pages=empty_pages + 150), tmp_path))
        kept = stored_articles(sqlite_url)
        again = newsarchive(*args)
    assert full.returncode == 1, full.stdout[-2000:] + full.stderr[-2000:]
    assert "the database is full" in full.stdout
    assert "Traceback" not in full.stderr, full.stderr[full.stderr.index("Traceback") - 300:][:3000]
    assert 0 < len(kept) < 150, f"the disk should fill mid-way ({len(kept)} articles stored)"
    assert scalar(sqlite_url, "PRAGMA integrity_check") == "ok"
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
    stored = stored_articles(sqlite_url)
    assert len(stored) == len(set(stored)) and set(stored) == set(site.article_urls(base))
    assert set(kept) <= set(stored)
    statuses = [row.status for row in query(sqlite_url, "SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses[-1] == "ok" and statuses[0] in ("failed", "interrupted"), statuses
