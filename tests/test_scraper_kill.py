"""Killing a crawl (SIGKILL) mid-way loses no committed article and leaves the database readable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from tests.cli import run_newsarchive
from tests.conftest import REPO_ROOT
from tests.dbquery import query, scalar
from tests.routes_server import RoutesServer, many_articles_site

ARTICLES = 60


def children_of(pid: int) -> list[int]:
    """Process ids of pid's children (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def count_articles(db_url: str) -> int:
    try:
        return scalar(db_url, "SELECT count(*) FROM articles")
    except sa.exc.OperationalError:  # tables not created yet
        return 0


def test_sigkill_mid_crawl_keeps_committed_articles(sqlite_url):
    with RoutesServer(many_articles_site(ARTICLES), delay=0.1) as server:
        child = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", "crawl", server.base_url, "--db", sqlite_url, "--local",
             "--set", "CONCURRENT_REQUESTS=2"],
            cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        seen = 0
        deadline = time.monotonic() + 60
        while seen < 8 and time.monotonic() < deadline:
            time.sleep(0.2)
            seen = count_articles(sqlite_url)
        workers = children_of(child.pid)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert workers, "the crawl runs its extraction and storage in a worker process"
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "the worker outlived the killed crawl"
        assert 8 <= seen < ARTICLES, f"the crawl should be killed mid-way (saw {seen} articles)"
        assert scalar(sqlite_url, "PRAGMA integrity_check") == "ok"
        stored = scalar(sqlite_url, "SELECT count(*) FROM articles")
        revisions = scalar(sqlite_url, "SELECT count(*) FROM article_revisions")
        assert stored >= seen
        assert revisions == stored

        # The next run is not fooled by what the killed one left behind: it finishes the site.
        server.delay = 0
        again = run_newsarchive("crawl", server.base_url, "--db", sqlite_url, "--local")
        assert again.returncode == 0, again.stderr[-2000:]
    assert scalar(sqlite_url, "SELECT count(*) FROM articles") == ARTICLES
    statuses = [row.status for row in query(sqlite_url, "SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses == ["interrupted", "ok"]
