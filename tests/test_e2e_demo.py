"""End to end: serve the demo site on loopback, crawl it with the Scrapy engine, check the stored records;
then change one article on the server, crawl again, and find exactly one new revision."""

from __future__ import annotations

from scraper.demo_site.server import DemoSite
from storage.db import open_archive
from storage.reads import get_article
from tests.cli import run_newsarchive
from tests.dbquery import query, scalar


def stored_articles(db_url: str) -> dict[str, dict]:
    rows = query(db_url, "SELECT id, url, canonical_url, title, published, version FROM articles")
    return {row.url: row._asdict() for row in rows}


def crawl(site: DemoSite, db_url: str) -> None:
    result = run_newsarchive("crawl", site.base_url, "--db", db_url, "--local", "--name", "demo", "--no-resume")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr


def test_demo_crawl_stores_every_article_once_then_one_revision_after_an_edit(db_url):
    with DemoSite() as site:
        crawl(site, db_url)
        stored = stored_articles(db_url)
        expected = set(site.article_urls())
        assert set(stored) == expected, (
            f"missing: {sorted(expected - set(stored))[:5]}, not articles: {sorted(set(stored) - expected)[:5]}"
        )
        assert len({row["canonical_url"] for row in stored.values()}) == len(expected)

        with open_archive(db_url) as archive, archive.sessions() as session:
            for url in expected:
                truth = site.article_at(url)
                article = get_article(session, stored[url]["id"])
                assert article.title == truth.title, url
                assert article.authors == list(truth.authors), url
                assert article.published == truth.published, url
                if truth.modified:
                    assert article.modified == truth.modified, url
                assert truth.paragraphs[0] in article.body, url

        edited = site.articles[next(iter(site.articles))]
        site.edit_article(edited.slug, [*edited.paragraphs[:-1], "A correction was added to this report."])
        crawl(site, db_url)

    after = stored_articles(db_url)
    assert set(after) == expected
    changed = {url for url in expected if after[url]["version"] != stored[url]["version"]}
    assert changed == {site.url_for(edited.slug)}
    revisions = scalar(db_url, "SELECT count(*) FROM article_revisions")
    assert revisions == len(expected) + 1
