"""The repository root is a real Scrapy project: `scrapy list` and `scrapy crawl news` work there."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO_ROOT
from tests.dbquery import scalar
from tests.routes_server import RoutesServer, many_articles_site


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_scrapy_list_shows_the_news_spider():
    result = scrapy("list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["news"]


def test_scrapy_crawl_news_with_start_urls_stores_articles(sqlite_url):
    with RoutesServer(many_articles_site(5)) as server:
        result = scrapy(
            "crawl",
            "news",
            "-a",
            f"start_urls={server.base_url}",
            "-s",
            f"NEWSARCHIVE_DB={sqlite_url}",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
        )
    assert result.returncode == 0, result.stderr[-2000:]
    assert scalar(sqlite_url, "SELECT count(*) FROM articles") == 5
