"""Full-text search on both dialects: ranking, snippets, filters, and hostile query text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from storage import articles
from storage.db import open_archive
from storage.models import Article
from storage.search import SearchHit, query_terms, search

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)

#: slug -> (title, body, authors, site, published offset in days)
ARTICLES: dict[str, tuple[str, str, list[str], str, int]] = {
    "title-hit": (
        "Glacier retreat accelerates",
        "Scientists measured ice loss across the range for a decade.",
        ["Ana Silva"],
        "alpine",
        0,
    ),
    "body-hit": (
        "Mountain tourism report",
        "Visitors came to see the glacier before it shrinks further, officials said.",
        ["Ben Okafor"],
        "alpine",
        10,
    ),
    "operators": (
        "Court ruling",
        "The judge did not say whether the appeal or the retrial comes first and near term plans are open.",
        ["Élodie Durand"],
        "courts",
        20,
    ),
    "unrelated": (
        "Harbour festival",
        "Boats, music and food along the quay all weekend.",
        ["Ana Silva"],
        "coast",
        30,
    ),
}


def make_record(slug: str) -> dict[str, Any]:
    title, body, authors, _site, _days = ARTICLES[slug]
    return {
        "url": f"https://news.example/{slug}",
        "canonical_url": None,
        "title": title,
        "authors": authors,
        "published": T0 + timedelta(days=ARTICLES[slug][4]),
        "modified": None,
        "language": "en",
        "section": None,
        "site_name": None,
        "lead_image": None,
        "description": None,
        "body": body,
        "related_links": [],
    }


def fill(archive) -> None:
    with archive.sessions.begin() as session:
        for slug, (*_, site, _days) in ARTICLES.items():
            articles.save_article(session, make_record(slug), site=site, fetched_at=T0, extractor_version="t")


@pytest.fixture(scope="module")
def shared_archive(module_db_url: str):
    """One filled archive per dialect for the read-only tests (migrating costs more than searching)."""
    with open_archive(module_db_url) as archive:
        fill(archive)
        yield archive


@pytest.fixture
def archive(shared_archive):
    return shared_archive


@pytest.fixture
def fresh_archive(db_url: str):
    """A filled archive of its own, for tests that change it."""
    with open_archive(db_url) as archive:
        fill(archive)
        yield archive


def slugs(hits: list[SearchHit]) -> list[str]:
    return [hit.url.rsplit("/", 1)[1] for hit in hits]


def run(archive, query: str, **filters: Any) -> list[SearchHit]:
    with archive.sessions() as session:
        return search(session, query, **filters)


def test_title_hit_ranks_above_body_only_hit(archive) -> None:
    hits = run(archive, "glacier")
    assert slugs(hits) == ["title-hit", "body-hit"]
    assert hits[0].score > hits[1].score


def test_hits_carry_article_fields_and_highlighted_snippets(archive) -> None:
    title_hit, body_hit = run(archive, "Glacier")
    assert (title_hit.site, title_hit.authors, title_hit.published, title_hit.removed) == (
        "alpine",
        ["Ana Silva"],
        T0,
        False,
    )
    assert title_hit.title == "Glacier retreat accelerates"
    assert "[glacier]" in body_hit.snippet.lower()
    assert "[glacier]" in title_hit.snippet.lower()
    assert body_hit.published.tzinfo is not None


def test_all_words_must_match(archive) -> None:
    assert slugs(run(archive, "glacier visitors")) == ["body-hit"]
    assert run(archive, "glacier harbour") == []


def test_site_author_and_date_filters(archive) -> None:
    assert slugs(run(archive, "glacier", site="alpine")) == ["title-hit", "body-hit"]
    assert run(archive, "glacier", site="coast") == []
    assert slugs(run(archive, "glacier", author="ben okafor")) == ["body-hit"]
    assert run(archive, "glacier", author="Ben") == []  # exact name, not a substring
    assert slugs(run(archive, "judge", author="ÉLODIE DURAND")) == ["operators"]
    assert slugs(run(archive, "glacier", since=T0 + timedelta(days=5))) == ["body-hit"]
    assert slugs(run(archive, "glacier", until=T0 + timedelta(days=5))) == ["title-hit"]
    local = datetime(2024, 5, 11, 10, 0, tzinfo=UTC).astimezone()  # same instant, any offset
    assert slugs(run(archive, "glacier", since=local)) == []


def test_limit(archive) -> None:
    assert len(run(archive, "the", limit=1)) == 1


#: query -> the only articles it may match; every word is a literal term, all ANDed
HOSTILE_QUERIES: dict[str, list[str]] = {
    '"unbalanced': [],
    "NOT": ["operators"],
    "OR OR": ["operators"],
    "a AND": [],  # 'a' and 'and' must both occur as words
    "near": ["operators"],
    "NEAR(judge appeal)": ["operators"],
    "NEAR(": ["operators"],  # the word 'near' occurs in that body
    "foo*": [],
    "glacier*": ["title-hit", "body-hit"],  # the star is dropped, never a prefix search
    "glaci*": [],
    "'; DROP TABLE articles; --": [],
    "title:glacier": [],  # no column filters: 'title' must occur as a word
    "-glacier": ["title-hit", "body-hit"],
    "glacier -visitors": ["body-hit"],  # no negation either
    "^glacier": ["title-hit", "body-hit"],
    "judge + appeal": ["operators"],
    "judge AND (appeal OR boats)": [],
}
EMPTY_QUERIES = ("", "   ", "(", '"" ()', "*", "-- ;", "_")


def test_hostile_queries_match_only_their_literal_words(archive) -> None:
    found = {query: slugs(run(archive, query)) for query in HOSTILE_QUERIES}
    assert found == HOSTILE_QUERIES
    with archive.sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Article)) == len(ARTICLES)


def test_queries_without_words_raise_value_error(archive) -> None:
    for query in EMPTY_QUERIES:
        with pytest.raises(ValueError, match="nothing to search for"):
            run(archive, query)


def test_query_terms_keep_only_words() -> None:
    assert query_terms('"Glacier" NOT (ice*) o\'brien') == ["Glacier", "NOT", "ice", "o", "brien"]


def test_index_follows_updates_and_removed_articles_stay_findable(fresh_archive) -> None:
    archive = fresh_archive
    with archive.sessions.begin() as session:
        record = make_record("unrelated") | {"body": "The festival was cancelled by a glacier flood."}
        articles.save_article(
            session, record, site="coast", fetched_at=T0 + timedelta(days=1), extractor_version="t"
        )
        articles.mark_removed(session, "https://news.example/unrelated", T0 + timedelta(days=2))
    assert run(archive, "boats") == []
    hits = {hit.url.rsplit("/", 1)[1]: hit for hit in run(archive, "glacier")}
    assert set(hits) == {"title-hit", "body-hit", "unrelated"}
    assert hits["unrelated"].removed and not hits["title-hit"].removed


def test_deleted_article_leaves_the_index(fresh_archive) -> None:
    archive = fresh_archive
    with archive.sessions.begin() as session:
        session.execute(sa.delete(Article).where(Article.url == "https://news.example/body-hit"))
    assert slugs(run(archive, "glacier")) == ["title-hit"]


def test_sqlite_index_stays_consistent_through_edits(sqlite_url: str) -> None:
    with open_archive(sqlite_url) as archive:
        fill(archive)
        with archive.sessions.begin() as session:
            edited = make_record("body-hit") | {"title": "Tourism report", "body": "Edited text."}
            articles.save_article(session, edited, site="alpine", fetched_at=T0, extractor_version="t")
            session.execute(sa.delete(Article).where(Article.url == "https://news.example/unrelated"))
        with archive.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)"
            )
        assert slugs(run(archive, "edited")) == ["body-hit"]
        assert slugs(run(archive, "glacier")) == ["title-hit"]
