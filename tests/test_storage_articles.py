"""Saving and reading the archive: upserts, revisions, authors, links, raw pages, runs, export, URL states."""

from __future__ import annotations

import threading
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from storage import articles, reads, runs, sites, url_states
from storage.db import open_archive
from storage.models import (
    Article,
    ArticleRevision,
    Author,
    Base,
    CrawlRun,
    FetchFailure,
    RawPage,
    RelatedLink,
)

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
RECORD_KEYS = {
    "url",
    "canonical_url",
    "title",
    "authors",
    "published",
    "modified",
    "language",
    "section",
    "site_name",
    "lead_image",
    "description",
    "body",
    "related_links",
}
ARCHIVE_KEYS = {"id", "site", "first_seen", "last_changed", "version", "removed"}


def make_record(slug: str = "story", **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "url": f"https://news.example/{slug}?utm_source=feed",
        "canonical_url": f"https://news.example/{slug}",
        "title": f"Title of {slug}",
        "authors": ["Ana Silva", "Ben Okafor"],
        "published": T0,
        "modified": None,
        "language": "en",
        "section": "World",
        "site_name": "Example News",
        "lead_image": None,
        "description": "A short summary.",
        "body": f"First paragraph about {slug}.\n\nSecond paragraph.",
        "related_links": [{"url": "https://news.example/other", "text": "Other story"}],
    }
    record.update(changes)
    return record


@pytest.fixture(scope="module")
def migrated_archive(module_db_url: str):
    """One migrated archive per dialect for this module; each test empties it (migrating costs more)."""
    with open_archive(module_db_url) as archive:
        yield archive


@pytest.fixture
def archive(migrated_archive):
    """The module's archive, emptied (DELETE is far cheaper than TRUNCATE on tiny tables)."""
    with migrated_archive.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    return migrated_archive


def save(
    archive, record: dict[str, Any], fetched_at: datetime = T0, site: str = "example"
) -> articles.SaveOutcome:
    with archive.sessions.begin() as session:
        return articles.save_article(session, record, site=site, fetched_at=fetched_at, extractor_version="test")


def count(archive, entity) -> int:
    with archive.sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(entity))


# --- upsert and revisions ---


def test_same_record_twice_is_one_unchanged_article(archive) -> None:
    first = save(archive, make_record())
    second = save(archive, make_record(), fetched_at=T0 + timedelta(hours=3))
    assert (first.status, first.version) == ("new", 1)
    assert second == articles.SaveOutcome(first.article_id, "unchanged", 1)
    assert count(archive, Article) == 1
    assert count(archive, ArticleRevision) == 1
    with archive.sessions() as session:
        detail = reads.get_article(session, first.article_id)
    assert detail.first_seen == T0
    assert detail.last_seen == T0 + timedelta(hours=3)
    assert detail.last_changed == T0


def test_canonical_url_is_the_dedup_key_and_url_is_the_fallback(archive) -> None:
    a = save(archive, make_record(url="https://news.example/story?page=1"))
    b = save(archive, make_record(url="https://m.news.example/story"))
    c = save(archive, make_record(url="https://news.example/plain", canonical_url=None))
    assert a.article_id == b.article_id != c.article_id
    with archive.sessions() as session:
        assert (
            reads.get_article(session, "https://news.example/plain").canonical_url
            == "https://news.example/plain"
        )
        assert reads.get_article(session, "https://news.example/story?page=1").id == a.article_id
        assert reads.get_article(session, str(a.article_id)).id == a.article_id
        assert reads.get_article(session, "https://nowhere.example/") is None


def test_changed_body_adds_a_revision_and_replaces_authors(archive) -> None:
    first = save(archive, make_record())
    later = T0 + timedelta(days=1)
    changed = save(archive, make_record(body="Corrected text.", authors=["Chen Wei"]), fetched_at=later)
    assert changed == articles.SaveOutcome(first.article_id, "changed", 2)
    with archive.sessions() as session:
        detail = reads.get_article(session, first.article_id)
    assert detail.body == "Corrected text."
    assert detail.authors == ["Chen Wei"]
    assert detail.last_changed == later
    assert [(r.version, r.fetched_at, r.body) for r in detail.revisions] == [
        (1, T0, make_record()["body"]),
        (2, later, "Corrected text."),
    ]
    assert detail.revisions[0].content_hash != detail.revisions[1].content_hash == detail.content_hash


def test_only_fetch_time_or_modified_changed_makes_no_revision(archive) -> None:
    save(archive, make_record())
    new_modified = T0 + timedelta(hours=5)
    outcome = save(archive, make_record(modified=new_modified), fetched_at=T0 + timedelta(days=2))
    assert (outcome.status, outcome.version) == ("unchanged", 1)
    assert count(archive, ArticleRevision) == 1
    with archive.sessions() as session:
        assert reads.get_article(session, outcome.article_id).modified == new_modified


def test_content_hash_ignores_everything_but_content() -> None:
    base = make_record()
    assert articles.content_hash(base) == articles.content_hash(
        make_record(modified=T0, published=T0 + timedelta(days=1), description="x", related_links=[])
    )
    assert articles.content_hash(base) != articles.content_hash(make_record(title="Other"))
    assert articles.content_hash(base) != articles.content_hash(make_record(authors=["Ana Silva"]))


def test_removed_article_seen_again_is_restored(archive) -> None:
    outcome = save(archive, make_record())
    with archive.sessions.begin() as session:
        assert articles.mark_removed(session, "https://news.example/story", T0 + timedelta(days=1))
        assert not articles.mark_removed(session, "https://news.example/never-seen", T0)
    with archive.sessions() as session:
        assert reads.get_article(session, outcome.article_id).removed_at == T0 + timedelta(days=1)
    save(archive, make_record(), fetched_at=T0 + timedelta(days=2))
    with archive.sessions() as session:
        assert reads.get_article(session, outcome.article_id).removed_at is None


def test_authors_are_shared_and_queryable_by_name(archive) -> None:
    one = save(archive, make_record("one", authors=["Ana Silva", "Ben Okafor"]))
    two = save(archive, make_record("two", authors=["ana silva"]))
    save(archive, make_record("three", authors=[]))
    assert count(archive, Author) == 3  # exact names are distinct rows
    with archive.sessions() as session:
        assert reads.articles_by_author(session, "ANA SILVA") == [one.article_id, two.article_id]
        assert reads.articles_by_author(session, "Ben Okafor") == [one.article_id]
        assert reads.authors_of(session, [one.article_id]) == {one.article_id: ["Ana Silva", "Ben Okafor"]}


def test_related_links_are_replaced_when_they_change(archive) -> None:
    links = [{"url": "https://news.example/a", "text": "A"}, {"url": "https://news.example/b", "text": "B"}]
    outcome = save(archive, make_record(related_links=links))
    save(archive, make_record(related_links=[{"url": "https://news.example/c", "text": "C"}]))
    with archive.sessions() as session:
        assert reads.get_article(session, outcome.article_id).related_links == [
            {"url": "https://news.example/c", "text": "C"}
        ]
    assert count(archive, RelatedLink) == 1


def test_same_url_saved_concurrently_is_one_article(archive) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[articles.SaveOutcome] = []
    errors: list[BaseException] = []

    def worker(body: str) -> None:
        try:
            barrier.wait()
            outcomes.append(save(archive, make_record(body=body)))
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(text,)) for text in ("Body one.", "Body two.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert count(archive, Article) == 1
    assert sorted(outcome.status for outcome in outcomes) == ["changed", "new"]
    assert sorted(outcome.version for outcome in outcomes) == [1, 2]
    assert count(archive, ArticleRevision) == 2


def test_record_without_any_url_is_rejected(archive) -> None:
    with pytest.raises(ValueError, match="url"):
        save(archive, make_record(url=None, canonical_url=None))


# --- raw pages, runs, failures ---


def test_raw_page_round_trips_compressed(archive) -> None:
    body = ("<html><body>" + "Ünïcode text and more text. " * 400 + "</body></html>").encode()
    with archive.sessions.begin() as session:
        page_id = runs.save_raw_page(
            session,
            url="https://news.example/story",
            status=200,
            headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"'},
            body=body,
            fetched_at=T0,
            page_type="article",
            site="example",
            encoding="utf-8",
        )
        outcome = articles.save_article(
            session, make_record(), site="example", fetched_at=T0, extractor_version="t", raw_page_id=page_id
        )
    with archive.sessions() as session:
        page = runs.get_raw_page(session, page_id)
        assert page.content == body
        assert len(page.body) < len(body) / 5
        assert zlib.decompress(page.body) == body
        assert page.headers == {"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"'}
        assert (page.status, page.page_type, page.encoding, page.fetched_at) == (200, "article", "utf-8", T0)
        assert page.article_id == outcome.article_id


def test_runs_and_failures_are_recorded(archive) -> None:
    with archive.sessions.begin() as session:
        run_id = runs.start_run(session, "crawl", ["example", "other"])
        runs.record_failure(
            session,
            url="https://news.example/x",
            reason="HTTP 503",
            status=503,
            site="example",
            run_id=run_id,
        )
        runs.record_failure(session, url="https://dns.example/", reason="DNS lookup failed")
    with archive.sessions.begin() as session:
        runs.finish_run(session, run_id, "ok", {"pages": 10, "articles": 7})
    with archive.sessions() as session:
        (run,) = reads.recent_runs(session)
        failures = session.scalars(sa.select(FetchFailure).order_by(FetchFailure.id)).all()
    assert (run.id, run.kind, run.status, run.sites) == (run_id, "crawl", "ok", ["example", "other"])
    assert run.counts == {"pages": 10, "articles": 7}
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert [(f.reason, f.status, f.run_id) for f in failures] == [
        ("HTTP 503", 503, run_id),
        ("DNS lookup failed", None, None),
    ]
    assert failures[0].failed_at.tzinfo is not None


def test_invalid_kinds_are_rejected(archive) -> None:
    with archive.sessions() as session, pytest.raises(ValueError, match="run kind"):
        runs.start_run(session, "nightly", [])
    with archive.sessions() as session, pytest.raises(sa.exc.IntegrityError):
        session.add(RawPage(url="u", status=200, headers={}, body=b"", fetched_at=T0, page_type="weird"))
        session.flush()


def test_recent_runs_newest_first_and_limited(archive) -> None:
    with archive.sessions.begin() as session:
        ids = [runs.start_run(session, kind, []) for kind in ("crawl", "refresh", "demo")]
    with archive.sessions() as session:
        assert [run.id for run in reads.recent_runs(session, limit=2)] == ids[::-1][:2]
        assert count(archive, CrawlRun) == 3


def test_site_stats_counts_per_site(archive) -> None:
    save(archive, make_record("a"))
    save(archive, make_record("a", body="changed"), fetched_at=T0 + timedelta(hours=1))
    save(archive, make_record("b"), site="other")
    with archive.sessions.begin() as session:
        articles.mark_removed(session, "https://news.example/b", T0)
        runs.record_failure(session, url="https://news.example/c", reason="timeout", site="example")
        sites.get_or_create_site(session, "empty", "https://empty.example/")
    with archive.sessions() as session:
        stats = {row.site: row for row in reads.site_stats(session)}
    assert stats["example"] == reads.SiteStats("example", 1, 0, 2, 1, T0 + timedelta(hours=1))
    assert stats["other"] == reads.SiteStats("other", 1, 1, 1, 0, T0)
    assert stats["empty"] == reads.SiteStats("empty", 0, 0, 0, 0, None)


# --- export ---


def test_export_streams_record_and_archive_keys_in_id_order(archive) -> None:
    ids = [save(archive, make_record(f"s{n}")).article_id for n in range(7)]
    with archive.sessions() as session:
        exported = list(reads.iter_export(session, batch=3))
    assert [item["id"] for item in exported] == sorted(ids)
    first = exported[0]
    assert set(first) == RECORD_KEYS | ARCHIVE_KEYS
    assert first["published"] == "2024-05-01T08:00:00+00:00"
    assert first["first_seen"] == "2024-05-01T08:00:00+00:00"
    assert first["authors"] == ["Ana Silva", "Ben Okafor"]
    assert first["related_links"] == [{"url": "https://news.example/other", "text": "Other story"}]
    assert (first["site"], first["version"], first["removed"], first["modified"]) == (
        "example",
        1,
        None,
        None,
    )


def test_dates_keep_the_offset_the_page_stated(archive) -> None:
    evening = "2024-03-05T21:30:00-08:00"  # the next day already in UTC
    outcome = save(archive, make_record("evening", published=evening, modified=None))
    save(archive, make_record("utc", published=datetime(2024, 3, 6, 1, 0, tzinfo=UTC)))
    with archive.sessions() as session:
        exported = {row["canonical_url"]: row for row in reads.iter_export(session)}
        detail = reads.get_article(session, outcome.article_id)
        stored = session.scalar(sa.select(Article.published).where(Article.id == outcome.article_id))
    assert exported["https://news.example/evening"]["published"] == evening
    assert detail.published.isoformat() == evening
    assert stored == datetime(2024, 3, 6, 5, 30, tzinfo=UTC)  # the instant orders and filters
    assert exported["https://news.example/utc"]["published"] == "2024-03-06T01:00:00+00:00"


def test_export_filters_since_and_site(archive) -> None:
    save(archive, make_record("old"))
    save(archive, make_record("new"), fetched_at=T0 + timedelta(days=3))
    save(archive, make_record("elsewhere"), fetched_at=T0 + timedelta(days=3), site="other")
    save(archive, make_record("old", body="edited later"), fetched_at=T0 + timedelta(days=4))
    with archive.sessions() as session:
        since = {item["canonical_url"] for item in reads.iter_export(session, since=T0 + timedelta(days=1))}
        by_site = {item["canonical_url"] for item in reads.iter_export(session, site="other")}
    assert since == {f"https://news.example/{slug}" for slug in ("old", "new", "elsewhere")}
    assert by_site == {"https://news.example/elsewhere"}


def test_export_pages_with_bounded_queries(archive) -> None:
    for n in range(5):
        save(archive, make_record(f"p{n}"))
    statements: list[str] = []

    def remember(_conn, _cursor, statement: str, *_args: object) -> None:
        statements.append(statement)

    sa.event.listen(archive.engine, "before_cursor_execute", remember)
    try:
        with archive.sessions() as session:
            iterator = reads.iter_export(session, batch=2)
            next(iterator)
            first_batch_statements = len(statements)
            rest = list(iterator)
    finally:
        sa.event.remove(archive.engine, "before_cursor_execute", remember)
    assert len(rest) == 4
    assert first_batch_statements == 3  # one page of articles, its authors, its links
    assert all("LIMIT" in statement.upper() for statement in statements if "FROM articles" in statement)


# --- URL states ---


def test_url_state_upsert_and_read(archive) -> None:
    with archive.sessions.begin() as session:
        state = url_states.upsert_url_state(
            session, "https://news.example/a", site="example", kind="article", etag='"v1"'
        )
        assert (state.kind, state.etag, state.last_status) == ("article", '"v1"', None)
        discovered = state.discovered_at
    with archive.sessions.begin() as session:
        state = url_states.upsert_url_state(
            session,
            "https://news.example/a",
            etag='"v2"',
            last_status=304,
            last_fetched_at=T0,
            last_modified="Wed, 01 May 2024 08:00:00 GMT",
        )
        assert (state.etag, state.last_status, state.kind, state.discovered_at) == (
            '"v2"',
            304,
            "article",
            discovered,
        )
    with archive.sessions() as session:
        state = url_states.get_url_state(session, "https://news.example/a")
        assert state.last_fetched_at == T0 and state.last_modified == "Wed, 01 May 2024 08:00:00 GMT"
        assert url_states.get_url_state(session, "https://news.example/none") is None
    with archive.sessions.begin() as session, pytest.raises(TypeError, match="colour"):
        url_states.upsert_url_state(session, "https://news.example/a", colour="red")


def test_urls_to_recheck_picks_recent_live_articles_stalest_first(archive) -> None:
    recent = save(archive, make_record("recent", published=T0 + timedelta(days=9)))
    old = save(archive, make_record("old", published=T0))
    with archive.sessions.begin() as session:
        for slug, outcome, fetched in (("recent", recent, T0 + timedelta(days=9)), ("old", old, T0)):
            url_states.upsert_url_state(
                session,
                f"https://news.example/{slug}",
                site="example",
                kind="article",
                article_id=outcome.article_id,
                last_fetched_at=fetched,
            )
        url_states.upsert_url_state(session, "https://news.example/never-fetched", site="example", kind="article")
        url_states.upsert_url_state(
            session, "https://news.example/gone", site="example", kind="article", gone_at=T0
        )
        url_states.upsert_url_state(session, "https://news.example/section", site="example", kind="listing")
        url_states.upsert_url_state(session, "https://other.example/x", site="other", kind="article")
    with archive.sessions() as session:
        urls = [
            s.url for s in url_states.urls_to_recheck(session, "example", since=T0 + timedelta(days=7), limit=10)
        ]
        limited = url_states.urls_to_recheck(session, "example", since=T0 + timedelta(days=7), limit=1)
    assert urls == ["https://news.example/never-fetched", "https://news.example/recent"]
    assert [s.url for s in limited] == ["https://news.example/never-fetched"]


def test_iso_date_strings_are_accepted_stored_as_instants_and_read_in_their_offset(archive) -> None:
    outcome = save(
        archive, make_record(published="2024-05-01T10:00:00+02:00", modified="2024-05-02T00:00:00Z")
    )
    with archive.sessions() as session:
        detail = reads.get_article(session, outcome.article_id)
    assert detail.published == T0
    assert detail.modified == datetime(2024, 5, 2, tzinfo=UTC)
    assert detail.published.utcoffset() == timedelta(hours=2)
    assert detail.modified.utcoffset() == timedelta(0)
