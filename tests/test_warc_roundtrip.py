"""WARC round trip: crawl the demo site with --warc, check the files with warcio's own checker and the
CDXJ index, import them into an empty archive and find the same articles with the same fields; a
damaged file costs its damaged records only; a crawl killed outright leaves its records readable."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.warc_import import is_html
from pipelines.warc_read import WarcDamage, WarcResponse, iter_responses, read_body
from scraper.demo_site.server import DemoSite
from storage.db import open_archive
from storage.reads import get_article
from tests.cli import run_newsarchive
from tests.conftest import REPO_ROOT
from tests.dbquery import query, scalar
from tests.routes_server import RoutesServer, many_articles_site

COMPARED = (
    "url", "site", "title", "authors", "published", "modified", "body", "description", "language", "section",
    "site_name", "lead_image", "related_links",
)


def articles_of(db_url: str) -> dict[str, dict]:
    with open_archive(db_url) as archive, archive.sessions() as session:
        ids = [row.id for row in query(db_url, "SELECT id FROM articles")]
        details = [get_article(session, article_id) for article_id in ids]
    return {d.canonical_url: {name: getattr(d, name) for name in COMPARED} for d in details}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The demo site crawled once with --warc: (archive URL, WARC directory, the demo's article URLs)."""
    root = tmp_path_factory.mktemp("crawl")
    db_url = f"sqlite:///{root / 'crawl.db'}"
    with DemoSite() as site:
        result = run_newsarchive(
            "crawl", site.base_url, "--db", db_url, "--local", "--name", "demo", "--no-resume",
            "--warc", str(root / "warc"), "--set", "NEWSARCHIVE_WARC_MAX_SIZE=200000",
        )
        urls = set(site.article_urls())
    assert result.returncode == 0, result.stderr[-3000:]
    return db_url, root / "warc", urls


def warc_files(directory: Path) -> list[str]:
    return sorted(str(path) for path in directory.glob("*.warc.gz"))


def test_warc_files_pass_warcios_checker_and_the_index_points_at_every_response(crawled):
    db_url, directory, urls = crawled
    files = warc_files(directory)
    assert len(files) >= 2, "the files rotate at NEWSARCHIVE_WARC_MAX_SIZE"
    assert all(Path(path).stat().st_size < 200_000 + 50_000 for path in files)
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", *files], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout[-2000:]
    assert "digest pass" in check.stdout

    records = {}
    for path in files:
        for item in iter_responses(path):
            assert isinstance(item, WarcResponse), item
            records[(item.file, item.offset)] = item
    index = [json.loads(line.split(" ", 2)[2]) for line in (directory / "index.cdxj").read_text().splitlines()]
    indexed = {(str(directory / entry["filename"]), int(entry["offset"])) for entry in index}
    responses = {key for key, item in records.items()}
    assert responses <= indexed, "a response record is missing from the CDXJ index"
    assert urls <= {item.url for item in records.values()}

    # Every stored raw page points to its response record, and the body is not kept twice.
    pages = query(db_url, "SELECT url, warc_file, warc_offset, warc_length, body FROM raw_pages")
    assert pages and all(page.warc_file for page in pages)
    for page in pages:
        record = records[(page.warc_file, page.warc_offset)]
        assert record.url == page.url and record.length == page.warc_length
        assert read_body(page.warc_file, page.warc_offset, page.warc_length) == record.body
    run_ids = scalar(db_url, "SELECT max(id) FROM crawl_runs")
    with gzip.open(files[0], "rb") as stream:
        assert f"run-id: {run_ids}".encode() in stream.read()


def test_importing_the_crawls_warcs_into_an_empty_archive_gives_the_same_articles(crawled, db_url):
    crawl_db, directory, urls = crawled
    result = run_newsarchive("import-warc", *warc_files(directory), "--db", db_url, "--name", "demo", "--every", "40")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "40 records read" in result.stderr
    expected = articles_of(crawl_db)
    imported = articles_of(db_url)
    assert {row["url"] for row in expected.values()} == urls
    assert set(imported) == set(expected)
    for key, fields in expected.items():
        assert imported[key] == fields, key
    # The import's raw pages point to the records, so re-extraction reads them from the WARC files.
    again = run_newsarchive("reextract", "--db", db_url)
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"{len(urls)} articles re-extracted" in again.stdout and " 0 changed, 0 new revisions, 0 failures" in again.stdout


def test_a_damaged_warc_costs_only_its_damaged_records(crawled, tmp_path, sqlite_url):
    _, directory, _ = crawled
    original = Path(warc_files(directory)[0])
    items = list(iter_responses(original))
    victim = items[10]
    data = bytearray(original.read_bytes())
    middle = victim.offset + victim.length // 2
    data[middle : middle + 40] = b"\x00" * 40  # a corrupt gzip member in the middle of the file
    last = items[-1]
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(bytes(data[: last.offset + last.length // 2]))  # and a truncated last record

    read = list(iter_responses(damaged))
    damage = [item for item in read if isinstance(item, WarcDamage)]
    good = [item for item in read if isinstance(item, WarcResponse)]
    assert {item.url for item in damage} == {victim.url, last.url}
    assert [item.offset for item in good] == [item.offset for item in items if item not in (victim, last)]

    result = run_newsarchive("import-warc", str(damaged), "--db", sqlite_url, "--name", "demo")
    assert result.returncode == 1, result.stderr[-2000:]
    assert "failed: 2" in result.stdout
    failures = query(sqlite_url, "SELECT url, reason FROM fetch_failures ORDER BY id")
    assert {row.url for row in failures} == {victim.url, last.url}
    assert all("WARC record" in row.reason for row in failures)
    imported = scalar(sqlite_url, "SELECT count(*) FROM raw_pages")
    assert imported == sum(1 for item in good if is_html(item) and 200 <= item.status < 300)


def test_a_crawl_killed_outright_leaves_every_completed_record_readable(tmp_path, sqlite_url):
    directory = tmp_path / "warc"
    with RoutesServer(many_articles_site(60), delay=0.1) as server:
        child = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", "crawl", server.base_url, "--db", sqlite_url, "--local",
             "--warc", str(directory), "--set", "CONCURRENT_REQUESTS=2"],
            cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(p.stat().st_size for p in directory.glob("*.warc.gz")) < 40_000:
            time.sleep(0.1)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    files = warc_files(directory)
    assert files and not (directory / "index.cdxj").exists(), "the crawl should be killed before its end"
    items = [item for path in files for item in iter_responses(path)]
    responses = [item for item in items if isinstance(item, WarcResponse)]
    assert len(responses) >= 10
    assert all(isinstance(item, WarcResponse) for item in items[:-1]), "only the record being written may be cut"
    # The index can be rebuilt from the files with the standard tool.
    indexer = shutil.which("cdxj-indexer", path=str(Path(sys.executable).parent)) or "cdxj-indexer"
    rebuilt = subprocess.run([indexer, *files], capture_output=True, text=True, check=False)
    assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
    assert len(rebuilt.stdout.splitlines()) >= len(responses)


def test_import_filters_by_site_host_and_date(crawled, tmp_path):
    _, directory, urls = crawled
    files = warc_files(directory)
    later = run_newsarchive("import-warc", *files, "--db", str(tmp_path / "a.db"), "--since", "2999-01-01")
    assert later.returncode == 0 and "new: 0 " in later.stdout and "out_of_dates: 0" not in later.stdout
    elsewhere = run_newsarchive("import-warc", *files, "--db", str(tmp_path / "b.db"), "--host", "news.example")
    assert elsewhere.returncode == 0 and "new: 0 " in elsewhere.stdout and "other_site: 0" not in elsewhere.stdout

    host = next(iter(urls)).split("/")[2]
    sites = tmp_path / "sites.toml"
    sites.write_text(
        f'[[sites]]\nname = "mirror"\nurl = "http://{host}/"\n\n[[sites]]\nname = "other"\nurl = "https://news.example/"\n',
        encoding="utf-8",
    )
    named = run_newsarchive("import-warc", *files, "--db", str(tmp_path / "c.db"), "--sites", str(sites), "--site", "mirror")
    assert named.returncode == 0, named.stderr[-2000:]
    assert f"new: {len(urls)} " in named.stdout
    assert {row.name for row in query(f"sqlite:///{tmp_path / 'c.db'}", "SELECT name FROM sites")} == {"mirror"}
    unknown = run_newsarchive("import-warc", *files, "--db", str(tmp_path / "d.db"), "--sites", str(sites), "--site", "nosuch")
    assert unknown.returncode == 2 and "no site named 'nosuch'" in unknown.stderr
    missing = run_newsarchive("import-warc", str(tmp_path / "nope.warc.gz"), "--db", str(tmp_path / "d.db"))
    assert missing.returncode == 3 and "no such WARC file" in missing.stderr and "Traceback" not in missing.stderr
