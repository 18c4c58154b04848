"""Three workers share a Redis frontier over PostgreSQL; one is SIGKILLed, one SIGTERMed mid-run.

The third finishes the site: the dead worker's leased requests come back when their leases expire, the
stopped worker hands its requests back at once. Every article is stored exactly once, no request goes
to a path robots.txt disallows, at most 1% of requests are repeats, and the run's one crawl_runs row
names the faults.
"""

from __future__ import annotations

import json
import os
import signal

import pytest

from storage.db import open_archive
from tests.dbquery import query
from tests.faults_support import (
    child_env,
    repeated_paths,
    request_report,
    start_newsarchive,
    stored_articles,
    wait_for,
)
from tests.sitegen import GeneratedSite, SiteServer

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

ARTICLES = int(os.environ.get("NEWSARCHIVE_FAULT_ARTICLES", "400"))
LEASE_SECONDS = 4


def test_three_workers_one_killed_one_stopped_lose_nothing(tmp_path, redis_url, pg_url):
    import redis

    open_archive(pg_url).dispose()  # migrated first, so the test can count articles from the start
    site = GeneratedSite(n_articles=ARTICLES, seed=9)
    client = redis.Redis.from_url(redis_url)
    with SiteServer(site, fail_once=()) as server:
        base = server.base_url
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[sites]]\nname = "gen{tmp_path.name[-8:]}"\nurl = "{base}/"\n', encoding="utf-8")
        args = ["crawl", "--sites", str(sites), "--db", pg_url, "--local", "--redis", redis_url,
                "--set", f"NEWSARCHIVE_LEASE_SECONDS={LEASE_SECONDS}", "--set", "CONCURRENT_REQUESTS=4", "--set", "NEWSARCHIVE_MAX_LEASES=4"]
        workers = [start_newsarchive(*args, env=child_env(), log=tmp_path / f"worker{i}.log") for i in range(3)]
        try:
            assert wait_for(lambda: len(stored_articles(pg_url)) >= ARTICLES // 5, 120), "the crawl did not get going"
            os.killpg(workers[0].pid, signal.SIGKILL)
            os.killpg(workers[1].pid, signal.SIGTERM)
            codes = [worker.wait(timeout=300) for worker in workers]
        finally:
            for worker in workers:
                if worker.poll() is None:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()
    logs = [(tmp_path / f"worker{i}.log").read_text(errors="replace")[-3000:] for i in range(3)]
    assert codes == [-signal.SIGKILL, 1, 0], logs
    stored = stored_articles(pg_url)
    assert len(stored) == len(set(stored))
    assert set(stored) == set(site.article_urls(base)), "an article was lost"
    total, repeats, disallowed = request_report(server, site)
    assert disallowed == []
    assert repeats <= total / 100, f"{repeats} repeated requests of {total}: {repeated_paths(server)[:40]}"
    print(f"{total} requests, {repeats} repeated")
    runs = query(pg_url, "SELECT status, counts FROM crawl_runs")
    assert len(runs) == 1, "the workers share one run row"
    counts = runs[0].counts if isinstance(runs[0].counts, dict) else json.loads(runs[0].counts)
    assert runs[0].status == "ok"
    assert counts["workers_stopped"] == 1 and counts["workers_lost"] == 1
    assert counts["leases_expired"] >= 1
    assert counts["new"] >= ARTICLES // 2
    leftovers = [key for key in client.scan_iter("newsarchive:*") if base.encode() in key]
    assert leftovers == []
