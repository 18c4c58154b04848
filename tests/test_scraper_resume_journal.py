"""The response journal a run keeps for its successor if it is killed (scraper.resume)."""

from __future__ import annotations

import os
import time
from datetime import timedelta

from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler
from sqlalchemy import update

from scraper.resume import KEPT_JOURNALS, ReplayKilledRunMiddleware, ResponseJournal, read_journal
from scraper.runner import journal_dir, journals_to_replay, runs_to_replay
from storage.db import open_archive
from storage.models import CrawlRun
from storage.runs import finish_run, start_run
from storage.timestamps import utcnow


def test_journal_round_trip_drops_a_frame_cut_short_by_a_kill(tmp_path):
    journal = ResponseJournal(tmp_path, run_id=7)
    page = HtmlResponse("http://site.test/a/", body=b"<html><body>A</body></html>",
                        headers={"Content-Type": "text/html", "ETag": '"1"'})
    journal.append("http://site.test/a/", page)
    journal.append("http://site.test/old", Response("http://site.test/old", status=301,
                                                     headers={"Location": "/a/"}))
    journal.append("http://site.test/b/", page.replace(url="http://site.test/b/"))
    journal.close()
    segment = tmp_path / "run-7.0"
    segment.write_bytes(segment.read_bytes()[:-5])  # the kill came while the last frame was written
    entries = read_journal(tmp_path, [7])
    assert sorted(entries) == ["http://site.test/a/", "http://site.test/old"]
    (first,) = entries["http://site.test/a/"]
    assert (first.status, first.body()) == (200, b"<html><body>A</body></html>")
    assert ("Etag", '"1"') in first.headers  # as Scrapy spells header names
    assert entries["http://site.test/old"][0].status == 301
    assert read_journal(tmp_path, [8]) == {}, "another run's journal is not replayed"


def test_journal_keeps_its_two_latest_segments(tmp_path):
    journal = ResponseJournal(tmp_path, run_id=3, segment_bytes=1000)
    for i in range(40):
        journal.append(f"http://site.test/{i}/", HtmlResponse(f"http://site.test/{i}/", body=bytes(range(256)) * 8))
    journal.close()
    assert len(list(tmp_path.glob("run-3.*"))) == 2
    assert "http://site.test/39/" in read_journal(tmp_path, [3])


def test_a_damaged_frame_ends_the_segment_with_a_warning(tmp_path, caplog):
    journal = ResponseJournal(tmp_path, run_id=2)
    for name in "abc":
        journal.append(f"http://site.test/{name}/", HtmlResponse(f"http://site.test/{name}/", body=b"<html></html>"))
    journal.close()
    segment = tmp_path / "run-2.0"
    data = segment.read_bytes()
    second = data.index(b'{"key": "http://site.test/b/"')
    segment.write_bytes(data[:second] + b"\xff" * 20 + data[second + 20 :])
    entries = read_journal(tmp_path, [2])
    assert sorted(entries) == ["http://site.test/a/"]
    assert f"journal segment {segment} damaged at byte" in caplog.text


def test_a_damaged_body_is_fetched_again(tmp_path, caplog):
    journal = ResponseJournal(tmp_path, run_id=4)
    journal.append("http://site.test/a/", HtmlResponse("http://site.test/a/", body=b"<html>A</html>" * 50))
    journal.close()
    (entry,) = read_journal(tmp_path, [4])["http://site.test/a/"]
    data = bytearray(entry.path.read_bytes())
    data[entry.offset + 2 : entry.offset + 12] = b"\x00" * 10
    entry.path.write_bytes(bytes(data))
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_REPLAY_RUNS": [4], "NEWSARCHIVE_JOURNAL_DIR": str(tmp_path)})
    middleware = ReplayKilledRunMiddleware.from_crawler(crawler)
    middleware.pages = {}  # nothing stored by the killed run
    middleware.journal = read_journal(tmp_path, [4])
    assert middleware.process_request(Request("http://site.test/a/")) is None
    assert "unreadable" in caplog.text and "fetched again" in caplog.text


def test_a_resume_replays_every_unfinished_run_of_its_job_and_trusts_only_those(tmp_path, sqlite_url):
    """Runs 1-6 killed one after the other (each journaled), run 7 finished (its journal a leftover), run 8
    killed but its database row started after the segment was written: a segment from an archive since
    recreated under the same URL."""
    archive = open_archive(sqlite_url)
    with archive.sessions.begin() as session:
        ids = [start_run(session, "crawl", ["gen"]) for _ in range(8)]
        for run_id in ids[:6] + ids[7:]:
            finish_run(session, run_id, "interrupted", {})
        finish_run(session, ids[6], "ok", {})
    folder = tmp_path / "job.journal"
    for run_id in ids:
        ResponseJournal(folder, run_id).close()
    stale = time.time() - 3600
    os.utime(folder / f"run-{ids[7]}.0", (stale, stale))
    (folder / "notes.txt").write_text("not a segment")
    with archive.sessions.begin() as session:
        replayed = journals_to_replay(session, folder)
    archive.dispose()
    assert replayed == ids[:6], "the finished run and the stale segment are not replayed"
    kept = sorted(path.name for path in folder.iterdir())
    assert kept == sorted(f"run-{run_id}.0" for run_id in ids[6 - KEPT_JOURNALS : 6])


def test_only_recently_killed_runs_are_replayed(tmp_path, sqlite_url):
    """A run killed yesterday is not replayed by today's refresh: its journal is removed and today's feeds and
    home pages are fetched afresh; a run killed minutes ago is replayed."""
    archive = open_archive(sqlite_url)
    with archive.sessions.begin() as session:
        old, recent = (start_run(session, "refresh", ["gen"]) for _ in range(2))
        finish_run(session, old, "interrupted", {})
        finish_run(session, recent, "interrupted", {})
        session.execute(
            update(CrawlRun).where(CrawlRun.id == old).values(started_at=utcnow() - timedelta(days=1))
        )
    jobdir = tmp_path / "job"
    for run_id in (old, recent):
        ResponseJournal(journal_dir(jobdir), run_id).close()
    os.utime(journal_dir(jobdir) / f"run-{old}.0", (time.time(), time.time()))
    replayed = runs_to_replay(archive, jobdir, max_age=6 * 3600)
    archive.dispose()
    assert replayed == [recent]
    assert sorted(path.name for path in journal_dir(jobdir).iterdir()) == [f"run-{recent}.0"]
