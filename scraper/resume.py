"""Resume after a run killed outright (SIGKILL): what it already downloaded is answered again, not fetched.

A killed run cannot save its queue, so the next run starts discovery afresh from the home page. Two sources
answer the requests the killed run already made, each once:

- the archive: the pages it stored (raw page and rows commit together); answered for their links only;
- its response journal: every response as it came off the network, appended before the page went on to
  extraction and storage. Pages downloaded but not stored when the kill came, and the sitemaps, feeds,
  redirects, 304s and 404s it read, are answered from there and processed as if fetched now.

So the site sees again only what was on the wire at the kill. robots.txt is always read afresh. The runs
replayed (NEWSARCHIVE_REPLAY_RUNS, set by the runner) are those found abandoned when this run started, and
every unfinished run whose journal is still in this job's folder: a resume that is killed in turn did not
journal what it replayed, so its successor replays the older journal too. The journals live beside the job
directory (NEWSARCHIVE_JOURNAL_DIR), each run's at most two segments, those of the KEPT_JOURNALS latest
unfinished runs kept; a run that finishes removes them all. A damaged journal is read up to the damage.
"""

from __future__ import annotations

import json
import logging
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, HtmlResponse
from scrapy.responsetypes import responsetypes

from scraper.urls import normalize_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

_LENGTH = struct.Struct(">I")
#: A journal segment is closed and the next begun past this size; the two latest are kept. The pages still
#: in flight (at most NEWSARCHIVE_MAX_IN_FLIGHT) are among the latest responses, far fewer than a segment.
SEGMENT_BYTES = 64 * 1024 * 1024
#: Responses worth keeping: a retry (5xx, 429, 408) is asked again anyway.
_NOT_KEPT = frozenset({408, 429})
#: Unfinished runs whose journals are kept for replay (kills in a row): bounds the folder to
#: KEPT_JOURNALS * 2 segments; an older run's pages are still replayed from the archive.
KEPT_JOURNALS = 4


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One journaled response: its metadata, and where its compressed body lies."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    path: Path
    offset: int
    size: int

    def body(self) -> bytes:
        with self.path.open("rb") as file:
            file.seek(self.offset)
            return zlib.decompress(file.read(self.size))


def _segments(folder: Path, run_id: int) -> list[Path]:
    return sorted(folder.glob(f"run-{run_id}.*"), key=lambda path: int(path.suffix[1:]))


def _segment_run(path: Path) -> int | None:
    name, _dot, number = path.name.partition(".")
    run = name.removeprefix("run-")
    return int(run) if name.startswith("run-") and run.isdigit() and number.isdigit() else None


def journaled_runs(folder: Path) -> dict[int, float]:
    """Run id -> the last time its journal was written (newest segment's mtime), of the runs in `folder`."""
    runs: dict[int, float] = {}
    for path in folder.iterdir() if folder.is_dir() else ():
        run_id = _segment_run(path)
        if run_id is not None:
            runs[run_id] = max(runs.get(run_id, 0.0), path.stat().st_mtime)
    return runs


def drop_journals(folder: Path, keep: set[int]) -> None:
    """Remove the segments of every run not in `keep` (and anything else that is no segment)."""
    for path in folder.iterdir() if folder.is_dir() else ():
        if _segment_run(path) not in keep:
            path.unlink(missing_ok=True)


class ResponseJournal:
    """Appends responses to segment files run-<id>.<n> of a folder, unbuffered: a SIGKILL loses at most
    the frame being written, which the reader drops."""

    def __init__(self, folder: Path, run_id: int, segment_bytes: int = SEGMENT_BYTES) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.run_id = run_id
        self.segment_bytes = segment_bytes
        self.number = 0
        self.file: BinaryIO = self._open()

    def _open(self) -> BinaryIO:
        return (self.folder / f"run-{self.run_id}.{self.number}").open("wb", buffering=0)

    def append(self, key: str, response: Response) -> None:
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items()
            for value in values
        ]
        meta = json.dumps({"key": key, "url": response.url, "status": response.status, "headers": headers})
        body = zlib.compress(response.body, 1)
        encoded = meta.encode()
        self.file.write(_LENGTH.pack(len(encoded)) + encoded + _LENGTH.pack(len(body)) + body)
        if self.file.tell() > self.segment_bytes:
            self.file.close()
            (self.folder / f"run-{self.run_id}.{self.number - 1}").unlink(missing_ok=True)
            self.number += 1
            self.file = self._open()

    def close(self) -> None:
        self.file.close()


def read_journal(folder: Path, run_ids: list[int]) -> dict[str, list[JournalEntry]]:
    """Normalized request URL -> the responses journaled for it, oldest first, by the given runs."""
    entries: dict[str, list[JournalEntry]] = {}
    for run_id in run_ids:
        for path in _segments(folder, run_id):
            try:
                _read_segment(path, entries)
            except OSError as exc:
                logger.warning("journal segment %s unreadable (%s): what it held is fetched again", path, exc)
    return entries


def _read_segment(path: Path, entries: dict[str, list[JournalEntry]]) -> None:
    with path.open("rb") as file:
        data = file.read()
    offset = 0
    while offset + _LENGTH.size <= len(data):
        (meta_size,) = _LENGTH.unpack_from(data, offset)
        body_at = offset + _LENGTH.size + meta_size + _LENGTH.size
        if body_at > len(data):
            break  # a frame cut short by the kill
        (body_size,) = _LENGTH.unpack_from(data, body_at - _LENGTH.size)
        if body_at + body_size > len(data):
            break
        try:
            meta = json.loads(data[offset + _LENGTH.size : body_at - _LENGTH.size])
            entry = JournalEntry(str(meta["url"]), int(meta["status"]),
                                 [(str(name), str(value)) for name, value in meta["headers"]],
                                 path, body_at, body_size)
            key = str(meta["key"])
        except (ValueError, TypeError, KeyError) as exc:
            logger.warning("journal segment %s damaged at byte %d (%s): the rest of it is fetched again",
                           path, offset, exc)
            return
        entries.setdefault(key, []).append(entry)
        offset = body_at + body_size


class ResponseJournalExtension:
    """Journal every response the moment the downloader has it (the response_downloaded signal), before
    its transfer slot is freed for the next request and before any middleware or the spider sees it, so
    that a run killed outright leaves what it downloaded and had not stored. Needs NEWSARCHIVE_JOURNAL_DIR."""

    def __init__(self, crawler: Crawler, folder: Path) -> None:
        self.crawler = crawler
        self.folder = folder
        self.keep = {int(i) for i in crawler.settings.getlist("NEWSARCHIVE_REPLAY_RUNS")}
        self.journal: ResponseJournal | None = None
        crawler.signals.connect(self._downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(self._close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResponseJournalExtension:
        folder = crawler.settings.get("NEWSARCHIVE_JOURNAL_DIR")
        if not folder:
            raise NotConfigured  # no job directory: nothing resumes (no message: it would log a warning)
        return cls(crawler, Path(folder))

    def _journal(self) -> ResponseJournal | None:
        if self.journal is None:
            run_id = self.crawler.stats.get_value("newsarchive/run_id")
            if run_id is None:
                return None
            self.keep.add(int(run_id))
            drop_journals(self.folder, self.keep)  # segments of runs never to be replayed
            self.journal = ResponseJournal(self.folder, int(run_id))
        return self.journal

    def _downloaded(self, response: Response, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt") or response.status >= 500 or response.status in _NOT_KEPT:
            return
        journal = self._journal()
        if journal is not None:
            journal.append(normalize_url(request.url), response)

    def _close(self) -> None:
        if self.journal is not None:
            self.journal.close()
            self.journal = None


class ReplayKilledRunMiddleware:
    """After a run was killed outright, answer what it downloaded from the archive and its journal.

    Placed after robots.txt (a replayed page obeys today's rules too) and after the conditional-request
    middleware (a journaled 304 is replayed only to a request that asks conditionally).
    """

    def __init__(self, crawler: Crawler, run_ids: list[int]) -> None:
        self.crawler = crawler
        self.run_ids = run_ids
        self.pages: dict[str, int] | None = None
        self.journal: dict[str, list[JournalEntry]] = {}
        self.archive: Any = None
        crawler.signals.connect(self._close, signal=signals.spider_closed)

    def _close(self) -> None:
        if self.archive is not None:
            self.archive.dispose()
            self.archive = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayKilledRunMiddleware:
        run_ids = [int(i) for i in crawler.settings.getlist("NEWSARCHIVE_REPLAY_RUNS")]
        if not run_ids:
            raise NotConfigured  # no killed run to replay (no message: it would log a warning)
        return cls(crawler, run_ids)

    def _pages(self) -> dict[str, int]:
        if self.pages is None:
            from storage.db import open_archive
            from storage.runs import pages_of_runs

            self.archive = open_archive(self.crawler.settings.get("NEWSARCHIVE_DB"), upgrade=False)
            with self.archive.sessions() as session:
                self.pages = pages_of_runs(session, self.run_ids)
            folder = self.crawler.settings.get("NEWSARCHIVE_JOURNAL_DIR")
            self.journal = read_journal(Path(folder), self.run_ids) if folder else {}
            logger.info("replaying %d pages stored and %d responses journaled by the killed run(s) %s",
                        len(self.pages), sum(map(len, self.journal.values())), self.run_ids)
        return self.pages

    def process_request(self, request: Request) -> Response | None:
        if request.meta.get("dont_obey_robotstxt"):
            return None  # robots.txt is read afresh
        key = normalize_url(request.url)
        pages = self._pages()
        if request.meta.get("page") and request.meta.get("found_via") != "recheck" and key in pages:
            self.journal.pop(key, None)
            return self._stored(request, pages.pop(key))
        entries = self.journal.get(key)
        if not entries:
            return None
        entry = entries.pop(0)
        if entry.status == 304 and 304 not in request.meta.get("handle_httpstatus_list", ()):
            return None  # this request does not ask conditionally: a 304 would be no answer to it
        try:
            body = entry.body()
        except (OSError, zlib.error) as exc:
            logger.warning("journaled response for %s unreadable (%s): fetched again", entry.url, exc)
            return None
        self.crawler.stats.inc_value("newsarchive/resume/journaled")
        headers = Headers()
        for name, value in entry.headers:
            headers.appendlist(name, value)
        cls = responsetypes.from_args(headers=headers, url=entry.url, body=body)
        return cls(entry.url, status=entry.status, headers=headers, body=body, request=request, flags=["journaled"])

    def _stored(self, request: Request, page_id: int) -> Response | None:
        """The page as the killed run stored it: the spider follows its links and stores nothing again."""
        from storage.runs import get_raw_page

        with self.archive.sessions() as session:
            page = get_raw_page(session, page_id)
            if page is None:
                return None
            status, headers, body = page.status, dict(page.headers), page.content
        self.crawler.stats.inc_value("newsarchive/resume/replayed")
        headers.pop("Content-Encoding", None)
        headers.pop("content-encoding", None)
        return HtmlResponse(request.url, status=status, headers=headers, body=body, request=request,
                            flags=["replayed"])
