"""Run the newsarchive command in a child process, as a user would (a crawl owns its Twisted reactor)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO_ROOT


def run_newsarchive(*args: str, timeout: float = 180, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("NEWSARCHIVE_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "scraper.cli", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd or str(REPO_ROOT), env=env, check=False,
    )
