"""Search benchmark: p50/p95 of each query class on generated archives of 10k and 100k articles, both databases.

    .venv/bin/python benchmarks/search.py                          # 10k and 100k, SQLite and PostgreSQL
    .venv/bin/python benchmarks/search.py --sizes 10000 --dbs sqlite --repeat 10
    .venv/bin/python benchmarks/search.py --keep /tmp/bench   # build once, reuse on later runs

Articles are generated (8 paragraphs of words drawn from a Zipf distribution over a made-up vocabulary, so
a few words are in every article and most are rare), spread over 2 years and 5 sites, and bulk-inserted
(not crawled). PostgreSQL uses a schema of its own in $NEWSARCHIVE_BENCH_PG_URL (default: the test server),
dropped afterwards; SQLite a temporary file. Each query class runs --repeat times with different words of
the same frequency class; the search classes time one search_page (total + first page of 20 with
snippets), "counts by month" one counts_over_time.

With --keep DIR the archives outlive the run (SQLite files in DIR, PostgreSQL schemas bench_keep_SIZE) and a
later run with the same --keep reuses those already holding SIZE articles, migrated to head on opening like
any archive; --drop-kept removes them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO_ROOT))

from storage.counts import counts_over_time  # noqa: E402
from storage.db import open_archive  # noqa: E402
from storage.search import SearchFilters, search_page  # noqa: E402

PG_URL = os.environ.get("NEWSARCHIVE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
VOCABULARY = 50_000
ZIPF_A = 1.1
PARAGRAPHS = 8
WORDS_PER_PARAGRAPH = 45
SITES = ("north", "south", "east", "west", "wire")
SECTIONS = ("politics", "business", "sport", "culture", "science")
AUTHORS = 300
START = datetime(2024, 1, 1, tzinfo=UTC)
DAYS = 730
BATCH = 2000
_CONSONANTS = "bcdfghklmnprstvz"
#: PostgreSQL's full-text indexes (migrations 0001 and 0004), dropped for the load and built after it
PG_TEXT_INDEXES = {
    "ix_articles_search_vector": "search_vector",
    "ix_articles_word_pairs": "article_word_pairs(search_vector)",
}
_VOWELS = "aeiou"


def word(rank: int) -> str:
    """A pronounceable made-up word for a vocabulary rank (1 is the most frequent)."""
    letters, n = [], rank
    while True:
        letters.append(_CONSONANTS[n % 16] + _VOWELS[(n // 16) % 5])
        n //= 80
        if n == 0:
            break
    return "".join(letters)


def ranks(rng: np.random.Generator, count: int) -> np.ndarray:
    drawn = rng.zipf(ZIPF_A, size=count)
    return np.where(drawn > VOCABULARY, rng.integers(1, VOCABULARY, size=count), drawn)


def generate(count: int, seed: int = 1) -> Iterator[list[dict]]:
    """Batches of article rows (and their author ids), deterministic for a seed."""
    rng = np.random.default_rng(seed)
    words = [""] + [word(rank) for rank in range(1, VOCABULARY + 1)]
    per_article = PARAGRAPHS * WORDS_PER_PARAGRAPH
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        drawn = ranks(rng, size * per_article).reshape(size, PARAGRAPHS, WORDS_PER_PARAGRAPH)
        titles = ranks(rng, size * 6).reshape(size, 6)
        days = rng.integers(0, DAYS, size=size)
        seconds = rng.integers(0, 86_400, size=size)
        rows = []
        for i in range(size):
            article_id = start + i + 1
            body = "\n".join(" ".join(words[r] for r in paragraph) + "." for paragraph in drawn[i])
            published = START + timedelta(days=int(days[i]), seconds=int(seconds[i]))
            rows.append(
                {
                    "id": article_id,
                    "site_id": article_id % len(SITES) + 1,
                    "url": f"https://bench.example/{article_id}",
                    "canonical_url": f"https://bench.example/{article_id}",
                    "title": " ".join(words[r] for r in titles[i]).capitalize(),
                    "body": body,
                    "language": "en",
                    "section": SECTIONS[article_id % len(SECTIONS)],
                    "published": None if article_id % 50 == 0 else published,
                    "content_hash": str(article_id),
                    "first_seen": published,
                    "last_seen": published,
                    "last_changed": published,
                    "version": 1,
                    "extractor_version": "bench",
                    "later_copy": False,
                    "author_id": int(rng.integers(1, AUTHORS + 1)),
                }
            )
        yield rows


def build(url: str, count: int) -> float:
    """Fill a migrated, empty archive at url with count generated articles; returns seconds taken."""
    from storage.models import Article, ArticleAuthor, Author, Site

    began = time.perf_counter()
    with open_archive(url) as archive, archive.engine.begin() as connection:
        if archive.dialect == "postgresql":  # one GIN build after the load is far cheaper than 100k updates
            for name in PG_TEXT_INDEXES:
                connection.exec_driver_sql(f"DROP INDEX {name}")
        connection.execute(sa.insert(Site), [{"id": i + 1, "name": name} for i, name in enumerate(SITES)])
        connection.execute(
            sa.insert(Author),
            [
                {"id": i, "name": f"Author {word(i)}", "name_key": f"author {word(i)}"}
                for i in range(1, AUTHORS + 1)
            ],
        )
        for rows in generate(count):
            connection.execute(
                sa.insert(Article), [{k: v for k, v in row.items() if k != "author_id"} for row in rows]
            )
            connection.execute(
                sa.insert(ArticleAuthor),
                [{"article_id": row["id"], "author_id": row["author_id"], "position": 0} for row in rows],
            )
        if archive.dialect == "postgresql":
            for name, expression in PG_TEXT_INDEXES.items():
                began_index = time.perf_counter()
                connection.exec_driver_sql(f"CREATE INDEX {name} ON articles USING gin ({expression})")
                size = connection.scalar(sa.text(f"SELECT pg_size_pretty(pg_relation_size('{name}'))"))
                seconds = time.perf_counter() - began_index
                print(f"{name}: built in {seconds:.1f} s, {size}", file=sys.stderr, flush=True)
        connection.exec_driver_sql("ANALYZE")
    if url.startswith("postgresql"):  # as autovacuum would have: visibility map for index-only scans
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM ANALYZE articles")
        engine.dispose()
    return time.perf_counter() - began


#: query class -> words ranks to draw the query from, and how the query is written
def query_classes() -> dict[str, list[tuple[str, SearchFilters]]]:
    none = SearchFilters()
    recent = SearchFilters(site="north", since=START + timedelta(days=365))
    return {
        "common word": [(word(r), none) for r in (1, 2, 3, 4, 5)],
        "rare word": [(word(r), none) for r in (20_000, 21_000, 22_000, 23_000, 24_000)],
        "phrase": [(f'"{word(a)} {word(b)}"', none) for a, b in ((1, 2), (2, 3), (3, 1), (1, 4), (4, 2))],
        "phrase, 3 words": [
            (f'"{word(a)} {word(b)} {word(c)}"', none)
            for a, b, c in ((1, 2, 3), (2, 3, 1), (3, 1, 4), (1, 4, 2), (4, 2, 1))
        ],
        "OR": [
            (f"{word(a)} OR {word(b)}", none)
            for a, b in ((300, 400), (500, 600), (700, 800), (900, 1000), (310, 410))
        ],
        "with filters": [(word(r), recent) for r in (1, 2, 50, 60, 70)],
        "counts by month": [(word(r), none) for r in (1, 10, 100, 200, 300)],
    }


def cpu_ms(pids: list[int]) -> float:
    """CPU time used so far by this process (precise) and the other processes (Linux schedstat), in ms."""
    total = time.process_time_ns()
    for pid in pids:
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as stat:
            total += int(stat.read().split()[0])
    return total / 1e6


def timings(url: str, repeat: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Per query class: wall-clock ms, and CPU ms of this process plus the PostgreSQL backend serving it."""
    found: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    with open_archive(url) as archive, archive.sessions() as session:
        pids = []
        if archive.dialect == "postgresql":
            pids.append(session.scalar(sa.text("SELECT pg_backend_pid()")))
        for name, queries in query_classes().items():
            run: Callable[[str, SearchFilters], object]
            if name == "counts by month":
                run = lambda q, f: counts_over_time(session, q, f, by="month")  # noqa: E731
            else:
                run = lambda q, f: search_page(session, q, f, limit=20)  # noqa: E731
            run(*queries[0])  # warm the caches once
            samples, cpu_samples = [], []
            for i in range(repeat):
                query, filters = queries[i % len(queries)]
                began, began_cpu = time.perf_counter(), cpu_ms(pids)
                run(query, filters)
                samples.append((time.perf_counter() - began) * 1000)
                cpu_samples.append(cpu_ms(pids) - began_cpu)
            found[name] = samples
            cpu[name] = cpu_samples
    return found, cpu


def pg_schema_url(schema: str) -> str:
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


def _article_count(url: str) -> int | None:
    """How many articles the archive at url holds without migrating it; None when it has no articles table."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("articles"):
                return None
            return connection.scalar(sa.text("SELECT count(*) FROM articles"))
    finally:
        engine.dispose()


@contextlib.contextmanager
def archive_url(db: str, size: int, keep: Path | None) -> Iterator[str]:
    """The URL of an archive of size generated articles on db: built for this run and removed after it, or
    with keep, kept and reused when an earlier run left one of that size."""
    with contextlib.ExitStack() as stack:
        if db == "sqlite":
            folder = keep or Path(stack.enter_context(tempfile.TemporaryDirectory()))
            path = folder / f"search-{size}.db"
            url = f"sqlite:///{path}"
            if keep is not None and path.exists() and _article_count(url) != size:
                _remove_sqlite(path)  # an interrupted or different build: start again
        else:
            schema = f"bench_keep_{size}" if keep else f"bench_{uuid.uuid4().hex[:10]}"
            url = pg_schema_url(schema)
            if keep is None or _article_count(url) != size:
                _pg_schema(schema, create=True)
            if keep is None:
                stack.callback(_pg_schema, schema, create=False)
        if keep is None or _article_count(url) != size:
            seconds = build(url, size)
            print(f"built {size} articles on {db} in {seconds:.0f} s", file=sys.stderr, flush=True)
        else:
            print(f"reusing the kept {size}-article archive on {db}", file=sys.stderr, flush=True)
        yield url


def _pg_schema(schema: str, *, create: bool) -> None:
    """Drop the schema if it exists, then create it empty when create is set."""
    admin = sa.create_engine(PG_URL)
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            if create:
                connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    finally:
        admin.dispose()


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def drop_kept(keep: Path, sizes: list[int]) -> None:
    for size in sizes:
        _remove_sqlite(keep / f"search-{size}.db")
        _pg_schema(f"bench_keep_{size}", create=False)


def percentile(samples: list[float], q: float) -> float:
    return float(np.percentile(samples, q)) if samples else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=lambda v: [int(x) for x in v.split(",")], default=[10_000, 100_000])
    parser.add_argument("--dbs", type=lambda v: v.split(","), default=["sqlite", "postgresql"])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep the archives (SQLite files in DIR) to reuse"
    )
    parser.add_argument(
        "--drop-kept", action="store_true", help="remove the archives kept with --keep, then exit"
    )
    args = parser.parse_args()
    if args.keep is not None and not args.keep.is_dir():
        parser.error(f"--keep: {args.keep} is not a directory")
    if args.drop_kept:
        if args.keep is None:
            parser.error("--drop-kept needs --keep DIR")
        drop_kept(args.keep, args.sizes)
        return 0
    results: dict[tuple[str, int], dict[str, list[float]]] = {}
    cpu: dict[tuple[str, int], dict[str, list[float]]] = {}
    for size in args.sizes:
        for db in args.dbs:
            with archive_url(db, size, args.keep) as url:
                results[(db, size)], cpu[(db, size)] = timings(url, args.repeat)
    print(f"load average after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", file=sys.stderr)
    for title, table in (("wall-clock", results), ("CPU (client + database server)", cpu)):
        columns = list(table)
        print(f"\n{title}, ms\n")
        header = " | ".join(f"{db} {size // 1000}k p50 / p95" for db, size in columns)
        print(f"| query class | {header} |")
        print("| --- |" + " --- |" * len(columns))
        for name in query_classes():
            cells = [
                f"{statistics.median(table[key][name]):.1f} / {percentile(table[key][name], 95):.1f}"
                for key in columns
            ]
            print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
