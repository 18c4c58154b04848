"""Two workers crawl one site through a Redis-shared frontier (scrapy-redis): each page fetched once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest

from tests.conftest import REPO_ROOT
from tests.dbquery import scalar
from tests.routes_server import RoutesServer, many_articles_site

pytestmark = pytest.mark.redis
ARTICLES = 30


def test_two_workers_share_one_frontier(redis_url, sqlite_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    before = set(client.keys("newsarchive:*"))
    with RoutesServer(many_articles_site(ARTICLES), delay=0.3) as server:
        command = [sys.executable, "-m", "scraper.cli", "crawl", server.base_url, "--db", sqlite_url, "--local",
                   "--redis", redis_url, "--set", "CONCURRENT_REQUESTS=2"]
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        workers = [subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                   for _ in range(2)]
        outputs = [worker.communicate(timeout=120) for worker in workers]
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err.decode()[-2000:]
    requests = Counter(path for path, _ in server.requests if path.startswith("/news/"))
    assert len(requests) == ARTICLES
    assert set(requests.values()) == {1}, "a page was fetched by both workers"
    assert scalar(sqlite_url, "SELECT count(*) FROM articles") == ARTICLES
    assert set(client.keys("newsarchive:*")) == before, "a finished run clears its frontier"
