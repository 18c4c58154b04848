"""Opening the archive: URL resolution, migrations on both dialects, pragmas, one-line errors."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.counts import counts_over_time
from storage.db import (
    DEFAULT_DB_URL,
    ArchiveError,
    alembic_config,
    head_revision,
    open_archive,
    resolve_db_url,
    upgrade_archive,
)
from storage.models import Base, Site
from storage.search import SearchFilters
from tests.query_archive import fill

# --- URL resolution ---


def test_resolve_prefers_value_then_env_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_DB", raising=False)
    assert resolve_db_url(None) == DEFAULT_DB_URL
    monkeypatch.setenv("NEWSARCHIVE_DB", "sqlite:///from-env.db")
    assert resolve_db_url(None) == "sqlite:///from-env.db"
    assert resolve_db_url("sqlite:///given.db") == "sqlite:///given.db"


def test_resolve_bare_paths_and_postgres_schemes() -> None:
    assert resolve_db_url("/tmp/x/archive.db") == "sqlite:////tmp/x/archive.db"
    assert resolve_db_url("archive.db") == "sqlite:///archive.db"
    assert resolve_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_db_url("postgresql://u@h:5433/db") == "postgresql+psycopg://u@h:5433/db"
    assert resolve_db_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize("url", ["nosuchdialect://x", "mysql://u@h/db", "sqlite+nosuchdriver:///x.db"])
def test_unknown_dialects_raise_one_line_archive_error(url: str) -> None:
    started = time.monotonic()
    with pytest.raises(ArchiveError) as caught:
        open_archive(url)
    assert time.monotonic() - started < 2
    assert "\n" not in str(caught.value)


def test_unreachable_postgres_fails_fast_with_one_line() -> None:
    started = time.monotonic()
    with pytest.raises(ArchiveError) as caught:
        open_archive("postgresql://postgres@127.0.0.1:1/test")
    assert time.monotonic() - started < 6
    message = str(caught.value)
    assert message.startswith("cannot connect to database postgresql+psycopg://postgres@127.0.0.1:1/test: ")
    assert "\n" not in message


def test_password_is_hidden_in_messages() -> None:
    with pytest.raises(ArchiveError) as caught:
        open_archive("postgresql://postgres:s3cret@127.0.0.1:1/test")
    assert "s3cret" not in str(caught.value)


def test_sqlite_in_missing_directory_is_an_archive_error(tmp_path) -> None:
    with pytest.raises(ArchiveError, match="does not exist"):
        open_archive(str(tmp_path / "missing" / "archive.db"))


def test_sqlite_file_that_is_not_a_database_is_an_archive_error(tmp_path) -> None:
    path = tmp_path / "archive.db"
    path.write_bytes(b"this is not a sqlite database, just text" * 100)
    with pytest.raises(ArchiveError) as caught:
        open_archive(str(path))
    assert "\n" not in str(caught.value)


# --- migrations ---


#: created by the migrations only and not mapped: the full-text index, SQLite's indexed day of publication
UNMAPPED = (
    "search_vector",
    "ix_articles_search_vector",
    "published_day",
    "ix_articles_published_day",
    "ix_articles_site_id_published_day",
    "ix_articles_word_pairs",
)


def _ignore_search_objects(obj, name, type_, reflected, compare_to) -> bool:
    """The full-text index and the day index are created by the migrations only and not mapped."""
    if type_ == "table" and name and name.startswith("articles_fts"):
        return False
    return not (type_ in ("column", "index") and name in UNMAPPED)


def test_migration_creates_the_mapped_schema_exactly(db_url: str) -> None:
    with open_archive(db_url) as archive, archive.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": _ignore_search_objects, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() == head_revision()


def test_opening_twice_is_idempotent_and_keeps_data(db_url: str) -> None:
    with open_archive(db_url) as archive, archive.sessions.begin() as session:
        session.add(Site(name="example"))
    with open_archive(db_url) as archive, archive.sessions.begin() as session:
        assert session.scalars(sa.select(Site.name)).all() == ["example"]
    assert upgrade_archive(db_url) == head_revision()


def test_downgrade_to_base_removes_everything_and_upgrade_restores_it(db_url: str) -> None:
    with open_archive(db_url) as archive, archive.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    with open_archive(db_url, upgrade=False) as archive:
        assert set(sa.inspect(archive.engine).get_table_names()) <= {"alembic_version"}
    with open_archive(db_url) as archive:
        tables = set(sa.inspect(archive.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_the_day_index_is_added_to_an_existing_archive(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """An archive filled before 0003_published_day counts the same by day once upgraded, old rows included;
    the upgrade says so first (on a large archive it can take minutes)."""
    with open_archive(db_url) as archive, archive.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0002_warc")
    with open_archive(db_url, upgrade=False) as archive:
        columns = {column["name"] for column in sa.inspect(archive.engine).get_columns("articles")}
        assert "published_day" not in columns
        fill(archive)  # stored by the code of today into the schema of before
    caplog.clear()
    with open_archive(db_url) as archive, archive.sessions() as session:
        assert any("upgrading the schema" in r.getMessage() and "0002_warc" in r.getMessage() for r in caplog.records)
        rows = counts_over_time(session, "", SearchFilters(), by="day")
        assert [(row.period, row.count) for row in rows][:2] == [("2024-05-01", 1), ("2024-05-11", 1)]
        assert sum(row.count for row in rows) == 5
        if archive.dialect == "sqlite":
            plan = session.execute(sa.text("EXPLAIN QUERY PLAN " + DAY_COUNT)).all()
            assert "ix_articles_published_day" in " ".join(str(step[-1]) for step in plan)


DAY_COUNT = (
    "SELECT published_day, count(*) FROM articles WHERE published_day IS NOT NULL GROUP BY published_day"
)


def test_open_without_upgrade_leaves_database_empty(sqlite_url: str) -> None:
    with open_archive(sqlite_url, upgrade=False) as archive:
        assert sa.inspect(archive.engine).get_table_names() == []


def test_concurrent_first_opens_both_succeed(db_url: str) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def open_once() -> None:
        try:
            barrier.wait()
            open_archive(db_url).dispose()
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=open_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with open_archive(db_url, upgrade=False) as archive, archive.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()


def test_sqlite_pragmas_hold_on_every_connection(sqlite_url: str) -> None:
    with open_archive(sqlite_url) as archive:
        for _ in range(2):
            with archive.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
                assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            archive.engine.dispose()


def test_archive_reports_its_dialect(db_url: str) -> None:
    with open_archive(db_url) as archive:
        assert archive.dialect == ("sqlite" if db_url.startswith("sqlite") else "postgresql")
        assert archive.url == db_url


# --- timestamps ---


def test_timestamps_come_back_aware_utc(db_url: str) -> None:
    local = timezone(timedelta(hours=5, minutes=30))
    given = datetime(2024, 3, 1, 17, 30, tzinfo=local)
    with open_archive(db_url) as archive:
        with archive.sessions.begin() as session:
            session.add(Site(name="aware", created_at=given))
            session.add(Site(name="naive", created_at=datetime(2024, 3, 1, 12, 0)))
        with archive.sessions() as session:
            created = dict(session.execute(sa.select(Site.name, Site.created_at)).tuples().all())
    for value in created.values():
        assert value.tzinfo is not None and value.utcoffset() == timedelta(0)
        assert value == datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def test_unknown_schema_revision_is_an_archive_error(sqlite_url: str) -> None:
    open_archive(sqlite_url).dispose()
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    engine.dispose()
    with pytest.raises(ArchiveError, match="9999_from_the_future") as caught:
        open_archive(sqlite_url)
    assert "\n" not in str(caught.value)


def test_malformed_url_message_hides_the_password() -> None:
    with pytest.raises(ArchiveError, match="invalid database URL") as caught:
        open_archive("postgresql://user:s3cret@host:notaport/db")
    assert "s3cret" not in str(caught.value)
