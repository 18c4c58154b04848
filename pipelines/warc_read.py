"""Reading WARC files: every HTTP response with its place in the file, and one record read back by place.

Any WARC (or ARC) warcio reads will do: ours, wget's, Common Crawl's. A damaged record (truncated,
corrupt gzip, a payload digest that does not match) is reported as `WarcDamage` and reading goes on at
the next record that can be found after it, so one bad record costs one page, not the file.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

if TYPE_CHECKING:
    from collections.abc import Iterator

    from warcio.recordloader import ArcWarcRecord

#: Where a record may start: a gzip member (one per record in a .warc.gz) or a plain WARC header.
_RECORD_STARTS = (b"\x1f\x8b\x08", b"WARC/1.")
_SCAN_CHUNK = 1 << 20
_SALVAGE_BYTES = 1 << 16
_TARGET = re.compile(rb"^WARC-Target-URI:[ \t]*(\S+)", re.MULTILINE | re.IGNORECASE)
#: HTTP headers that describe the transfer, not the page; the body we hand on is already decoded.
_TRANSFER_HEADERS = frozenset({"transfer-encoding", "content-encoding", "content-length"})
#: Errors a damaged record raises while being parsed or decompressed.
_DAMAGE = (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError, IndexError)


@dataclass(slots=True)
class WarcResponse:
    """One HTTP response record: the page as fetched, and where it is in its file."""

    url: str
    fetched_at: datetime
    status: int
    headers: dict[str, str]
    body: bytes
    file: str
    offset: int
    length: int

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")

    @property
    def pointer(self) -> dict[str, str | int]:
        return {"file": self.file, "offset": self.offset, "length": self.length}


@dataclass(slots=True)
class WarcDamage:
    """A record that could not be read whole."""

    file: str
    offset: int
    url: str | None
    reason: str


class WarcReadError(Exception):
    """The record a raw page points to cannot be read (file gone, moved or damaged)."""


def warc_date(value: str | None) -> datetime:
    """WARC-Date (ISO 8601, UTC); a record without one is dated now."""
    if not value:
        return datetime.now(UTC)
    parsed = datetime.fromisoformat(value.strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def iter_responses(path: str | Path) -> Iterator[WarcResponse | WarcDamage]:
    """Every response record of the file, in order, with damaged records reported and skipped."""
    name = str(Path(path).resolve())
    with open(name, "rb") as stream:
        start: int | None = 0
        while start is not None:
            stream.seek(start)
            records = ArchiveIterator(stream, check_digests=True)
            current: tuple[int, ArcWarcRecord] | None = None
            try:
                for record in records:
                    current = (records.offset, record)
                    item = _response(record, records, name, records.offset)
                    if item is not None:
                        yield item
                start = None
            except _DAMAGE as error:
                # records.offset is where the failing record starts, whether parsing or reading it failed
                offset = records.offset
                url = _target(current[1]) if current and current[0] == offset else _salvage_url(stream, offset)
                yield WarcDamage(name, offset, url, f"damaged WARC record: {_one_line(error)}")
                start = _next_record_start(stream, offset + 1)


def _response(record: ArcWarcRecord, records: ArchiveIterator, name: str, offset: int) -> WarcResponse | WarcDamage | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    url = _target(record)
    body = record.content_stream().read()
    while record.raw_stream.read(1 << 16):  # what the payload decoder left (trailing bytes)
        pass
    if getattr(record.raw_stream, "limit", 0) > 0:
        return WarcDamage(name, offset, url, "truncated WARC record: the file ends inside it")
    if record.digest_checker.passed is False:
        return WarcDamage(name, offset, url, "damaged WARC record: " + "; ".join(record.digest_checker.problems))
    length = records.get_record_length()
    status = record.http_headers.get_statuscode()
    headers: dict[str, str] = {}
    for key, value in record.http_headers.headers:
        if key.lower() not in _TRANSFER_HEADERS:
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return WarcResponse(
        url=url or "",
        fetched_at=warc_date(record.rec_headers.get_header("WARC-Date")),
        status=int(status) if status and status.isdigit() else 0,
        headers=headers,
        body=body,
        file=name,
        offset=offset,
        length=length,
    )


def _target(record: ArcWarcRecord | None) -> str | None:
    if record is None:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    return url.strip("<>") if url else None


def _salvage_url(stream: IO[bytes], offset: int) -> str | None:
    """The target URL from the head of a record warcio could not parse: its headers come first, so they
    usually decompress before the damage does."""
    stream.seek(offset)
    data = stream.read(_SALVAGE_BYTES)
    head = data
    if data.startswith(_RECORD_STARTS[0]):
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        pieces = []
        try:
            for start in range(0, len(data), 256):
                pieces.append(decompressor.decompress(data[start : start + 256]))
        except zlib.error:
            pass
        head = b"".join(pieces)
    match = _TARGET.search(head.split(b"\r\n\r\n", 1)[0])
    return match.group(1).decode("latin-1").strip("<>") if match else None


def _next_record_start(stream: IO[bytes], position: int) -> int | None:
    """The offset of the next place a record may start, at or after position; None at the end."""
    stream.seek(position)
    carry = b""
    base = position
    while chunk := stream.read(_SCAN_CHUNK):
        data = carry + chunk
        found = [i for i in (data.find(start) for start in _RECORD_STARTS) if i >= 0]
        if found:
            return base + min(found)
        carry = data[-8:]
        base += len(data) - len(carry)
    return None


def read_body(file: str, offset: int, length: int) -> bytes:
    """The decoded HTTP payload of the record at offset in file (as pointed to by a raw page)."""
    try:
        with open(file, "rb") as stream:
            stream.seek(offset)
            records = ArchiveIterator(stream)
            record = next(iter(records), None)
            if record is None or record.rec_type != "response":
                raise WarcReadError(f"no response record at offset {offset} of {file}")
            return record.content_stream().read()
    except _DAMAGE as error:
        raise WarcReadError(f"cannot read the WARC record at offset {offset} of {file}: {_one_line(error)}") from None


def _one_line(error: BaseException) -> str:
    """The error in one printable line of at most 200 characters (warcio quotes the bytes it choked on)."""
    text = str(error).split(", first line:", 1)[0]  # warcio quotes the bytes it choked on: not for humans
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return (text[:200] + "…" if len(text) > 200 else text) or type(error).__name__
