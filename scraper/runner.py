"""Run one crawl in this process with the real Scrapy engine, under the archive's run lock."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings
from sqlalchemy.engine import make_url

from scraper.lock import run_lock
from scraper.resume import KEPT_JOURNALS, drop_journals, journaled_runs
from scraper.spiders.news import NewsSpider
from storage.db import open_archive, resolve_db_url
from storage.runs import close_abandoned_runs, interrupted_runs_started
from storage.timestamps import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from scraper.sites import SiteConfig
    from storage.db import Archive

log = logging.getLogger(__name__)

#: Outcomes a run counts per page, in the order the summary shows them.
OUTCOMES = ("new", "changed", "unchanged", "not_modified", "removed", "non_article", "skipped", "failed")

#: Settings for crawling our own loopback servers (demo, tests, benchmarks): no politeness delays.
LOCAL_SITE_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "NEWSARCHIVE_BACKOFF_BASE": 0.2,
}


#: Stats that count items lost to a fault: each such item has a fetch_failures row too.
PROBLEM_STATS = (
    "newsarchive/store/database_errors",  # the database refused the item's rows
    "newsarchive/store/database_full",  # the disk or the database is full (the run stops at the first)
    "newsarchive/store/errors",  # any other exception while storing, or the store worker died on it
    "newsarchive/extract/crashed",  # a bug in extraction, or the extract worker died on the page
    "newsarchive/pipeline/errors",  # an exception in any other pipeline
    "newsarchive/spider/errors",  # an exception in a spider callback or errback
    "newsarchive/robots_unreadable",  # a site whose robots.txt failed: its pages were not fetched
)


@dataclass
class RunResult:
    finish_reason: str
    seconds: float
    stats: dict[str, Any]
    sites: list[str] = field(default_factory=list)
    #: sites that reached their max_pages in this run (pages past the cap were not fetched)
    capped: list[str] = field(default_factory=list)

    def count(self, outcome: str, site: str | None = None) -> int:
        key = f"newsarchive/site/{site}/{outcome}" if site else f"newsarchive/store/{outcome}"
        return int(self.stats.get(key, 0))

    @property
    def articles_stored(self) -> int:
        return sum(self.count(k) for k in ("new", "changed", "unchanged"))

    @property
    def pages_fetched(self) -> int:
        return int(self.stats.get("downloader/response_count", 0))

    @property
    def problems(self) -> int:
        """Pages fetched but not processed (not 404s or skips): each has a failure row and makes exit 1."""
        return sum(int(self.stats.get(key, 0)) for key in PROBLEM_STATS)


def crawl_settings(db_url: str, run_kind: str, overrides: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scraper.settings")
    settings = get_project_settings()
    settings.set("NEWSARCHIVE_DB", db_url, priority="cmdline")
    settings.set("NEWSARCHIVE_RUN_KIND", run_kind, priority="cmdline")
    settings.set("EXTENSIONS", {**settings.getdict("EXTENSIONS"), "scraper.progress.ProgressLine": 500})
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_key(db_url: str, mode: str, site_names: list[str], only: str | None = None) -> str:
    """What identifies a run's frontier: an interrupted run resumes only into the same archive, mode,
    sites and `--site` choice (a `--site b` run must not pick up an interrupted `--site a` queue)."""
    return f"{db_url}|{mode}|{','.join(sorted(site_names))}|{only or ''}"


def default_jobdir(db_url: str, mode: str, site_names: list[str], only: str | None = None) -> Path:
    """Where an interrupted run keeps its pending requests: beside a SQLite file, else in the user's state dir."""
    key = hashlib.sha256(run_key(db_url, mode, site_names, only).encode()).hexdigest()[:12]
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database + ".jobs") / f"{mode}-{key}"
    state = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state"))
    return state / "newsarchive" / "jobs" / f"{mode}-{key}"


def discard_unclean_jobdir(jobdir: Path) -> None:
    """Remove a job directory that a killed run left behind.

    Scrapy saves its queue's state (requests.queue/active.json) only when a run stops cleanly. Without it
    the pending requests cannot be read back, while the seen-set would drop every start URL as a
    duplicate: the next run would fetch nothing. Starting afresh is right; the archive keeps what was stored.
    """
    if jobdir.exists() and not (jobdir / "requests.queue" / "active.json").exists():
        log.warning("discarding %s: the run that left it did not stop cleanly; starting afresh", jobdir)
        shutil.rmtree(jobdir, ignore_errors=True)


def journal_dir(jobdir: Path) -> Path:
    """Where a run journals its responses (scraper.resume): beside the job directory, which a killed run's
    successor discards while the journal must stay to be replayed."""
    return jobdir.with_name(jobdir.name + ".journal")


def journals_to_replay(session: Session, folder: Path) -> list[int]:
    """The unfinished runs whose journals are in this job's folder: a resume killed in turn did not journal
    what it replayed, so its successor replays the older runs too. A segment is trusted only if the database
    has its run, unfinished and started before the segment was last written (not a journal left by an
    archive since recreated under the same URL); the others, and those past KEPT_JOURNALS, are removed."""
    journaled = journaled_runs(folder)
    started = interrupted_runs_started(session, list(journaled))
    runs = sorted(r for r, written in journaled.items() if r in started and started[r].timestamp() <= written + 1)
    drop_journals(folder, set(runs[-KEPT_JOURNALS:]))
    return runs


def runs_to_replay(archive: Archive, jobdir: Path | None, max_age: float) -> list[int]:
    """Close the runs a kill left open, and choose the unfinished runs whose stored pages and journaled
    responses answer this run instead of the sites: those found abandoned now and those journaled in this
    job's folder, if they started at most max_age seconds ago. Older ones are fetched afresh (the next day's
    refresh must read today's feeds), and their journals removed."""
    with archive.sessions.begin() as session:
        if closed := close_abandoned_runs(session):
            log.warning("%d earlier run(s) ended without closing (killed?): marked interrupted", len(closed))
        journaled = journals_to_replay(session, journal_dir(jobdir)) if jobdir is not None else []
        candidates = sorted({*closed, *journaled})
        started = interrupted_runs_started(session, candidates)
    cutoff = utcnow() - timedelta(seconds=max_age)
    replay = sorted(run_id for run_id, at in started.items() if at >= cutoff)
    if jobdir is not None:
        drop_journals(journal_dir(jobdir), set(replay))
    if replay:
        log.warning("replaying %d killed run(s): their stored pages and journaled responses are not fetched again",
                    len(replay))
    if len(replay) < len(candidates):
        log.info("%d killed run(s) started over %.0f s ago: fetched afresh", len(candidates) - len(replay), max_age)
    return replay


def run_crawl(
    db_url: str | None,
    *,
    start_urls: list[str] | None = None,
    site_name: str | None = None,
    sites: list[SiteConfig] | None = None,
    only: str | None = None,
    mode: str = "crawl",
    run_kind: str | None = None,
    settings: dict[str, Any] | None = None,
    jobdir: Path | None = None,
    exclusive: bool = True,
    unused_jobdir: Path | None = None,
) -> RunResult:
    """Crawl (mode "crawl") or refresh (mode "refresh") into the archive; raises ArchiveError, RunLocked.

    `exclusive` takes the archive's run lock; workers sharing a Redis frontier run without it.
    Pending requests live in `jobdir` while the run goes on, so a run stopped by SIGTERM/SIGINT resumes
    where it left off next time; a run that finishes removes it, so the next one starts afresh.
    `unused_jobdir` is the job directory a run without one (--no-resume) would have had: its response
    journal is removed, stale once this run has fetched afresh.
    """
    resolved = resolve_db_url(db_url)
    archive = open_archive(resolved)  # migrate and check the database before fetching anything
    try:
        with run_lock(archive) if exclusive else contextlib.nullcontext():
            overrides = dict(settings or {})
            if exclusive:
                max_age = crawl_settings(resolved, mode, overrides).getfloat("NEWSARCHIVE_REPLAY_MAX_AGE")
                replay = runs_to_replay(archive, jobdir, max_age)
                if unused_jobdir is not None and journal_dir(unused_jobdir).exists():
                    log.info("not resuming: removing the response journal %s", journal_dir(unused_jobdir))
                    shutil.rmtree(journal_dir(unused_jobdir), ignore_errors=True)
                if replay:
                    overrides["NEWSARCHIVE_REPLAY_RUNS"] = replay
            if jobdir is not None:
                discard_unclean_jobdir(jobdir)
                overrides["JOBDIR"] = str(jobdir)
                overrides["NEWSARCHIVE_JOURNAL_DIR"] = str(journal_dir(jobdir))
            process = CrawlerProcess(crawl_settings(resolved, run_kind or mode, overrides))
            crawler = process.create_crawler(NewsSpider)
            started = time.monotonic()
            process.crawl(crawler, start_urls=start_urls, site=site_name, sites=sites, only=only, mode=mode)
            process.start()
            elapsed = time.monotonic() - started
    finally:
        archive.dispose()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    if jobdir is not None and (stats.get("finish_reason") == "finished" or stats.get("newsarchive/store/database_full")):
        # A full database lost the pages in flight with their requests: the next run starts afresh.
        shutil.rmtree(jobdir, ignore_errors=True)
        shutil.rmtree(journal_dir(jobdir), ignore_errors=True)
    names = [t.name for t in crawler.spider.targets] if crawler.spider else []
    capped = sorted(crawler.spider.capped) if crawler.spider else []
    return RunResult(str(stats.get("finish_reason", "unknown")), elapsed, stats, names, capped)


def summary_lines(result: RunResult) -> list[str]:
    """The one-screen summary at the end of a run."""
    lines = [
        f"{result.pages_fetched} pages fetched in {result.seconds:.1f} s, {result.articles_stored} articles stored "
        f"({result.count('new')} new, {result.count('changed')} changed), "
        f"{result.count('failed')} failures, finish reason: {result.finish_reason}",
    ]
    width = max([len("site"), *(len(s) for s in result.sites)])
    lines.append(f"{'site':<{width}}  " + "  ".join(f"{o:>12}" for o in OUTCOMES))
    for site in result.sites:
        lines.append(f"{site:<{width}}  " + "  ".join(f"{result.count(o, site):>12}" for o in OUTCOMES))
    ignored = int(result.stats.get("newsarchive/ignored_requests", 0))
    robots = int(result.stats.get("robotstxt/forbidden", 0))
    if robots or ignored:
        lines.append(f"requests not made: {robots} forbidden by robots.txt, {ignored} ignored in all")
    if result.capped:
        lines.append(f"reached max_pages (pages past the cap not fetched): {', '.join(result.capped)}")
    if result.stats.get("newsarchive/store/database_full"):
        lines.append("stopped: the database is full; free space and run again (what was stored is kept)")
    if result.problems:
        lines.append(f"{result.problems} fetched pages lost to faults (see fetch_failures); exit code 1")
    return lines
