"""Crawl benchmark, workers mode: 1, 2 and 4 workers share a Redis frontier over one loopback site that
allows a fixed budget of requests per second (its `download_delay` in the sites file).

    python benchmarks/crawl_workers.py --articles 300 --delay 0.02 --workers 1 --workers 2 --workers 4

Per worker count: a fresh generated site and archive, N `newsarchive crawl --redis` processes started
together (one Redis key prefix per run, so other users of the server are not disturbed). Prints wall
seconds until the last worker exits, articles stored per second, the requests per second the site saw
(over the whole run and in its busiest one-second window, against the budget 1 / delay), repeated
requests, and Redis round trips per request (each worker counts its own; a pipeline or a script is one).
More workers cannot beat the site's budget: the point is that they keep it, and what the frontier costs.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.crawl_runner import serve  # noqa: E402

_ROUND_TRIPS = re.compile(r"'newsarchive/frontier/redis_round_trips': (\d+)")


def busiest_second(times: list[float]) -> int:
    """The most requests in any window of one second."""
    times = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def run(workers: int, n_articles: int, delay: float, redis_url: str, seed: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, serve(n_articles, seed) as (_site, server):
        db = Path(tmp) / "bench.db"
        sites = Path(tmp) / "sites.toml"
        sites.write_text(
            f'[[sites]]\nname = "bench{os.getpid()}x{workers}"\nurl = "{server.base_url}/"\n'
            f"download_delay = {delay}\nmax_pages = {10 * n_articles}\n",
            encoding="utf-8",
        )
        command = [sys.executable, "-m", "scraper.cli", "crawl", "--sites", str(sites), "--db", str(db), "--local",
                   "--redis", redis_url, "--set", "LOG_LEVEL=INFO"]
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        logs = [Path(tmp) / f"worker{i}.log" for i in range(workers)]
        started = time.perf_counter()
        procs = []
        for log in logs:
            with log.open("wb") as out:
                procs.append(subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO_ROOT))
        codes = [proc.wait() for proc in procs]
        seconds = time.perf_counter() - started
        if any(codes):
            raise RuntimeError(f"a worker failed ({codes}):\n{logs[0].read_text()[-3000:]}")
        round_trips = sum(int(m.group(1)) for log in logs for m in _ROUND_TRIPS.finditer(log.read_text()))
        with sqlite3.connect(db) as connection:
            stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        records = [r for r in server.requests if r.path != "/robots.txt"]
    times = [r.time for r in records]
    span = max(times) - min(times) if len(times) > 1 else 1.0
    repeats = sum(n - 1 for n in Counter(r.path for r in records).values() if n > 1)
    return {
        "seconds": seconds,
        "articles": stored,
        "articles/s": stored / seconds,
        "requests": len(records),
        "requests/s": len(records) / span,
        "busiest": busiest_second(times),
        "repeats": repeats,
        "redis/request": round_trips / max(1, len(records)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300, help="site size (default 300)")
    parser.add_argument("--delay", type=float, default=0.02, help="the site's download_delay (default 0.02 s)")
    parser.add_argument("--workers", type=int, action="append", help="worker counts (default 1, 2, 4)")
    parser.add_argument("--redis", default=os.environ.get("NEWSARCHIVE_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    budget = 1 / args.delay
    print(f"site: {args.articles} articles, budget {budget:.0f} requests/s (download_delay {args.delay} s)")
    print("| workers | seconds | articles | articles/s | requests | requests/s | busiest second | repeated "
          "| Redis round trips / request |")
    print("|---|---|---|---|---|---|---|---|---|")
    for workers in args.workers or [1, 2, 4]:
        row = run(workers, args.articles, args.delay, args.redis, args.seed)
        print(f"| {workers} | {row['seconds']:.1f} | {row['articles']} | {row['articles/s']:.1f} | {row['requests']} "
              f"| {row['requests/s']:.1f} | {row['busiest']} | {row['repeats']} | {row['redis/request']:.1f} |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
