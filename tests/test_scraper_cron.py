"""Fit for cron: one run at a time per archive, and a stopped run resumes where it left off."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from tests.cli import run_newsarchive
from tests.conftest import REPO_ROOT
from tests.dbquery import scalar
from tests.routes_server import RoutesServer, many_articles_site

ARTICLES = 60


def start_crawl(base_url: str, db_url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "crawl", base_url, "--db", db_url, "--local",
         "--set", "CONCURRENT_REQUESTS=2"],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def wait_for_articles(db_url: str, at_least: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            count = scalar(db_url, "SELECT count(*) FROM articles")
        except sa.exc.OperationalError:
            count = 0
        if count >= at_least:
            return count
        time.sleep(0.2)
    raise AssertionError(f"fewer than {at_least} articles after {timeout}s")


def test_second_run_is_refused_and_sigterm_stops_cleanly_then_resumes(tmp_path: Path):
    db_file = tmp_path / "archive.db"
    db_url = f"sqlite:///{db_file}"
    with RoutesServer(many_articles_site(ARTICLES), delay=0.3) as server:
        first = start_crawl(server.base_url, db_url)
        wait_for_articles(db_url, 5)

        second = run_newsarchive("crawl", server.base_url, "--db", db_url, "--local", timeout=60)
        assert second.returncode == 4, second.stderr
        assert "another newsarchive run" in second.stderr
        assert "Traceback" not in second.stderr

        first.send_signal(signal.SIGTERM)
        _, stderr = first.communicate(timeout=60)
        assert first.returncode == 1, stderr.decode()[-2000:]
        status = scalar(db_url, "SELECT status FROM crawl_runs ORDER BY id DESC LIMIT 1")
        stored_first = scalar(db_url, "SELECT count(*) FROM articles")
        assert status == "interrupted"
        assert stored_first < ARTICLES, "the run should have been stopped mid-way"
        assert list(db_file.parent.glob("archive.db.jobs/*")), "an interrupted run keeps its pending requests"

        server.delay = 0
        resumed = run_newsarchive("crawl", server.base_url, "--db", db_url, "--local")
        assert resumed.returncode == 0, resumed.stderr[-2000:]

    stored = scalar(db_url, "SELECT count(*) FROM articles")
    urls = scalar(db_url, "SELECT count(DISTINCT url) FROM articles")
    assert stored == urls == ARTICLES
    article_requests = Counter(path for path, _status in server.requests if path.startswith("/news/"))
    assert set(article_requests.values()) == {1}, "the resumed run fetched again what the first had fetched"
    assert not list(db_file.parent.glob("archive.db.jobs/*")), "a finished run removes its job directory"
