"""Run one crawl measurement in its own process, read its peak RSS from the kernel, serve the site.

Twisted's reactor cannot restart, and a process's peak RSS only grows, so every measurement is a fresh
child process: `measure(cmd)` starts it, waits with `os.wait4` (which returns that child's own
rusage, `ru_maxrss` in KiB on Linux), and returns wall time, peak RSS and output. A child reports its
figures as one JSON object on the last line of stdout (`Measurement.result()` reads it), so any spider
(the bare one here, the full pipeline in `benchmarks/crawl.py`) can be measured the same way:

    with serve(2000) as (site, server):
        m = measure([sys.executable, "benchmarks/bare_spider.py", "--url", server.base_url])
        print(m.peak_rss_mb, m.result())
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from tests.sitegen import GeneratedSite, SiteServer


@dataclass(frozen=True, slots=True)
class Measurement:
    returncode: int
    #: wall-clock seconds from start to exit of the child
    seconds: float
    #: the child's peak resident set size, from the kernel
    peak_rss_mb: float
    #: user + system CPU seconds the child used
    cpu_seconds: float
    stdout: str
    stderr: str

    def result(self) -> dict[str, Any]:
        """The JSON object the child printed last; RuntimeError with its stderr when it failed."""
        lines = [line for line in self.stdout.splitlines() if line.strip()]
        if self.returncode != 0 or not lines:
            raise RuntimeError(f"measured command failed ({self.returncode}):\n{self.stderr[-3000:]}")
        return json.loads(lines[-1])


def measure(
    cmd: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 1800
) -> Measurement:
    """Run cmd to completion in a child process and measure it (killed after `timeout` seconds)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, env=dict(env) if env is not None else None)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return Measurement(proc.returncode, seconds, usage.ru_maxrss / 1024, cpu, out.read(), err.read())


@contextlib.contextmanager
def serve(n_articles: int, seed: int = 1) -> Iterator[tuple[GeneratedSite, SiteServer]]:
    """A GeneratedSite served on loopback in this process, for a child process to crawl."""
    from tests.sitegen import GeneratedSite, SiteServer

    site = GeneratedSite(n_articles=n_articles, seed=seed)
    with SiteServer(site) as server:
        yield site, server


def article_page(path: str) -> str:
    """The canonical path of an article page form: query dropped, `/amp` prefix dropped, slash added."""
    path = path.split("?", 1)[0]
    if path.startswith("/amp/"):
        path = path.removeprefix("/amp")
    return path if path.endswith("/") else path + "/"


def coverage(site: GeneratedSite, server: SiteServer) -> dict[str, int]:
    """What the server saw: requests, distinct paths, and live articles fetched at least once with 200.

    `articles_fetched` counts articles whose canonical path (any query) answered 200;
    `articles_downloaded` those of which any page form (canonical, no slash, AMP, any query) did.
    """
    records = server.requests
    fetched = {r.path.split("?", 1)[0] for r in records if r.status == 200}
    downloaded = {article_page(r.path) for r in records if r.status == 200}
    articles = {a.path for a in site.articles}
    return {
        "requests": len(records),
        "distinct_targets": len({r.path for r in records}),
        "articles": len(articles),
        "articles_fetched": len(articles & fetched),
        "articles_downloaded": len(articles & downloaded),
        "disallowed_requests": sum(site.is_disallowed(r.path) for r in records),
    }
