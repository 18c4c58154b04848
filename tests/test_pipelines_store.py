"""Writing items: a database error costs the item, is counted, and leaves a failure row behind."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from pipelines import store
from scraper.items import NotModified
from storage.db import open_archive
from tests.dbquery import query


def test_a_database_error_is_recorded_as_a_failure_row(sqlite_url, monkeypatch):
    open_archive(sqlite_url).dispose()  # migrated, as a crawl leaves it before storing

    def broken_store(*_args):
        raise sa.exc.OperationalError("INSERT ...", {}, Exception("disk I/O error"))

    monkeypatch.setattr(store, "ingest", broken_store)
    item = NotModified(url="https://paper.example/a/", site="paper", fetched_at=datetime.now(UTC))
    try:
        outcome = store.store_item(store.StoreContext(sqlite_url, None, True), item)
    finally:
        store.close_archives()
    assert outcome == ("failed", "database_errors")
    rows = query(sqlite_url, "SELECT url, reason FROM fetch_failures")
    assert [row.url for row in rows] == ["https://paper.example/a/"]
    assert "database error" in rows[0].reason and "disk I/O error" in rows[0].reason
