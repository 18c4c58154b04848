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
import json
import re
import sqlite3
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Date,
    DateTime,
    and_,
    bindparam,
    cast,
    column,
    event,
    func,
    literal_column,
    select,
    table,
    text,
    type_coerce,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from storage.models import Article
from storage.querylang import And, Field, Not, Or, Phrase, Query, Term
from storage.wordpairs import Paired, pairs_clause

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session
    from sqlalchemy.sql import Select

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


# --- full-text search: the index's own query syntax, ranking and highlighted snippets ---

#: snippets mark each matched word with these two private-use characters (see storage.search.snippet_segments)
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"
ELLIPSIS = "…"
SNIPPET_TOKENS = 24
#: SQLite bm25() weights for (title, body); PostgreSQL weights title 'A' over body 'B' instead.
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
#: a word as storage.querylang leaves it: letters and digits only, so it can be quoted without escaping
_SAFE_WORD = re.compile(r"[^\W_]+")


def _word(word: str) -> str:
    if not _SAFE_WORD.fullmatch(word):
        raise ValueError(f"not a bare word: {word!r}")
    return word


def index_query_text(dialect_name: str, node: Query) -> str:
    """node (text leaves, AND/OR/NOT, title fields; normalised) in the index's own syntax, every word quoted.

    SQLite gets an FTS5 MATCH string, PostgreSQL the text of to_tsquery('simple', ...). Either is then
    bound as a parameter, never spliced into SQL.
    """
    return _tsquery(node, "") if dialect_name == "postgresql" else _fts5(node)


def _fts5(node: Query) -> str:
    if isinstance(node, Paired):
        return _fts5(node.node)
    if isinstance(node, Term):
        return f'"{_word(node.word)}"' + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return '"' + " ".join(_word(word) for word in node.words) + '"'
    if isinstance(node, Field):
        if node.name != "title":
            raise ValueError(f"{node.name}: is not in the full-text index")
        return "({title} : " + _fts5(node.node) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(_fts5(child) for child in node.children) + ")"
    if isinstance(node, And):
        positives = [_fts5(child) for child in node.children if not isinstance(child, Not)]
        expression = "(" + " AND ".join(positives) + ")"
        for child in node.children:
            if isinstance(child, Not):
                expression = f"({expression} NOT {_fts5(child.child)})"
        return expression
    raise ValueError(f"cannot search the index for {node!r}")


def _tsquery(node: Query, weight: str) -> str:
    if isinstance(node, Paired):
        return _tsquery(node.node, weight)
    if isinstance(node, Term):
        return f"'{_word(node.word)}'" + (f":*{weight}" if node.prefix else (f":{weight}" if weight else ""))
    if isinstance(node, Phrase):
        lexemes = [f"'{_word(word)}'" + (f":{weight}" if weight else "") for word in node.words]
        return "(" + " <-> ".join(lexemes) + ")"
    if isinstance(node, Field):
        if node.name != "title":
            raise ValueError(f"{node.name}: is not in the full-text index")
        return _tsquery(node.node, "A")
    if isinstance(node, Or):
        return "(" + " | ".join(_tsquery(child, weight) for child in node.children) + ")"
    if isinstance(node, And):
        return "(" + " & ".join(_tsquery(child, weight) for child in node.children) + ")"
    if isinstance(node, Not):
        return "!" + _tsquery(node.child, weight)
    raise ValueError(f"cannot search the index for {node!r}")


# SQLite: FTS5 external-content table articles_fts(title, body), rowid = articles.id
_FTS = table("articles_fts", column("rowid"))
_FTS_TABLE = literal_column("articles_fts")
# PostgreSQL: generated tsvector column articles.search_vector (title 'A', body 'B'), GIN-indexed
_CONFIG = literal_column("'simple'::regconfig")
_VECTOR = literal_column("articles.search_vector")
_HEADLINE_OPTIONS = (
    f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=35, MinWords=15, "
    f'MaxFragments=1, FragmentDelimiter="{ELLIPSIS}"'
)


def index_select(dialect_name: str, node: Query, *columns: Any) -> Select[Any]:
    """SELECT columns FROM the articles matching node in the index, joined with Article."""
    text_query = bindparam("index_query", index_query_text(dialect_name, node))
    if dialect_name == "postgresql":
        return select(*columns).select_from(Article).where(_pg_match(_VECTOR, node))
    return (
        select(*columns)
        .select_from(_FTS)
        .join(Article, Article.id == _FTS.c.rowid)
        .where(_FTS_TABLE.op("MATCH")(text_query))
    )


def _pg_match(vector: Any, node: Query) -> Any:
    """vector @@ node, the phrases of its top-level AND with word pairs (storage.wordpairs) looked up in the
    pair index: those the pairs decide alone leave the tsquery, the others stay in it to be checked."""
    conjuncts = node.children if isinstance(node, And) else (node,)
    paired = [part for part in conjuncts if isinstance(part, Paired)]
    rest = [part for part in conjuncts if not (isinstance(part, Paired) and part.exact)]
    clauses = [pairs_clause(vector, paired)] if paired else []
    if rest:
        residue = rest[0] if len(rest) == 1 else And(tuple(rest))
        text_query = bindparam(None, index_query_text("postgresql", residue), unique=True)
        clauses.append(vector.op("@@")(func.to_tsquery(_CONFIG, text_query)))
    return and_(*clauses)


def index_is_exact(dialect_name: str, node: Query) -> bool:
    """Whether the index alone decides which articles match node, without reading any article's words.

    PostgreSQL's GIN index knows which words an article holds, not where nor in which field: a phrase or
    a title: term is checked again on each candidate's tsvector, read out of line (TOAST), which is what
    such a query costs. FTS5 holds positions and columns, so it always decides alone.
    """
    if dialect_name != "postgresql":
        return True
    if isinstance(node, Paired):
        return node.exact
    if isinstance(node, Phrase | Field):
        return False
    if isinstance(node, Not):
        return index_is_exact(dialect_name, node.child)
    if isinstance(node, And | Or):
        return all(index_is_exact(dialect_name, child) for child in node.children)
    return True


def tested_on_rows(dialect_name: str, column: Any) -> Any:
    """column in a form no b-tree index matches, so PostgreSQL tests a filter on it against the rows the
    full-text index yields, instead of reading the filtered rows and testing the words on each one.

    The planner prices `tsvector @@ tsquery` as one cheap operator, not knowing that it reads the row's
    out-of-line tsvector first: with a common word and a filter, it would pick the filter's index and test
    the words on every filtered row (several milliseconds per thousand rows) where testing the filter on
    the index's matches reads nothing more. Only worth it when the index decides alone (index_is_exact).
    """
    if dialect_name != "postgresql":
        return column
    base_type = getattr(column.type, "impl", column.type)  # a TypeDecorator's underlying type
    zero = literal_column("interval '0'") if isinstance(base_type, DateTime) else literal_column("0")
    return type_coerce(column.op("+")(zero), column.type)


def index_ids(dialect_name: str, node: Query) -> Select[Any]:
    """The ids of the articles matching node, for `Article.id IN (...)` (no join)."""
    if dialect_name == "postgresql":
        articles = Article.__table__.alias("text_match")
        return select(articles.c.id).where(_pg_match(literal_column("text_match.search_vector"), node))
    text_query = bindparam(None, index_query_text(dialect_name, node), unique=True)
    # A table object of its own (not _FTS), so the subquery is never correlated with an outer index query;
    # inside it the name articles_fts refers to its own FROM.
    fts = table("articles_fts", column("rowid"))
    return select(fts.c.rowid).where(_FTS_TABLE.op("MATCH")(text_query)).correlate(None)


def index_rank(dialect_name: str, node: Query) -> tuple[Any, Any]:
    """(score column where higher is better, ORDER BY clause best first) for a select from index_select."""
    if dialect_name == "postgresql":
        text_query = bindparam("index_query", index_query_text(dialect_name, node))
        rank = func.ts_rank(_VECTOR, func.to_tsquery(_CONFIG, text_query))
        return rank, rank.desc()
    bm25 = func.bm25(_FTS_TABLE, TITLE_WEIGHT, BODY_WEIGHT)
    return -bm25, bm25


def index_snippets(session: Session, node: Query, ids: Sequence[int]) -> dict[int, str]:
    """Highlighted snippets of the given matching articles (computed for a page of hits only: they cost)."""
    if not ids:
        return {}
    dialect_name = session.get_bind().dialect.name
    text_query = bindparam("index_query", index_query_text(dialect_name, node))
    if dialect_name == "postgresql":
        # The body's headline when a matched word is in the body, else the title's (cheap: it is short).
        tsquery = func.to_tsquery(_CONFIG, text_query)
        body = func.ts_headline(_CONFIG, Article.body, tsquery, _HEADLINE_OPTIONS)
        title = func.ts_headline(_CONFIG, func.coalesce(Article.title, ""), tsquery, _HEADLINE_OPTIONS)
        rows = session.execute(select(Article.id, body, title).where(Article.id.in_(ids))).tuples()
        return {
            article_id: (body_text if HIGHLIGHT_START in (body_text or "") else title_text) or ""
            for article_id, body_text, title_text in rows
        }
    snippet = func.snippet(_FTS_TABLE, -1, HIGHLIGHT_START, HIGHLIGHT_END, ELLIPSIS, SNIPPET_TOKENS)
    query = (
        select(_FTS.c.rowid, snippet)
        .select_from(_FTS)
        .where(_FTS_TABLE.op("MATCH")(text_query), _FTS.c.rowid.in_(ids))
    )
    return {article_id: text or "" for article_id, text in session.execute(query).tuples()}


def index_row_id(dialect_name: str) -> Any:
    """The article id as the index query sees it: FTS5 can bound its own rowid, not articles.id."""
    return Article.id if dialect_name == "postgresql" else _FTS.c.rowid


#: the share of articles from which a query's matches count as dense (see index_window_id)
DENSE_MATCHES = 0.3


def index_window_id(session: Session, matches: Select[Any], by_index: bool = False) -> Any:
    """The id to find and bound the newest matches by (search's rank window); matches selects their ids.

    FTS5 bounds its own rowid. On PostgreSQL, walking the primary key newest first and testing each row
    reads every row's out-of-line tsvector: cheap when most rows match (a few more rows than the window),
    costly when few do; then `id + 0` has the matches taken from the GIN index first. Which one is chosen
    from the planner's estimate of how many articles match, against how many there are. by_index: always
    from the index, when it decides alone (see index_is_exact) and no tsvector need be read at all, or when
    phrases are looked up by their word pairs (storage.wordpairs), which a walk would compute for each row.
    """
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return _FTS.c.rowid
    if by_index:
        return Article.id + 0
    compiled = matches.compile(dialect=bind.dialect)
    connection = session.connection()
    plan = connection.exec_driver_sql(
        "EXPLAIN (FORMAT JSON) " + compiled.string, compiled.params
    ).scalar_one()
    estimated = (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]["Plan Rows"]
    articles = session.scalar(text("SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass")) or 0
    dense = articles > 0 and estimated >= DENSE_MATCHES * articles
    return Article.id if dense else Article.id + 0


def newest_ids_pay(dialect_name: str, exact: bool, filtered: bool, paired: bool = False) -> bool:
    """Whether search counts a query's matches by fetching the ids of the newest TOTAL_CAP + 1 of them, then
    ranks the window by id (storage.search._newest), rather than counting, finding the window's start and
    ranking in three passes over the matches.

    On PostgreSQL, when the words need their tsvector read (not exact, see index_is_exact) or filters are
    tested on the index's matches, each pass reads every match again: one pass is far cheaper. For words
    alone the three passes stop early (the count at TOTAL_CAP + 1 rows in any order, the window walking the
    newest rows) where one pass would sort every match. Phrases looked up by their word pairs (paired,
    storage.wordpairs) cannot walk the newest rows (each would have its pairs computed): the window would
    be a sort of every match, as the one pass is. FTS5 counts and bounds its own rowids cheaply.
    """
    return dialect_name == "postgresql" and (filtered or not exact or paired)


@contextlib.contextmanager
def index_scans(session: Session, enabled: bool = True) -> Iterator[None]:
    """Have PostgreSQL read full-text matches through the GIN index, within the caller's transaction.

    When most rows match, the planner picks a sequential scan that tests `@@` on every row, reading
    each row's out-of-line tsvector; a bitmap scan of the index only visits the rows. Each statement is
    also planned for its own words: the driver prepares a statement run a few times over, and the server's
    generic plan for it, blind to the words, may drive a phrase by one index and compute the other's test
    on every candidate (e.g. each one's word pairs, storage.wordpairs: seconds instead of a tenth of one).
    Nothing on SQLite, nor when not enabled (a query without words).
    """
    if not enabled or session.get_bind().dialect.name != "postgresql":
        yield
        return
    session.execute(text("SET LOCAL enable_seqscan = off"))
    session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    try:
        yield
    finally:
        session.execute(text("SET LOCAL plan_cache_mode TO DEFAULT"))
        session.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))


def scan_many_matches(dialect_name: str) -> bool:
    """Whether a query matching much of the archive is cheaper scanned (storage.matching.Plan.select_scanning).

    SQLite reads a narrow covering index instead of wide article rows; PostgreSQL gets its match set from the
    GIN index as row locations, cheaper than any scan.
    """
    return dialect_name == "sqlite"


def utc_day(dialect_name: str) -> Any:
    """The UTC calendar day an article was published: a date on PostgreSQL (a cast per row, far cheaper
    than formatting text), on SQLite the indexed virtual column published_day, 'YYYY-MM-DD' text (the
    start of the naive UTC text SQLite holds, see storage.timestamps; migration 0003). str() of either is
    the same."""
    if dialect_name == "postgresql":
        return cast(func.timezone("UTC", Article.published), Date)
    return literal_column("articles.published_day")


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
