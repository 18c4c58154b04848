"""Crawl benchmark: the full pipeline (discover, extract, classify, store) against a bare Scrapy spider
that only downloads the same pages, in the same run, each in its own process.

    python benchmarks/crawl.py --articles 2000 --articles 10000

Per site size: our crawl runs first, as a user runs it (pending requests in the default job directory
beside the SQLite file, politeness delays off with --local since the site is on this machine, the
per-site page cap lifted), against a freshly served generated site. The site server's request log of
that run is the page list: the bare spider (`benchmarks/bare_spider.py --replay`) then downloads exactly
those requests from a fresh server of the same site (same seed, so the same pages, and the same one-off
500), with the same concurrency and no delays, obeying robots.txt (Scrapy fetches /robots.txt itself, so
one /robots.txt line of our log is left out of the list). Both servers' logs are compared afterwards as
multisets of (method, path with query, status), so "same pages" is checked, not assumed.

Prints, per size and spider: requests the server answered, articles (ours: rows stored; bare: distinct
articles of which some page form - canonical, no slash, AMP, any query - was answered 200), wall seconds
of the child process, pages (requests answered) per second, articles per second, CPU seconds and peak
RSS of the child (from the kernel), and the CPU seconds the site server (this process) used meanwhile;
then the ratio ours / bare on pages/s and articles/s, and the check that both fetched the same requests.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import sqlite3
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.crawl_runner import coverage, measure, serve  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

ROBOTS = ("GET", "/robots.txt")


@contextlib.contextmanager
def server_cpu() -> Iterator[dict[str, float]]:
    """CPU seconds this process (the site server's threads) uses inside the block, in ["seconds"]."""
    used: dict[str, float] = {}
    before = resource.getrusage(resource.RUSAGE_SELF)
    yield used
    after = resource.getrusage(resource.RUSAGE_SELF)
    used["seconds"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def request_log(server: Any) -> Counter[tuple[str, str, int]]:
    return Counter((r.method, r.path, r.status) for r in server.requests)


def figures(
    articles: int, seen: dict[str, int], m: Any, served: dict[str, float], log: Counter[tuple[str, str, int]]
) -> dict[str, Any]:
    """One spider's row: what the server saw, what the kernel measured of the child."""
    return {
        "articles": articles,
        "requests": seen["requests"],
        "seconds": m.seconds,
        "cpu": m.cpu_seconds,
        "rss": m.peak_rss_mb,
        "server_cpu": served["seconds"],
        "log": log,
    }


def run_ours(n_articles: int, seed: int, replay: Path) -> dict[str, Any]:
    """Our crawl; writes the requests it sent to `replay` for the bare spider (see the module docstring)."""
    with tempfile.TemporaryDirectory() as tmp, serve(n_articles, seed) as (site, server):
        db = Path(tmp) / "bench.db"
        with server_cpu() as served:
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
        log = request_log(server)
        sent = [(r.method, r.path) for r in server.requests]
        with sqlite3.connect(db) as connection:
            stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    if ROBOTS in sent:
        sent.remove(ROBOTS)  # the bare spider's RobotsTxtMiddleware fetches it
    replay.write_text("".join(f"{method}\t{path}\n" for method, path in sent), encoding="utf-8")
    return figures(stored, seen, m, served, log)


def run_bare(n_articles: int, seed: int, replay: Path) -> dict[str, Any]:
    with serve(n_articles, seed) as (site, server):
        with server_cpu() as served:
            m = measure(
                [
                    sys.executable,
                    str(REPO_ROOT / "benchmarks" / "bare_spider.py"),
                    "--url",
                    server.base_url,
                    "--replay",
                    str(replay),
                ]
            )
        m.result()  # raises with the child's stderr if it failed
        seen = coverage(site, server)
        log = request_log(server)
    return figures(seen["articles_downloaded"], seen, m, served, log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, action="append", help="site size (repeatable; default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = args.articles or [2000]
    checks = []
    print(
        "| site articles | spider | requests | articles | seconds | pages/s | articles/s | CPU s "
        "| peak RSS MB | server CPU s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            replay = Path(tmp) / "requests.tsv"
            ours = run_ours(size, args.seed, replay)
            bare = run_bare(size, args.seed, replay)
        for name, row in (
            ("bare Scrapy (downloads our crawl's requests)", bare),
            ("newsarchive crawl (full pipeline)", ours),
        ):
            row["pages/s"] = row["requests"] / row["seconds"]
            row["articles/s"] = row["articles"] / row["seconds"]
            print(
                f"| {size} | {name} | {row['requests']} | {row['articles']} | {row['seconds']:.1f} "
                f"| {row['pages/s']:.1f} | {row['articles/s']:.1f} | {row['cpu']:.1f} | {row['rss']:.1f} "
                f"| {row['server_cpu']:.1f} |",
                flush=True,
            )
        pages_ratio = ours["pages/s"] / bare["pages/s"]
        articles_ratio = ours["articles/s"] / bare["articles/s"]
        print(f"| {size} | ours / bare | | | | {pages_ratio:.2f} | {articles_ratio:.2f} | | | |", flush=True)
        differ = sum(((ours["log"] - bare["log"]) + (bare["log"] - ours["log"])).values())
        checks.append(
            f"{size}: same requests (method, path, status): "
            + ("yes" if not differ else f"NO, {differ} differ")
            + f"; ours {ours['requests']}, bare {bare['requests']}"
        )
    print()
    for line in checks:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
