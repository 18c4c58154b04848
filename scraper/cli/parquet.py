"""`export --format parquet`: the CSV columns with their real types, written in batches (constant memory).

pyarrow is an optional extra (`pip install 'newsarchive[parquet]'`); without it the export stops with one
line saying so. Timestamps are UTC instants, authors a list of strings, related links a list of
{url, text} structs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

#: rows buffered before a row group is written
BATCH_ROWS = 1000
_TIMESTAMPS = ("published", "modified", "first_seen", "last_changed", "removed")


class ParquetUnavailable(Exception):
    """pyarrow is not installed."""


def _schema() -> Any:
    try:
        import pyarrow as pa
    except ImportError:
        raise ParquetUnavailable(
            "parquet export needs pyarrow: pip install 'newsarchive[parquet]' (or use --format csv/jsonl)"
        ) from None
    timestamp = pa.timestamp("us", tz="UTC")
    string = pa.string()
    return pa.schema(
        [
            ("id", pa.int64()),
            ("site", string),
            ("url", string),
            ("canonical_url", string),
            ("title", string),
            ("authors", pa.list_(string)),
            ("published", timestamp),
            ("modified", timestamp),
            ("language", string),
            ("section", string),
            ("site_name", string),
            ("lead_image", string),
            ("description", string),
            ("body", string),
            ("related_links", pa.list_(pa.struct([("url", string), ("text", string)]))),
            ("first_seen", timestamp),
            ("last_changed", timestamp),
            ("version", pa.int64()),
            ("removed", timestamp),
        ]
    )


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    typed = dict(row)
    for name in _TIMESTAMPS:
        value = typed.get(name)
        typed[name] = datetime.fromisoformat(value) if isinstance(value, str) else value
    return typed


def write_parquet(rows: Iterable[dict[str, Any]], path: str) -> int:
    """Write export rows to a Parquet file at path; returns how many. ParquetUnavailable without pyarrow."""
    schema = _schema()
    import pyarrow as pa
    import pyarrow.parquet as pq

    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(_typed(row))
            if len(batch) >= BATCH_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
