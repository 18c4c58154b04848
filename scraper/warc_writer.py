"""Write every fetched response to WARC 1.1 files, the web-archiving standard, as the crawl goes.

Each response becomes three records: the request as sent, the response as received (before any
decompression), and a metadata record carrying the run id, each record its own gzip member. Every record
is flushed before the page moves on, so a killed crawl leaves every completed record readable. Files are
rotated past NEWSARCHIVE_WARC_MAX_SIZE; at the end of a run a CDXJ index of the directory is written
(`cdxj-indexer DIR` rebuilds it from the files at any time). The raw page row of each stored page points
to its response record (file, offset, length): the spider middleware below hands that on to the item.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.items import FetchedPage

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

#: request.meta key under which the response record's place travels to the spider middleware
META_KEY = "newsarchive_warc"
INDEX_NAME = "index.cdxj"
#: Hop-by-hop headers that no longer describe the body Scrapy hands over (it has de-chunked it).
_DROPPED_HEADERS = frozenset({b"transfer-encoding"})


def _headers(headers: Any, drop: frozenset[bytes] = frozenset()) -> list[tuple[str, str]]:
    return [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, values in headers.items()
        if key.lower() not in drop
        for value in values
    ]


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class WarcFiles:
    """A series of .warc.gz files in one directory, each closed and a new one begun past max_size."""

    def __init__(self, directory: Path, max_size: int, prefix: str) -> None:
        self.directory = directory
        self.max_size = max_size
        self.prefix = prefix
        self.serial = 0
        self.stream: IO[bytes] | None = None
        self.path: Path | None = None
        self.writer: WARCWriter | None = None
        self.written: list[Path] = []

    def _open(self) -> None:
        self.serial += 1
        self.path = self.directory / f"{self.prefix}-{self.serial:05d}.warc.gz"
        self.stream = open(self.path, "xb")  # noqa: SIM115 - held open across records, closed by close()
        self.written.append(self.path)
        self.writer = WARCWriter(self.stream, gzip=True, warc_version="1.1")
        info = {"software": "newsarchive", "format": "WARC File Format 1.1", "hostname": socket.gethostname()}
        self._write(self.writer.create_warcinfo_record(self.path.name, info))

    def _write(self, record: Any) -> tuple[int, int]:
        assert self.stream is not None and self.writer is not None
        offset = self.stream.tell()
        self.writer.write_record(record)
        self.stream.flush()  # in the operating system's hands: a killed crawl keeps the record
        return offset, self.stream.tell() - offset

    def write(self, records: Iterable[Any]) -> list[tuple[str, int, int]]:
        """Write the records (built by `self.builder`) to the current file: [(file, offset, length)]."""
        if self.stream is None or self.stream.tell() >= self.max_size:
            self.close()
            self._open()
        assert self.path is not None
        return [(str(self.path), *self._write(record)) for record in records]

    @property
    def builder(self) -> WARCWriter:
        if self.writer is None:
            self._open()
        assert self.writer is not None
        return self.writer

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
        self.stream = self.writer = None


def write_index(directory: Path) -> Path:
    """(Re)write the directory's CDXJ index from its WARC files, sorted by URL key and date."""
    from cdxj_indexer.main import write_cdx_index

    files = sorted(str(path) for path in directory.glob("*.warc.gz"))
    target = directory / INDEX_NAME
    partial = directory / f"{INDEX_NAME}.{os.getpid()}.part"  # workers sharing the directory each write their own
    write_cdx_index(str(partial), files, {"sort": True, "dir_root": str(directory)})
    partial.replace(target)
    return target


class WarcWriterMiddleware:
    """Downloader middleware: each response, as received, with its request and the run id."""

    def __init__(self, directory: Path, max_size: int, stats: StatsCollector) -> None:
        self.directory = directory
        self.stats = stats
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.files = WarcFiles(directory, max_size, f"newsarchive-{stamp}-{os.getpid()}")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcWriterMiddleware:
        directory = crawler.settings.get("NEWSARCHIVE_WARC_DIR")
        if not directory:
            raise NotConfigured  # no WARC output asked for: no message, which Scrapy would log as a warning
        path = Path(directory)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise NotConfigured(f"NEWSARCHIVE_WARC_DIR {directory!r} cannot be created: {error}") from None
        max_size = crawler.settings.getint("NEWSARCHIVE_WARC_MAX_SIZE", 1_000_000_000)
        middleware = cls(path, max_size, crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        builder = self.files.builder
        date = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
        url = response.url
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = [("Host", parts.netloc), *_headers(request.headers)]
        request_record = builder.create_warc_record(
            url,
            "request",
            payload=BytesIO(request.body or b""),
            http_headers=StatusAndHeaders(f"{request.method} {target} HTTP/1.1", request_headers, is_http_request=True),
            warc_headers_dict={"WARC-Date": date},
        )
        protocol = getattr(response, "protocol", None) or "HTTP/1.1"
        status = f"{response.status} {_phrase(response.status)}"
        response_headers = _headers(response.headers, _DROPPED_HEADERS)
        warc_headers = {"WARC-Date": date}
        if response.ip_address is not None:
            warc_headers["WARC-IP-Address"] = str(response.ip_address)
        response_record = builder.create_warc_record(
            url,
            "response",
            payload=BytesIO(response.body),
            http_headers=StatusAndHeaders(status, response_headers, protocol=protocol),
            warc_headers_dict=warc_headers,
        )
        response_id = response_record.rec_headers.get_header("WARC-Record-ID")
        request_record.rec_headers.add_header("WARC-Concurrent-To", response_id)
        run_id = self.stats.get_value("newsarchive/run_id")
        fields = f"run-id: {run_id}\r\nvia: newsarchive\r\n".encode()
        metadata_record = builder.create_warc_record(
            url,
            "metadata",
            payload=BytesIO(fields),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response_id,
                "Content-Type": "application/warc-fields",
            },
        )
        try:
            _, (file, offset, length), _ = self.files.write([request_record, response_record, metadata_record])
        except OSError as error:  # a full disk must not stop the crawl; the page is still stored
            logger.error("could not write the WARC record of %s: %s", url, error)
            self.stats.inc_value("newsarchive/warc/errors")
            return response
        request.meta[META_KEY] = {"file": file, "offset": offset, "length": length}
        self.stats.inc_value("newsarchive/warc/records", 3)
        return response

    def spider_closed(self) -> None:
        self.files.close()
        if not self.files.written:
            return
        try:
            index = write_index(self.directory)
        except Exception as error:  # the WARC files are what counts; the index can be rebuilt from them
            logger.error("could not write the CDXJ index of %s: %s (rebuild: cdxj-indexer)", self.directory, error)
            return
        logger.info("WARC files in %s, index %s", self.directory, index)


class WarcPointerMiddleware:
    """Spider middleware: hands the response record's place on to the page item, for its raw page row."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcPointerMiddleware:
        if not crawler.settings.get("NEWSARCHIVE_WARC_DIR"):
            raise NotConfigured  # no WARC output asked for: no message, which Scrapy would log as a warning
        return cls()

    @staticmethod
    def _point(response: Response, item: Any) -> Any:
        if isinstance(item, FetchedPage) and item.warc is None:
            item.warc = response.meta.get(META_KEY)
        return item

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        return (self._point(response, item) for item in result)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for item in result:
            yield self._point(response, item)
