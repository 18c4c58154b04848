"""Crawl benchmark: the full pipeline (discover, extract, classify, store) against a bare Scrapy spider
that only downloads the same generated site, in the same run, each in its own process.

    python benchmarks/crawl.py --articles 2000 --articles 10000

Our crawl runs as a user runs it (pending requests in the default job directory beside the SQLite file,
politeness delays off with --local since the site is on this machine, the per-site page cap lifted).
Prints, per site size and spider: pages answered 200, articles stored (ours) or fetched (bare), wall
seconds of the child process, articles per second, CPU seconds and peak RSS (from the kernel).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.crawl_runner import coverage, measure, serve  # noqa: E402


def run_bare(n_articles: int, seed: int) -> dict[str, float]:
    with serve(n_articles, seed) as (site, server):
        m = measure(
            [sys.executable, str(REPO_ROOT / "benchmarks" / "bare_spider.py"), "--url", server.base_url]
        )
        m.result()  # raises with the child's stderr if it failed
        seen = coverage(site, server)
    return {
        "articles": seen["articles_fetched"],
        "requests": seen["requests"],
        "seconds": m.seconds,
        "cpu": m.cpu_seconds,
        "rss": m.peak_rss_mb,
    }


def run_ours(n_articles: int, seed: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, serve(n_articles, seed) as (site, server):
        db = Path(tmp) / "bench.db"
        m = measure(
            [
                sys.executable,
                "-m",
                "scraper.cli",
                "crawl",
                server.base_url,
                "--db",
                str(db),
                "--local",
                "--name",
                "bench",
                "--max-pages",
                str(10 * n_articles),
                "--set",
                "LOG_LEVEL=WARNING",
            ],
            env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
        )
        if m.returncode != 0:
            raise RuntimeError(f"crawl failed ({m.returncode}):\n{m.stderr[-3000:]}")
        seen = coverage(site, server)
        with sqlite3.connect(db) as connection:
            stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    return {
        "articles": stored,
        "requests": seen["requests"],
        "seconds": m.seconds,
        "cpu": m.cpu_seconds,
        "rss": m.peak_rss_mb,
        "expected": n_articles,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, action="append", help="site size (repeatable; default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = args.articles or [2000]
    print("| site articles | spider | requests | articles | seconds | articles/s | CPU s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for size in sizes:
        bare = run_bare(size, args.seed)
        ours = run_ours(size, args.seed)
        for name, row in (("bare Scrapy (download only)", bare), ("newsarchive crawl (full pipeline)", ours)):
            rate = row["articles"] / row["seconds"]
            print(
                f"| {size} | {name} | {row['requests']} | {row['articles']} | {row['seconds']:.1f} | {rate:.1f} "
                f"| {row['cpu']:.1f} | {row['rss']:.1f} |",
                flush=True,
            )
        ratio = (ours["articles"] / ours["seconds"]) / (bare["articles"] / bare["seconds"])
        print(f"| {size} | ours / bare | | | | {ratio:.2f} | | |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
