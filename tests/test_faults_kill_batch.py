"""A batch of single-machine crawls SIGKILLed at random moments, each resumed by the next run.

Per run: a fresh generated site and archive; a crawl (or, after a full crawl, a refresh of the changed
site) is SIGKILLed at a random moment; the next run marks it interrupted and answers what the killed run
downloaded (its stored pages, and its journal of responses not stored yet: scraper.resume) instead of
fetching it again. Then every article is stored exactly once, no request went to a path robots.txt
disallows, and the killed run shows as interrupted.

Repeated requests: every GET the site saw more than once over the killed run and the resume, pages and
documents (sitemaps, feeds), 404s and redirects alike; only robots.txt is left out, which every run reads
afresh. What a kill still costs is the requests on the wire at that moment (sent, answer not yet read):
at most the per-site concurrency. The crawls run with the default per-site concurrency (4) instead of
--local's 16, and a 1 ms delay (see DELAY), as a real site would be crawled. The goal is at most 1% of
all requests; a run over it but within the concurrency is reported as xfailed (a refresh of this site
makes about 220 requests, so 1% is 2).

NEWSARCHIVE_FAULT_RUNS sets the number of runs per database (default 1, for the suite's time budget);
NEWSARCHIVE_FAULT_SEED fixes the random moments.
"""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from storage.db import open_archive
from tests.dbquery import query
from tests.faults_support import newsarchive, repeated_paths, start_newsarchive, stored_articles
from tests.sitegen import GeneratedSite, SiteServer

RUNS = int(os.environ.get("NEWSARCHIVE_FAULT_RUNS", "1"))
SEED = int(os.environ.get("NEWSARCHIVE_FAULT_SEED", str(int(time.time()))))
ARTICLES = int(os.environ.get("NEWSARCHIVE_FAULT_ARTICLES", "300"))
DOCUMENTS = ("/robots.txt", "/sitemap", "/news-sitemap", "/feed/")
#: Requests one site has on the wire at once at most (scraper.settings' CONCURRENT_REQUESTS_PER_DOMAIN).
ON_THE_WIRE = 4
#: The issue's goal: repeated requests after a kill, as a share of all requests.
REPEAT_GOAL = 0.01
#: --local's zero delay lets Scrapy start every queued request of a site at once, past its concurrency (a
#: transfer counts only once its coroutine runs); with any delay the per-site concurrency holds.
DELAY = "0.001"


def page_requests(server: SiteServer) -> list[str]:
    return [r.path for r in server.requests if r.method == "GET" and not r.path.startswith(DOCUMENTS)]


def kill_and_resume(tmp_path, db_url: str, rng: random.Random, mode: str) -> str:
    site = GeneratedSite(n_articles=ARTICLES, seed=rng.randrange(1000))
    with SiteServer(site, fail_once=()) as server:
        base = server.base_url
        sites = tmp_path / f"sites-{mode}.toml"
        sites.write_text(f'[[sites]]\nname = "gen"\nurl = "{base}/"\n', encoding="utf-8")
        args = [mode, "--sites", str(sites), "--db", db_url, "--local",
                "--set", f"CONCURRENT_REQUESTS_PER_DOMAIN={ON_THE_WIRE}", "--set", f"DOWNLOAD_DELAY={DELAY}"]
        if mode == "refresh":
            assert newsarchive("crawl", *args[1:]).returncode == 0
            for article in site.articles[:40]:
                site.edit_article(article.slug)
            for _ in range(30):
                site.add_article()
            server.clear_log()
        moment = rng.uniform(1.0, 4.0 if mode == "crawl" else 3.0)
        child = start_newsarchive(*args, log=tmp_path / f"{mode}-killed.log")
        time.sleep(moment)
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        again = newsarchive(*args)
        assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
        stored = stored_articles(db_url)
        pages = page_requests(server)
        requests = len(server.requests)
        repeats = sum(n - 1 for _path, n in repeated_paths(server))
        repeated = repeated_paths(server)[:20]
        disallowed = [r.path for r in server.requests if site.is_disallowed(r.path)]
        expected = set(site.article_urls(base))
    assert len(stored) == len(set(stored)), "an article was stored twice"
    assert expected <= set(stored), f"{len(expected - set(stored))} articles lost"
    assert disallowed == []
    statuses = [row.status for row in query(db_url, "SELECT status FROM crawl_runs ORDER BY id")]
    # The killed run is marked interrupted (no row at all when it was killed before it opened one).
    assert statuses[-1] == "ok" and set(statuses[:-1]) <= {"ok", "interrupted"}, statuses
    finished_first = len(statuses) >= 2 and statuses[-2] == "ok" and (mode == "crawl" or len(statuses) >= 3)
    if finished_first:  # the kill came after the run had finished: the next one is an ordinary re-crawl
        return f"{mode}: finished before the kill at {moment:.1f} s; {len(stored)} articles stored"
    goal = REPEAT_GOAL * requests
    assert repeats <= max(goal, ON_THE_WIRE), f"{repeats} of {requests} requests repeated: {repeated}"
    if repeats > goal:  # visible in the summary as xfailed: the goal missed, the bound of the mechanism held
        pytest.xfail(f"{repeats} of {requests} requests repeated, over the 1% goal ({goal:.1f}): a kill costs the "
                     f"requests on the wire, more than 1% of a run this small")
    return (f"{mode}: killed after {moment:.1f} s, {requests} requests ({len(pages)} for pages), {repeats} repeated, "
            f"{len(stored)} articles stored, {len(expected)} expected")


@pytest.mark.parametrize("run", range(RUNS))
@pytest.mark.parametrize("mode", ["crawl", "refresh"])
def test_sigkill_at_random_moments_then_resume(tmp_path, db_url, mode, run):
    rng = random.Random(f"{SEED}:{mode}:{run}")
    open_archive(db_url).dispose()
    print(f"seed {SEED} run {run}:", kill_and_resume(tmp_path, db_url, rng, mode))
