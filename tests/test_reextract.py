"""Re-extraction: after a change in extraction output, `reextract` changes exactly the affected records
(a revision only where the clean content changed), a dry run writes nothing, and a second run finds
nothing to change."""

from __future__ import annotations

import dataclasses

import pytest

from pipelines import reextract as reextract_module
from pipelines.extraction import extract as extract_module
from scraper.cli import main
from scraper.demo_site.server import DemoSite
from tests.cli import run_newsarchive
from tests.dbquery import query, scalar


def counts(output: str) -> dict[str, int]:
    """The per-field lines of reextract's summary."""
    lines = [line.split() for line in output.splitlines() if line.startswith("  ")]
    return {name: int(value) for name, value in lines}


@pytest.fixture
def crawled_demo(db_url):
    with DemoSite() as site:
        result = run_newsarchive("crawl", site.base_url, "--db", db_url, "--local", "--name", "demo", "--no-resume")
        assert result.returncode == 0, result.stderr[-3000:]
        urls = sorted(site.article_urls())
    return db_url, urls


def test_reextract_changes_exactly_the_affected_records_and_a_second_run_nothing(crawled_demo, monkeypatch, capsys):
    db_url, urls = crawled_demo
    retitled, redescribed = set(urls[:3]), set(urls[3:5])
    original = extract_module.extract_page

    def changed_extractor(data, url=None, header_charset=None, overrides=None):
        result = original(data, url, header_charset, overrides)
        if url in retitled:
            result.record.title = f"{result.record.title} (updated)"
        if url in redescribed:
            result.record = dataclasses.replace(result.record, description="A new standfirst.")
        return result

    monkeypatch.setattr(extract_module, "extract_page", changed_extractor)
    monkeypatch.setattr(reextract_module, "EXTRACTOR_VERSION", "9.9.9-test")
    before = {row.url: row for row in query(db_url, "SELECT url, version, title, description FROM articles")}
    revisions = scalar(db_url, "SELECT count(*) FROM article_revisions")

    assert main(["reextract", "--db", db_url, "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "5 would change, 0 new revisions" in dry and "dry run" in dry
    assert counts(dry) == {name: 0 for name in reextract_module.FIELDS} | {"title": 3, "description": 2}
    assert scalar(db_url, "SELECT count(*) FROM article_revisions") == revisions
    assert scalar(db_url, "SELECT count(*) FROM articles WHERE extractor_version = '9.9.9-test'") == 0

    assert main(["reextract", "--db", db_url]) == 0
    first = capsys.readouterr().out
    assert f"{len(urls)} articles re-extracted with extractor 9.9.9-test: 5 changed, 3 new revisions" in first
    assert counts(first) == {name: 0 for name in reextract_module.FIELDS} | {"title": 3, "description": 2}
    after = {row.url: row for row in query(db_url, "SELECT url, version, title, description FROM articles")}
    assert {url for url in after if after[url].version != before[url].version} == retitled
    assert all(after[url].title == f"{before[url].title} (updated)" for url in retitled)
    assert {url for url in after if after[url].description != before[url].description} == redescribed
    assert scalar(db_url, "SELECT count(*) FROM article_revisions") == revisions + 3
    assert scalar(db_url, "SELECT count(*) FROM articles WHERE extractor_version = '9.9.9-test'") == len(urls)

    assert main(["reextract", "--db", db_url]) == 0
    second = capsys.readouterr().out
    assert "0 changed, 0 new revisions, 0 failures" in second
    assert set(counts(second).values()) == {0}
    assert scalar(db_url, "SELECT count(*) FROM article_revisions") == revisions + 3


def test_reextract_of_one_site_since_a_date(crawled_demo, capsys):
    db_url, urls = crawled_demo
    assert main(["reextract", "--db", db_url, "--site", "demo", "--since", "2000-01-01"]) == 0
    assert f"{len(urls)} articles re-extracted" in capsys.readouterr().out
    assert main(["reextract", "--db", db_url, "--since", "2999-01-01"]) == 0
    assert "0 articles re-extracted" in capsys.readouterr().out
    assert main(["reextract", "--db", db_url, "--site", "nosuch"]) == 2
    assert "no site named 'nosuch'" in capsys.readouterr().err
