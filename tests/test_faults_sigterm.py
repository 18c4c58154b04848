"""SIGTERM to the crawl's whole process group, as systemd stops a service: the extract and store workers
outlive the signal and finish what they were handed, the run stops as interrupted (exit 1) with no item
lost, and the next run resumes the queue and completes the site, each article once."""

from __future__ import annotations

import os
import signal

from storage.db import open_archive
from tests.dbquery import query
from tests.faults_support import newsarchive, site_crawl_args, start_newsarchive, stored_articles, wait_for
from tests.sitegen import GeneratedSite, SiteServer


def test_sigterm_to_the_process_group_loses_nothing_and_resumes(tmp_path, sqlite_url):
    open_archive(sqlite_url).dispose()
    site = GeneratedSite(n_articles=200, seed=21)
    with SiteServer(site, fail_once=()) as server:
        base = server.base_url
        args = site_crawl_args(tmp_path, base, sqlite_url)
        crawl = start_newsarchive(*args, log=tmp_path / "stopped.log")
        assert wait_for(lambda: len(stored_articles(sqlite_url)) >= 20, 120), "the crawl did not get going"
        os.killpg(crawl.pid, signal.SIGTERM)
        code = crawl.wait(timeout=120)
        log = (tmp_path / "stopped.log").read_text(errors="replace")
        stopped_with = len(stored_articles(sqlite_url))
        again = newsarchive(*args)
    assert code == 1, log[-3000:]
    # (Scrapy may log an AlreadyCalledError while it closes idle keep-alive connections: scrapy#2653.)
    assert "worker process died" not in log and "BrokenProcessPool" not in log, log[-3000:]
    lost = query(sqlite_url, "SELECT url, reason FROM fetch_failures WHERE reason NOT LIKE 'HTTP 404'")
    assert lost == []  # (the site links to a few removed stories: 404s are the web's answer)
    assert stopped_with < 200, "the crawl should be stopped mid-way"
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
    stored = stored_articles(sqlite_url)
    assert len(stored) == len(set(stored)) and set(stored) == set(site.article_urls(base))
    assert [row.status for row in query(sqlite_url, "SELECT status FROM crawl_runs ORDER BY id")] == [
        "interrupted", "ok"]
