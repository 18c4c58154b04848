"""A crawl SIGKILLed, its resume SIGKILLed in turn, and a second resume (scraper.resume).

The first resume answers what the killed run stored (archive) and downloaded (journal) without fetching
it, and journals only what it fetches itself. Its successor must therefore replay both killed runs: else
everything the first run stored or journaled is fetched a second time. Each kill may cost the requests on
the wire at that moment (at most the per-site concurrency), nothing more; every article is stored once
and no request goes to a path robots.txt disallows.

The kills come at fixed progress points (requests the site has seen), not at fixed times, so the second
kill always lands while the first resume is under way, whatever the machine's load.
"""

from __future__ import annotations

import os
import signal
import struct
from collections import Counter
from pathlib import Path

from storage.db import open_archive
from tests.dbquery import query
from tests.faults_support import (
    child_env,
    newsarchive,
    site_crawl_args,
    start_newsarchive,
    stored_articles,
    wait_for,
)
from tests.sitegen import GeneratedSite, SiteServer

#: Requests one site has on the wire at once at most (CONCURRENT_REQUESTS_PER_DOMAIN set below).
ON_THE_WIRE = 4


def crawl_args(tmp_path: Path, server: SiteServer, db_url: str) -> list[str]:
    """A crawl of the served site with at most ON_THE_WIRE requests on the wire (a 1 ms delay keeps Scrapy to
    the per-site concurrency)."""
    return [*site_crawl_args(tmp_path, server.base_url, db_url),
            "--set", f"CONCURRENT_REQUESTS_PER_DOMAIN={ON_THE_WIRE}", "--set", "DOWNLOAD_DELAY=0.001"]


def gets(server: SiteServer) -> list[str]:
    return [r.path for r in server.requests if r.method == "GET" and r.path != "/robots.txt"]


def kill_after(args: list[str], server: SiteServer, new_requests: int, env: dict[str, str], log) -> None:  # type: ignore[no-untyped-def]
    """Start a run and SIGKILL it (its whole process group) once the site has seen `new_requests` more."""
    before = len(gets(server))
    child = start_newsarchive(*args, env=env, log=log)
    try:
        assert wait_for(lambda: len(gets(server)) >= before + new_requests or child.poll() is not None, 60)
        assert child.poll() is None, "the run finished before the kill: the site is too small for this test"
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def test_a_killed_resume_leaves_both_killed_runs_to_its_successor(tmp_path, db_url):
    open_archive(db_url).dispose()
    env = {**child_env(), "XDG_STATE_HOME": str(tmp_path / "state")}  # PostgreSQL's job dirs live there
    site = GeneratedSite(n_articles=250, seed=11)
    with SiteServer(site, fail_once=()) as server:
        args = crawl_args(tmp_path, server, db_url)
        kill_after(args, server, 80, env, tmp_path / "first.log")
        first = len(gets(server))
        kill_after(args, server, 30, env, tmp_path / "second.log")
        last = newsarchive(*args, env=env)
        assert last.returncode == 0, last.stdout[-2000:] + last.stderr[-3000:]
        paths = gets(server)
        disallowed = [r.path for r in server.requests if site.is_disallowed(r.path)]
        expected = set(site.article_urls(server.base_url))
    stored = stored_articles(db_url)
    assert len(stored) == len(set(stored)), "an article was stored twice"
    assert expected <= set(stored), f"{len(expected - set(stored))} articles lost"
    assert disallowed == []
    statuses = [row.status for row in query(db_url, "SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses == ["interrupted", "interrupted", "ok"], statuses
    repeated = [(path, n) for path, n in Counter(paths).most_common() if n > 1]
    repeats = sum(n - 1 for _path, n in repeated)
    assert repeats <= 2 * ON_THE_WIRE, f"{repeats} of {len(paths)} requests repeated: {repeated[:20]}"
    print(f"{len(paths)} requests ({first} before the first kill), {repeats} repeated: {repeated}")


def damage_a_frame(segment: Path) -> int:
    """Overwrite the metadata of a frame halfway through `segment` with junk of the same length (its
    lengths intact, so the reader must notice the junk itself); returns the frames before it."""
    data = bytearray(segment.read_bytes())
    frames, offset = [], 0
    while offset + 4 <= len(data):
        (meta_size,) = struct.unpack_from(">I", data, offset)
        body_at = offset + 4 + meta_size + 4
        if body_at > len(data):
            break
        (body_size,) = struct.unpack_from(">I", data, body_at - 4)
        frames.append((offset, meta_size))
        offset = body_at + body_size
    assert len(frames) >= 4, "too few responses journaled before the kill"
    at, meta_size = frames[len(frames) // 2]
    data[at + 4 : at + 4 + meta_size] = b"#" * meta_size
    segment.write_bytes(bytes(data))
    return len(frames) // 2


def test_a_damaged_journal_is_read_up_to_the_damage_and_the_rest_fetched(tmp_path, sqlite_url):
    site = GeneratedSite(n_articles=120, seed=5)
    with SiteServer(site, fail_once=()) as server:
        args = crawl_args(tmp_path, server, sqlite_url)
        kill_after(args, server, 60, child_env(), tmp_path / "killed.log")
        (segment,) = (tmp_path / "archive.db.jobs").glob("*.journal/run-1.0")
        damage_a_frame(segment)
        again = newsarchive(*args)
        disallowed = [r.path for r in server.requests if site.is_disallowed(r.path)]
        expected = set(site.article_urls(server.base_url))
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
    assert f"journal segment {segment} damaged at byte" in again.stderr
    stored = stored_articles(sqlite_url)
    assert len(stored) == len(set(stored)), "an article was stored twice"
    assert expected <= set(stored), f"{len(expected - set(stored))} articles lost"
    assert disallowed == []
    assert not segment.parent.exists(), "a finished run leaves no journal"


def test_no_resume_ignores_and_removes_the_journal(tmp_path, sqlite_url):
    site = GeneratedSite(n_articles=60, seed=3)
    with SiteServer(site, fail_once=()) as server:
        args = crawl_args(tmp_path, server, sqlite_url)
        kill_after(args, server, 30, child_env(), tmp_path / "killed.log")
        (journal,) = (tmp_path / "archive.db.jobs").glob("*.journal")
        server.clear_log()
        again = newsarchive(*args, "--no-resume")
        fetched = gets(server)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
    assert not journal.exists(), "a run that does not resume leaves no stale journal behind"
    assert "/sitemap_index.xml" in fetched, "the journaled documents were fetched afresh, not replayed"
    stored = stored_articles(sqlite_url)
    assert len(stored) == len(set(stored))
