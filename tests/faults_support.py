"""Helpers of the fault tests: run the real CLI with a fault injected, and read what the run recorded.

A fault is injected through a `sitecustomize` module on the child's PYTHONPATH: Python imports it at
start-up in the crawl and in its spawned worker processes alike, so the code under test runs unchanged.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def child_env(inject: str | None = None, tmp_path: Path | None = None) -> dict[str, str]:
    """The environment of a newsarchive child process, with `inject` run at its start-up if given."""
    paths = [str(REPO_ROOT)]
    if inject is not None:
        assert tmp_path is not None
        folder = tmp_path / "inject"
        folder.mkdir(exist_ok=True)
        (folder / "sitecustomize.py").write_text(inject, encoding="utf-8")
        paths.insert(0, str(folder))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    env.pop("NEWSARCHIVE_DB", None)
    return env


def site_crawl_args(tmp_path: Path, base_url: str, db_url: str) -> list[str]:
    """`crawl` arguments for one generated site named "gen" at base_url, through a sites file in tmp_path."""
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[[sites]]\nname = "gen"\nurl = "{base_url}/"\n', encoding="utf-8")
    return ["crawl", "--sites", str(sites), "--db", db_url, "--local"]


def newsarchive(*args: str, env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scraper.cli", *args], capture_output=True, text=True, timeout=timeout,
        cwd=str(REPO_ROOT), env=env or child_env(), check=False,
    )


def start_newsarchive(*args: str, env: dict[str, str] | None = None, log: Path | None = None) -> subprocess.Popen[bytes]:
    """Start the CLI in its own process group (as systemd runs a service), output to `log` if given."""
    out = log.open("wb") if log is not None else subprocess.DEVNULL
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", *args], cwd=str(REPO_ROOT), env=env or child_env(),
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    finally:
        if log is not None:
            out.close()  # type: ignore[union-attr]  # the child has its own copy


def stored_articles(db_url: str) -> list[str]:
    """canonical_url of every stored article (repeats would show a lost upsert)."""
    from tests.dbquery import query

    return [row.canonical_url for row in query(db_url, "SELECT canonical_url FROM articles")]


def request_report(server: object, site: object) -> tuple[int, int, list[str]]:
    """(requests for pages and documents, repeated requests among them, paths robots.txt disallows).

    robots.txt itself is left out: every worker must read it before its first request.
    """
    from collections import Counter

    paths = [r.path for r in server.requests if r.method == "GET" and r.path != "/robots.txt"]  # type: ignore[attr-defined]
    repeats = sum(n - 1 for n in Counter(paths).values() if n > 1)
    disallowed = [p for p in paths if site.is_disallowed(p)]  # type: ignore[attr-defined]
    return len(paths), repeats, disallowed


def wait_for(predicate: object, timeout: float, step: float = 0.1) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(step)
    return False


def repeated_paths(server: object) -> list[tuple[str, int]]:
    from collections import Counter

    counts = Counter(r.path for r in server.requests if r.method == "GET" and r.path != "/robots.txt")  # type: ignore[attr-defined]
    return [(path, n) for path, n in counts.most_common() if n > 1]
