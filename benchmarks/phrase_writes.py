"""What the word-pair index (migration 0004_word_pairs) costs when storing: articles/s through save_article.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/phrase_writes.py --articles 2000 --rounds 3

Stores generated articles (the search benchmark's, 360 words each) one save_article call each, 100 per
transaction, into a fresh PostgreSQL schema migrated to head, alternately with and without the index
ix_articles_word_pairs (dropped, then created again), each round into an archive of the size the earlier
rounds left; prints articles/s of each round. PostgreSQL only: SQLite has no such index.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.search import PG_URL, SITES, generate, pg_schema_url  # noqa: E402
from storage import articles  # noqa: E402
from storage.db import open_archive  # noqa: E402

PER_TRANSACTION = 100
DROP_INDEX = "DROP INDEX IF EXISTS ix_articles_word_pairs"
CREATE_INDEX = "CREATE INDEX IF NOT EXISTS ix_articles_word_pairs ON articles USING gin (article_word_pairs(search_vector))"


def records(count: int, seed: int) -> list[dict]:
    """count article records as a crawl would hand them to the store."""
    found = []
    for rows in generate(count, seed):
        for row in rows:
            found.append(
                {
                    "url": f"https://bench.example/{seed}/{row['id']}",
                    "canonical_url": None,
                    "title": row["title"],
                    "authors": [],
                    "published": row["published"],
                    "modified": None,
                    "language": row["language"],
                    "section": row["section"],
                    "site_name": None,
                    "lead_image": None,
                    "description": None,
                    "body": row["body"],
                    "related_links": [],
                }
            )
    return found


def store(archive, batch: list[dict]) -> float:  # noqa: ANN001
    """Seconds to store batch, PER_TRANSACTION articles per transaction."""
    fetched = datetime.now(UTC)
    began = time.perf_counter()
    for start in range(0, len(batch), PER_TRANSACTION):
        with archive.sessions.begin() as session:
            for number, record in enumerate(batch[start : start + PER_TRANSACTION]):
                site = SITES[number % len(SITES)]
                articles.save_article(session, record, site=site, fetched_at=fetched, extractor_version="b")
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000, help="articles stored in each round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds with and without the index each")
    args = parser.parse_args()
    if args.articles < 1 or args.rounds < 1:
        parser.error("--articles and --rounds must be at least 1")
    schema = f"bench_writes_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        with open_archive(pg_schema_url(schema)) as archive:
            for round_number in range(args.rounds):
                for with_index in (True, False):
                    with archive.engine.begin() as connection:
                        connection.exec_driver_sql(CREATE_INDEX if with_index else DROP_INDEX)
                    batch = records(args.articles, seed=round_number * 2 + int(with_index) + 1)
                    rate = len(batch) / store(archive, batch)
                    label = "with" if with_index else "without"
                    print(
                        f"round {round_number + 1}, {label} the pair index: {rate:.1f} articles/s", flush=True
                    )
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    print(f"load average after the run: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
