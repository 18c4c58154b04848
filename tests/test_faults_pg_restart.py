"""PostgreSQL restarted during a crawl: the items fetched meanwhile wait for the database and are stored
when it is back; nothing is lost, nothing fetched twice.

The shared PostgreSQL server must not be disturbed, so this test starts a private instance of its own
(initdb + pg_ctl from /usr/lib/postgresql/*/bin, as the postgres user, in a temporary directory, on a
free port) and restarts that one. Skips where those binaries or the rights to run them are missing.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from storage.db import open_archive
from tests.dbquery import query
from tests.faults_support import request_report, site_crawl_args, start_newsarchive, stored_articles, wait_for
from tests.sitegen import GeneratedSite, SiteServer

pytestmark = pytest.mark.postgres


def _binaries() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _as_postgres(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True,
                          check=False, timeout=120)


@pytest.fixture
def private_pg():
    """(URL, restart()) of a PostgreSQL instance of this test's own."""
    bindir = _binaries()
    if bindir is None or os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs /usr/lib/postgresql/*/bin and root (to run initdb as the postgres user)")
    data = Path(tempfile.mkdtemp(prefix="newsarchive-pg-"))  # pytest's own tmp is closed to other users
    shutil.chown(data, "postgres", "postgres")
    os.chmod(data, 0o700)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    init = _as_postgres(f"{bindir}/initdb", "-D", str(data / "db"), "-A", "trust", "-U", "postgres")
    if init.returncode != 0:
        pytest.skip(f"initdb failed: {init.stderr[-500:]}")
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [f"{bindir}/pg_ctl", "-D", str(data / "db"), "-l", str(data / "log"), "-o", options, "-w"]

    def run(action: str, *extra: str) -> None:
        result = _as_postgres(*pg_ctl, action, *extra)
        assert result.returncode == 0, result.stdout + result.stderr

    run("start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", lambda: run("restart", "-m", "fast")
    finally:
        _as_postgres(*pg_ctl, "stop", "-m", "immediate")
        shutil.rmtree(data, ignore_errors=True)


def test_a_postgresql_restart_mid_crawl_loses_nothing(tmp_path, private_pg):
    db_url, restart = private_pg
    open_archive(db_url).dispose()
    site = GeneratedSite(n_articles=200, seed=11)
    with SiteServer(site, fail_once=()) as server:
        base = server.base_url
        crawl = start_newsarchive(*site_crawl_args(tmp_path, base, db_url), log=tmp_path / "crawl.log")
        try:
            assert wait_for(lambda: len(stored_articles(db_url)) >= 30, 120), "the crawl did not get going"
            restart()
            code = crawl.wait(timeout=300)
        finally:
            if crawl.poll() is None:
                os.killpg(crawl.pid, signal.SIGKILL)
                crawl.wait()
    log = (tmp_path / "crawl.log").read_text(errors="replace")
    assert code == 0, log[-3000:]
    print("store retries while the database was away:", log.count("database unreachable while storing"))
    stored = stored_articles(db_url)
    assert len(stored) == len(set(stored)) and set(stored) == set(site.article_urls(base))
    total, repeats, disallowed = request_report(server, site)
    assert disallowed == [] and repeats <= total / 100
    assert [row.status for row in query(db_url, "SELECT status FROM crawl_runs")] == ["ok"]
