"""The response journal a run keeps for its successor if it is killed (scraper.resume)."""

from __future__ import annotations

from scrapy.http import HtmlResponse, Response

from scraper.resume import ResponseJournal, read_journal


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
