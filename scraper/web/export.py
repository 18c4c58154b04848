"""The whole result set of a query as CSV or JSON lines, streamed in chunks with no cap on rows.

The first row is read before the response starts, so a bad query is still a 400 and not a broken
download; the session stays open until the last chunk is sent (or the client goes away).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from itertools import chain
from typing import TYPE_CHECKING, Any

from scraper.cli.archive import EXPORT_CSV_FIELDS
from storage.search import SearchFilters, iter_matches

if TYPE_CHECKING:
    from storage.db import Archive

FORMATS = ("csv", "jsonl")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}
#: bytes of text gathered before a chunk is sent
CHUNK = 64 * 1024


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    """The export row with its lists flattened as `newsarchive export --format csv` writes them."""
    flat = dict(row)
    flat["authors"] = "; ".join(row.get("authors") or [])
    flat["related_links"] = json.dumps(row.get("related_links") or [], ensure_ascii=False)
    return flat


def open_export(archive: Archive, query: str, filters: SearchFilters, fmt: str) -> Iterator[str]:
    """Chunks of the export; raises the query layer's ValueError now for a bad query."""
    session = archive.sessions()
    try:
        rows = iter_matches(session, query, filters)
        first = next(rows, None)
    except BaseException:
        session.close()
        raise
    everything = rows if first is None else chain([first], rows)
    return _chunks(session, everything, fmt)


def _chunks(session: Any, rows: Iterator[dict[str, Any]], fmt: str) -> Iterator[str]:
    buffer = io.StringIO()
    try:
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_CSV_FIELDS, extrasaction="ignore")
        if fmt == "csv":
            writer.writeheader()
        for row in rows:
            if fmt == "csv":
                writer.writerow(csv_row(row))
            else:
                buffer.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            if buffer.tell() >= CHUNK:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue()
    finally:
        session.close()
