"""The one place that speaks a dialect's own SQL: everything SQLite-only or PostgreSQL-only lives here.

Connection set-up (SQLite PRAGMAs), the lock that serialises first-use migrations (BEGIN IMMEDIATE on
SQLite, a transaction advisory lock on PostgreSQL), the INSERT that supports ON CONFLICT, full-text
ranking (FTS5 bm25/snippet/MATCH on SQLite, tsvector/ts_rank/ts_headline on PostgreSQL) and the
session advisory lock behind one-run-at-a-time. Other modules call these functions and keep to
generic SQLAlchemy. The Alembic migrations under storage/migrations/ are the one exception: they may
be dialect-specific (the FTS5 table and its triggers, the generated tsvector column) and stay there.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, column, event, func, literal_column, select, table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from storage.models import Article, Site

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import ColumnElement

#: (article id, score where higher is more relevant, highlighted snippet), best first
Ranked = list[tuple[int, float, str]]

# --- connection set-up ---

SQLITE_PRAGMAS = (
    ("busy_timeout", "30000"),
    ("journal_mode", "WAL"),
    ("foreign_keys", "ON"),
    ("synchronous", "NORMAL"),
)
#: Switching a new file to WAL can fail at once with "database is locked" when another connection is
#: doing the same (SQLite skips the busy handler there to avoid deadlock), so that pragma is retried.
_PRAGMA_RETRIES = 100
_PRAGMA_RETRY_SECONDS = 0.05


def install_connection_setup(engine: Engine) -> None:
    """Have every new DBAPI connection of engine configured for the archive (SQLite only needs it)."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for name, value in SQLITE_PRAGMAS:
            _run_pragma(cursor, f"PRAGMA {name}={value}")
    finally:
        cursor.close()


def _run_pragma(cursor: sqlite3.Cursor, statement: str) -> None:
    for attempt in range(_PRAGMA_RETRIES):
        try:
            cursor.execute(statement)
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == _PRAGMA_RETRIES - 1:
                raise
            time.sleep(_PRAGMA_RETRY_SECONDS)


# --- migration lock ---

#: pg_advisory_xact_lock key that serialises concurrent first-use migrations
_MIGRATION_LOCK_KEY = 0x6E657773


@contextlib.contextmanager
def migration_lock(connection: Connection) -> Iterator[Connection]:
    """A transaction holding the database-wide migration lock; yields the connection to migrate on.

    Commits when the block ends, rolls back if it raises, so two processes opening a new archive
    don't both run the migrations.
    """
    if connection.dialect.name == "sqlite":
        with _sqlite_write_lock(connection) as locked:
            yield locked
        return
    with connection.begin():
        connection.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
        yield connection


@contextlib.contextmanager
def _sqlite_write_lock(connection: Connection) -> Iterator[Connection]:
    # pysqlite would not open a transaction for DDL; take the write lock ourselves for the whole upgrade.
    connection = connection.execution_options(isolation_level="AUTOCOMMIT")
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        with contextlib.suppress(DBAPIError):
            connection.exec_driver_sql("ROLLBACK")
        raise
    connection.exec_driver_sql("COMMIT")


# --- upserts ---


def upsert_insert(dialect_name: str, entity: type[Any]) -> Any:
    """The dialect's INSERT for entity, which has on_conflict_do_nothing / on_conflict_do_update on both."""
    if dialect_name == "postgresql":
        return postgresql.insert(entity)
    return sqlite.insert(entity)


# --- full-text search: how hits are ranked and snippets marked ---

HIGHLIGHT_START = "["
HIGHLIGHT_END = "]"
ELLIPSIS = "…"
SNIPPET_TOKENS = 24
#: SQLite bm25() weights for (title, body); PostgreSQL weights title 'A' over body 'B' instead.
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0


def ranked_matches(
    session: Session, terms: Sequence[str], filters: Sequence[ColumnElement[bool]], limit: int
) -> Ranked:
    """The best `limit` articles containing every term (bare words, no quotes) and passing filters.

    filters may refer to Article and Site, which are joined.
    """
    if session.get_bind().dialect.name == "postgresql":
        return _postgresql_ranked(session, terms, filters, limit)
    return _sqlite_ranked(session, terms, filters, limit)


# SQLite: FTS5 external-content table articles_fts(title, body), rowid = articles.id

_FTS = table("articles_fts", column("rowid"))
_FTS_TABLE = literal_column("articles_fts")


def _sqlite_match(terms: Sequence[str]) -> str:
    """An FTS5 query of quoted terms (implicitly ANDed); terms hold no quotes (they are bare words)."""
    return " ".join(f'"{term}"' for term in terms)


def _sqlite_ranked(
    session: Session, terms: Sequence[str], filters: Sequence[ColumnElement[bool]], limit: int
) -> Ranked:
    rank = func.bm25(_FTS_TABLE, TITLE_WEIGHT, BODY_WEIGHT)
    snippet = func.snippet(_FTS_TABLE, -1, HIGHLIGHT_START, HIGHLIGHT_END, ELLIPSIS, SNIPPET_TOKENS)
    query = (
        select(Article.id, rank, snippet)
        .select_from(_FTS)
        .join(Article, Article.id == _FTS.c.rowid)
        .join(Site, Article.site_id == Site.id)
        .where(_FTS_TABLE.op("MATCH")(_sqlite_match(terms)), *filters)
        .order_by(rank, Article.id)
        .limit(limit)
    )
    return [(article_id, -float(bm25), snippet or "") for article_id, bm25, snippet in session.execute(query)]


# PostgreSQL: generated tsvector column articles.search_vector (title 'A', body 'B'), GIN-indexed

_CONFIG = literal_column("'simple'::regconfig")
_VECTOR = literal_column("articles.search_vector")
_HEADLINE_OPTIONS = (
    f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=35, MinWords=15, "
    f'MaxFragments=1, FragmentDelimiter="{ELLIPSIS}"'
)


def _postgresql_ranked(
    session: Session, terms: Sequence[str], filters: Sequence[ColumnElement[bool]], limit: int
) -> Ranked:
    # plainto_tsquery ANDs the words and reads no operators; the terms are already bare words.
    tsquery = func.plainto_tsquery(_CONFIG, " ".join(terms))
    rank = func.ts_rank(_VECTOR, tsquery)
    query = (
        select(Article.id, rank)
        .join(Site, Article.site_id == Site.id)
        .where(_VECTOR.op("@@")(tsquery), *filters)
        .order_by(rank.desc(), Article.id)
        .limit(limit)
    )
    ranked = session.execute(query).all()
    if not ranked:
        return []
    # Headlines are costly: compute them for the page of hits only.
    body_matches = func.to_tsvector(_CONFIG, func.coalesce(Article.body, "")).op("@@")(tsquery)
    headline = case(
        (body_matches, func.ts_headline(_CONFIG, Article.body, tsquery, _HEADLINE_OPTIONS)),
        else_=func.ts_headline(_CONFIG, func.coalesce(Article.title, ""), tsquery, _HEADLINE_OPTIONS),
    )
    ids = [article_id for article_id, _ in ranked]
    snippets = dict(session.execute(select(Article.id, headline).where(Article.id.in_(ids))).tuples().all())
    return [(article_id, float(score), snippets.get(article_id) or "") for article_id, score in ranked]


# --- PostgreSQL session advisory locks (one run at a time per archive) ---


def try_advisory_lock(connection: Connection, key: int) -> bool:
    """Take the session-level lock `key` on connection if free; False if another session holds it."""
    return bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())


def advisory_unlock(connection: Connection, key: int) -> None:
    """Release the session-level lock `key` taken by try_advisory_lock on this connection."""
    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


def database_identity(connection: Connection) -> str:
    """What names this PostgreSQL archive whatever the URL's spelling (localhost, 127.0.0.1, a socket):
    the cluster's system identifier, the database's oid and the schema the archive lives in."""
    where = connection.execute(
        text("SELECT (SELECT oid FROM pg_database WHERE datname = current_database()), current_schema()")
    ).one()
    try:
        with connection.begin_nested():
            cluster = connection.execute(text("SELECT system_identifier FROM pg_control_system()")).scalar()
    except DBAPIError:  # pg_control_system() is not granted to this role: the server's address will do
        cluster = connection.execute(text("SELECT inet_server_addr() || ':' || inet_server_port()")).scalar()
    return f"{cluster}/{where[0]}/{where[1]}"
