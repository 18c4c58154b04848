"""Killing a crawl (SIGKILL) mid-way loses no committed article and leaves the database readable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import sqlalchemy as sa

from tests.conftest import REPO_ROOT
from tests.routes_server import RoutesServer, many_articles_site

ARTICLES = 60


def count_articles(engine: sa.Engine) -> int:
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
    except sa.exc.OperationalError:  # tables not created yet
        return 0


def test_sigkill_mid_crawl_keeps_committed_articles(sqlite_url):
    engine = sa.create_engine(sqlite_url)
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
            seen = count_articles(engine)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert 8 <= seen < ARTICLES, f"the crawl should be killed mid-way (saw {seen} articles)"
    with engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
        stored = connection.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
        revisions = connection.execute(sa.text("SELECT count(*) FROM article_revisions")).scalar_one()
    assert stored >= seen
    assert revisions == stored
