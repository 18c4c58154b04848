"""Scheduling through scrapyd: build the project's egg with scrapyd-client from scrapy.cfg's [deploy]
section, deploy it to a local scrapyd on a free loopback port, schedule spider `news` with a sites file and
a database, and find the demo site's articles stored."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from scraper.demo_site.server import DemoSite
from tests.conftest import REPO_ROOT, skip_or_fail
from tests.dbquery import query, scalar

BIN = Path(sys.executable).parent
VERSION = "1700000000"


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        skip_or_fail(f"{name} is not installed (the 'test' extra installs scrapyd and scrapyd-client)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(base + endpoint, data=body, timeout=10) as response:
        return json.loads(response.read())


def project_copy(tmp_path: Path, port: int) -> tuple[Path, str]:
    """The three packages and scrapy.cfg in a directory of their own (scrapyd-deploy writes a setup.py and
    build files beside scrapy.cfg), the [deploy] target pointed at the test's scrapyd."""
    target = tmp_path / "project"
    for package in ("scraper", "pipelines", "storage"):
        shutil.copytree(REPO_ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "scrapy.cfg")
    project = config["deploy"]["project"]
    config["deploy"]["url"] = f"http://127.0.0.1:{port}/"
    with open(target / "scrapy.cfg", "w", encoding="utf-8") as stream:
        config.write(stream)
    return target, project


@pytest.fixture
def scrapyd(tmp_path):
    """A scrapyd on a free loopback port in tmp_path: (base URL, its eggs directory)."""
    executable = tool("scrapyd")
    port = free_port()
    eggs = tmp_path / "eggs"
    (tmp_path / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {eggs}\nlogs_dir = {tmp_path / 'logs'}\n"
        f"dbs_dir = {tmp_path / 'dbs'}\nitems_dir =\nmax_proc = 1\npoll_interval = 0.2\n",
        encoding="utf-8",
    )
    # The test venv has the project installed in development mode; putting the deployed egg first on the
    # path makes the job run the code that was deployed, as it would on a scrapyd host.
    env = {**os.environ, "PYTHONPATH": str(eggs / "newsarchive" / f"{VERSION}.egg")}
    server = subprocess.Popen(
        [executable], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                call(base, "daemonstatus.json")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("scrapyd did not start")
                time.sleep(0.3)
        yield base, port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_the_project_deploys_to_scrapyd_and_a_scheduled_crawl_stores_the_articles(scrapyd, tmp_path):
    base, port = scrapyd
    deploy = tool("scrapyd-deploy")
    project_dir, project = project_copy(tmp_path, port)
    egg = tmp_path / "newsarchive.egg"
    built = subprocess.run(
        [deploy, "--build-egg", str(egg)], cwd=project_dir, capture_output=True, text=True, timeout=300, check=False
    )
    assert built.returncode == 0, built.stderr[-2000:]
    names = set(zipfile.ZipFile(egg).namelist())
    for required in (
        "scraper/settings.py", "scraper/spiders/news.py", "pipelines/ingest.py", "pipelines/extraction/extract.py",
        "storage/db.py", "storage/migrations/env.py", "storage/migrations/versions/0001_initial.py",
        "storage/migrations/versions/0002_warc.py",
    ):
        assert required in names, f"{required} is not in the egg"

    deployed = subprocess.run(
        [deploy, "-v", VERSION, "--egg", str(egg)], cwd=project_dir, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert deployed.returncode == 0, deployed.stderr[-2000:] + deployed.stdout[-2000:]
    assert call(base, f"listspiders.json?project={project}")["spiders"] == ["news"]

    db_url = f"sqlite:///{tmp_path / 'archive.db'}"
    with DemoSite() as site:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[sites]]\nname = "demo"\nurl = "{site.base_url}"\n', encoding="utf-8")
        job = call(base, "schedule.json", [
            ("project", project), ("spider", "news"), ("sites", str(sites)),
            ("setting", f"NEWSARCHIVE_DB={db_url}"), ("setting", "AUTOTHROTTLE_ENABLED=False"),
            ("setting", "DOWNLOAD_DELAY=0"), ("setting", "CONCURRENT_REQUESTS_PER_DOMAIN=16"),
        ])["jobid"]
        deadline = time.monotonic() + 240
        while not any(j["id"] == job for j in call(base, f"listjobs.json?project={project}")["finished"]):
            assert time.monotonic() < deadline, "the scheduled crawl did not finish"
            time.sleep(0.5)
        expected = set(site.article_urls())

    log = (tmp_path / "logs" / project / "news" / f"{job}.log").read_text(encoding="utf-8")
    # Errors in a spider, middleware or pipeline are logged as ERROR (a Twisted/Scrapy shutdown quirk after
    # "Spider closed" is logged CRITICAL by Twisted itself and is not the project's)
    assert "] ERROR:" not in log and "Spider closed (finished)" in log, log[-3000:]
    assert {row.url for row in query(db_url, "SELECT url FROM articles")} == expected
    assert scalar(db_url, "SELECT status FROM crawl_runs") == "ok"
    assert scalar(db_url, "SELECT articles FROM site_health") == len(expected)
