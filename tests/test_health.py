"""Extraction health: a site whose pages lose their bylines between two refreshes is flagged by `health`
and by refresh's exit code 6; an unchanged site beside it is not."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from storage.db import open_archive
from storage.health import site_reports
from storage.models import CrawlRun, SiteHealth
from storage.sites import site_id
from tests.cli import run_newsarchive
from tests.routes_server import Route, RoutesServer, filler

ARTICLES = 6
#: Bylines of the articles (names: a string with digits is never taken for an author).
REPORTERS = ("Ana Silva", "Ben Okafor", "Chen Wei", "Dara Nolan", "Eva Lindqvist", "Farid Haddad")


def page(site: str, i: int, *, byline: bool) -> bytes:
    title = f"{site.title()} story {i} about the harbour"
    published = (datetime.now(UTC) - timedelta(hours=i + 1)).isoformat(timespec="seconds")
    author = f',"author":{{"@type":"Person","name":"{REPORTERS[i]}"}}' if byline else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:type" content="article"><script type="application/ld+json">'
        f'{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{title}",'
        f'"datePublished":"{published}"{author}}}</script></head><body><main><article><h1>{title}</h1>'
        + (f'<p class="byline">By {REPORTERS[i]}</p>' if byline else "")
        + f"<p>{filler(f'{site}{i}')}</p><p>{filler(f'{site}x{i}', 3)}</p></article></main></body></html>"
    ).encode()


def routes(site: str, *, byline: bool = True) -> dict[str, Route]:
    slugs = [f"/news/{site}-story-{i}/" for i in range(ARTICLES)]
    home = "".join(f'<a href="{slug}">story {i}</a>' for i, slug in enumerate(slugs))
    table = {"/": Route(body=f"<html><body>{home}</body></html>".encode())}
    table.update({slug: Route(body=page(site, i, byline=byline)) for i, slug in enumerate(slugs)})
    return table


def test_a_site_that_loses_its_bylines_is_flagged_and_refresh_exits_6(tmp_path, db_url):
    with RoutesServer(routes("steady")) as steady, RoutesServer(routes("broken")) as broken:
        sites = tmp_path / "sites.toml"
        sites.write_text(
            f'[[sites]]\nname = "steady"\nurl = "{steady.base_url}"\n\n'
            f'[[sites]]\nname = "broken"\nurl = "{broken.base_url}"\n',
            encoding="utf-8",
        )
        common = ("--sites", str(sites), "--db", db_url, "--local", "--no-resume")
        first = run_newsarchive("crawl", *common)
        assert first.returncode == 0, first.stderr[-3000:]
        unchanged = run_newsarchive("refresh", *common)
        assert unchanged.returncode == 0, unchanged.stderr[-3000:]
        assert "extraction health" not in unchanged.stderr

        broken.routes.update(routes("broken", byline=False))
        dropped = run_newsarchive("refresh", *common)

    assert dropped.returncode == 6, dropped.stderr[-3000:]
    message = [line for line in dropped.stderr.splitlines() if line.startswith("newsarchive: extraction health")]
    assert len(message) == 1
    assert "broken: authors: 0% of articles, trailing median 100%" in message[0]
    assert "steady" not in message[0]

    health = run_newsarchive("health", "--db", db_url)
    assert health.returncode == 6, health.stderr
    flagged = [line for line in health.stdout.splitlines() if line.startswith("FLAGGED")]
    assert flagged == ["FLAGGED broken: authors: 0% of articles, trailing median 100%"]
    reports = {
        row["site"]: row
        for row in map(json.loads, run_newsarchive("health", "--db", db_url, "--json").stdout.splitlines())
    }
    assert reports["steady"]["flags"] == [] and reports["steady"]["articles"] == ARTICLES
    assert reports["steady"]["extracted"] == ARTICLES
    assert reports["steady"]["shares"] == {"title": 1.0, "authors": 1.0, "published": 1.0, "body": 1.0}
    assert reports["broken"]["shares"]["authors"] == 0.0 and reports["broken"]["shares"]["title"] == 1.0
    assert reports["broken"]["trailing"]["authors"] == 1.0


def test_a_site_with_no_articles_is_flagged_but_not_a_small_wobble_or_a_small_sample(sqlite_url):
    # (articles seen, articles extracted, authors share, expected flags)
    runs = [
        (10, 10, 1.0, []),
        (10, 10, 0.9, []),
        (12, 12, 0.85, []),
        (12, 2, 0.0, []),  # two articles extracted (the rest answered 304): too few to judge
        (12, 0, None, []),  # nothing extracted, everything confirmed by a 304: nothing to compare
        (10, 10, 0.5, ["authors: 50% of articles, trailing median 90%"]),
        (0, 0, None, ["articles: none this run"]),
    ]
    with open_archive(sqlite_url) as archive, archive.sessions.begin() as session:
        for articles, extracted, authors, expected in runs:
            run = CrawlRun(kind="refresh", started_at=datetime.now(UTC), status="ok", counts={}, sites="quiet")
            session.add(run)
            session.flush()
            share = 1.0 if extracted else None
            session.add(
                SiteHealth(
                    run_id=run.id, site_id=site_id(session, "quiet"), measured_at=datetime.now(UTC),
                    articles=articles, extracted=extracted, title_share=share, authors_share=authors,
                    published_share=share, body_share=share, median_body=900 if extracted else None,
                )
            )
            session.flush()
            reports = site_reports(session, margin=0.2)
            assert [report.flags for report in reports] == [expected], (articles, extracted, authors)
