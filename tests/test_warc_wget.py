"""A WARC no one here wrote: wget mirrors the demo site into a WARC file, and import-warc stores every
demo article from it with the right fields."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

from scraper.demo_site.server import DemoSite
from storage.db import open_archive
from storage.reads import get_article
from tests.cli import run_newsarchive
from tests.conftest import skip_or_fail
from tests.dbquery import query


def test_import_of_a_wget_warc_stores_every_demo_article_with_its_fields(tmp_path, db_url):
    wget = shutil.which("wget")
    if wget is None:
        skip_or_fail("wget is not installed (apt-get install -y wget)")
    with DemoSite() as site:
        started = datetime.now(UTC).replace(microsecond=0)
        # wget exits 8 when some link answered 404 (the demo has a few); the WARC is complete all the same
        mirror = subprocess.run(
            [wget, f"--warc-file={tmp_path / 'mirror'}", "--no-warc-keep-log", "--recursive", "--level=inf",
             "--no-verbose", f"--directory-prefix={tmp_path / 'files'}", site.base_url],
            capture_output=True, text=True, timeout=300, check=False,
        )
        assert mirror.returncode in (0, 8), mirror.stderr[-2000:]
        finished = datetime.now(UTC)
        expected = set(site.article_urls())
        truths = {url: site.article_at(url) for url in expected}

    result = run_newsarchive("import-warc", str(tmp_path / "mirror.warc.gz"), "--db", db_url, "--name", "demo")
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {row.url: row.id for row in query(db_url, "SELECT id, url FROM articles")}
    assert set(rows) == expected, (sorted(expected - set(rows))[:3], sorted(set(rows) - expected)[:3])
    with open_archive(db_url) as archive, archive.sessions() as session:
        for url, truth in truths.items():
            article = get_article(session, rows[url])
            assert article.site == "demo"
            assert article.title == truth.title, url
            assert article.authors == list(truth.authors), url
            assert article.published == truth.published, url
            if truth.modified:
                assert article.modified == truth.modified, url
            assert truth.paragraphs[0] in article.body and truth.paragraphs[-1] in article.body, url
            # the fetch time is the record's WARC-Date (seconds), not the time of the import
            assert started <= article.first_seen <= finished, (article.first_seen, started, finished)
    pointers = query(db_url, "SELECT DISTINCT warc_file FROM raw_pages")
    assert [row.warc_file for row in pointers] == [str(tmp_path / "mirror.warc.gz")]
