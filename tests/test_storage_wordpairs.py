"""PostgreSQL phrases through the word-pair index find exactly what the tsvector check alone finds."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

import storage.matching
import storage.search
from storage import articles
from storage.db import open_archive
from storage.matching import SearchFilters, plan_query
from storage.models import Article
from storage.querylang import And
from storage.search import iter_matches, search_page
from storage.wordpairs import Paired
from tests.conftest import fresh_pg_schema
from tests.query_archive import make_record

pytestmark = pytest.mark.postgres

T0 = datetime(2024, 1, 1, tzinfo=UTC)
WORDS = ["ga", "da", "de", "bo", "ku", "li"]
LONG = "x" * 300  # one lexeme too long to be in any pair
#: (title, body) made to test the edges: a phrase across the title's end and the body's start, repeated
#: words, words the parser splits (1e5x) or hyphenates, a word over the pair length limit, no title
EDGES = [
    ("ga da", "bo ku"),
    ("li ga", "da bo"),
    ("da da da", "ga ga"),
    ("", "ga da ga"),
    ("1e5x ga", "da 1e5x"),
    ("e-mail da", "ga-da bo"),
    ("İstanbul ga", "da İstanbul ga"),
    (f"{LONG} ga", f"da {LONG}"),
    ("Ga, DA!", "de. ku; li"),
]
QUERIES = [
    '"ga da"',
    '"da ga"',
    '"ga ga"',
    '"da da da"',
    '"ku ga"',
    '"ga da bo"',
    '"ga da ga"',
    '"li ga da bo"',
    '"ga zz"',
    '"zz da"',
    'title:"ga da"',
    'title:"da da"',
    'title:"ga da bo"',
    '"ga da" bo',
    '"ga da" -ku',
    '"ga da" -"da bo"',
    '"ga da" OR "bo ku"',
    '("ga da" OR li) de',
    '-"ga da" de',
    '"ga da" "da bo"',
    '"ga da" site:one',
    '"ga da" site:one OR ku',
    '"ga da" author:"Ana Silva"',
    '"1e5x ga"',
    '"ga 1e5x"',
    '"e mail"',
    '"mail da"',
    '"ga-da bo"',
    '"istanbul ga"',
    '"İstanbul ga"',
    f'"{LONG} ga"',
    f'"da {LONG}"',
    '"ga, da"',
    '"de ku li"',
    "ga* \"da bo\"",
    '"' + " ".join(["ga", "da"] * 150) + '"',  # hostile: long phrases, a word no index takes
    '"ga da ' + "y" * 1500 + '"',
]


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


@pytest.fixture(scope="module")
def archive():
    with fresh_pg_schema() as url, open_archive(url) as archive:
        rng = random.Random(8)
        pages = [(_text(rng, 0, 4), _text(rng, 0, 12)) for _ in range(120)] + EDGES
        with archive.sessions.begin() as session:
            for number, (title, body) in enumerate(pages):
                record = make_record("unrelated") | {
                    "url": f"https://news.example/{number}",
                    "title": title or None,
                    "body": body,
                    "authors": ["Ana Silva"] if number % 3 == 0 else [],
                    "published": T0 + timedelta(days=number),
                }
                site = ("one", "two")[number % 2]
                articles.save_article(session, record, site=site, fetched_at=T0, extractor_version="t")
        yield archive


def _ids(session, query: str, paired: bool) -> set[int]:
    plan = plan_query("postgresql", query, SearchFilters(), session if paired else None)
    return set(session.scalars(plan.select(Article.id)))


@pytest.mark.parametrize("query", QUERIES)
def test_pairs_find_what_the_tsvector_check_finds(archive, query: str) -> None:
    with archive.sessions() as session:
        assert _ids(session, query, paired=True) == _ids(session, query, paired=False)


def test_random_phrases_find_the_same_articles(archive) -> None:
    rng = random.Random(5)
    with archive.sessions() as session:
        for _ in range(60):
            query = '"' + " ".join(rng.choice([*WORDS, "zz"]) for _ in range(rng.randint(2, 4))) + '"'
            if rng.random() < 0.3:
                query = "title:" + query
            assert _ids(session, query, paired=True) == _ids(session, query, paired=False), query


FILTERS = [SearchFilters(), SearchFilters(site="one", since=T0 + timedelta(days=40))]


def _everything(session) -> dict:
    """Per query and filters: the page, and every match as exported (ids in order)."""
    found = {}
    for query in QUERIES:
        for filters in FILTERS:
            page = search_page(session, query, filters, limit=5, offset=1)
            exported = [row["id"] for row in iter_matches(session, query, filters)]
            found[(query, filters)] = (page.total, page.total_capped, page.hits, exported)
    return found


@pytest.mark.parametrize("window", [1000, 3])
def test_search_pages_and_exports_are_the_same_with_and_without_pairs(archive, monkeypatch, window) -> None:
    # a small rank window and cap take the windowed and capped paths, a small batch the export's keyset
    monkeypatch.setattr(storage.search, "RANK_WINDOW", window)
    monkeypatch.setattr(storage.search, "TOTAL_CAP", window * 3)
    monkeypatch.setattr(storage.search, "EXPORT_BATCH", 4)
    with archive.sessions() as session:
        paired = _everything(session)
    monkeypatch.setattr(storage.matching, "pair_phrases", lambda _session, node: node)
    with archive.sessions() as session:
        alone = _everything(session)
    assert paired == alone
    assert sum(bool(found[3]) for found in paired.values()) > len(QUERIES) / 2


def test_a_two_word_phrase_is_decided_by_the_pair_index_alone(archive) -> None:
    with archive.sessions() as session:
        plan = plan_query("postgresql", '"Ga DA"', SearchFilters(), session)
        assert plan.text == Paired(plan.text.node, ("ga da",))
        assert plan.text.exact
        statement = plan.select(Article.id)
        assert "@@" not in str(statement.compile())
        longer = plan_query("postgresql", '"ga da bo" ku', SearchFilters(), session).text
        assert isinstance(longer, And) and longer.children[0].pairs == ("ga da", "da bo")
        assert not longer.children[0].exact
        # a word the parser splits, or one too long for a pair, leaves the phrase to the tsvector check
        for query in ('"1e5x ga"', f'"{LONG} ga"'):
            assert not isinstance(plan_query("postgresql", query, SearchFilters(), session).text, Paired)
        session.execute(text("SET LOCAL enable_seqscan = off"))
        compiled = statement.compile(session.get_bind())
        explained = session.connection().exec_driver_sql("EXPLAIN " + compiled.string, compiled.params)
        explained = [line for (line,) in explained]
        assert any("ix_articles_word_pairs" in line for line in explained)
