"""Full-text search over archived articles, one function for both dialects.

User text is never passed through as query syntax: it is cut into words, each word becomes a quoted
term, and all terms are ANDed. So quotes, NOT/OR/AND/NEAR, `*`, parentheses and SQL fragments only
ever match as the literal words they contain.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, column, exists, func, literal_column, select, table

from storage.models import Article, ArticleAuthor, Author, Site
from storage.repository import authors_of
from storage.timestamps import as_utc

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import ColumnElement

#: A word as the full-text tokenizers see it: letters and digits (underscore separates, as in FTS5's unicode61).
_WORD = re.compile(r"[^\W_]+")
HIGHLIGHT_START = "["
HIGHLIGHT_END = "]"
ELLIPSIS = "…"
SNIPPET_TOKENS = 24
#: SQLite bm25() weights for (title, body); PostgreSQL weights title 'A' over body 'B' instead.
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: int
    url: str
    title: str | None
    site: str
    published: datetime | None
    authors: list[str]
    snippet: str
    #: higher is more relevant; comparable only within one result list
    score: float
    #: the article was taken down by its publisher (it stays archived and searchable)
    removed: bool = False


def query_terms(query: str) -> list[str]:
    """The words of a user query; ValueError when nothing searchable is left."""
    terms = _WORD.findall(unicodedata.normalize("NFC", query))
    if not terms:
        raise ValueError(f"nothing to search for in {query!r}: the query needs at least one letter or digit")
    return terms


def search(
    session: Session,
    query: str,
    *,
    site: str | None = None,
    author: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Articles matching every word of query, most relevant first (title matches weigh more than body).

    Filters: site name, author name (exact, case-insensitive), published in [since, until).
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    terms = query_terms(query)
    filters = _filters(site=site, author=author, since=since, until=until)
    if session.get_bind().dialect.name == "postgresql":
        ranked = _postgresql_ranked(session, terms, filters, limit)
    else:
        ranked = _sqlite_ranked(session, terms, filters, limit)
    return _hits(session, ranked)


def _filters(
    *, site: str | None, author: str | None, since: datetime | None, until: datetime | None
) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if site is not None:
        filters.append(Site.name == site)
    if author is not None:
        filters.append(
            exists().where(
                ArticleAuthor.article_id == Article.id,
                ArticleAuthor.author_id == Author.id,
                Author.name_key == author.strip().casefold(),
            )
        )
    if since is not None:
        filters.append(Article.published >= as_utc(since))
    if until is not None:
        filters.append(Article.published < as_utc(until))
    return filters


# --- SQLite: FTS5 external-content table articles_fts(title, body), rowid = articles.id ---

_FTS = table("articles_fts", column("rowid"))
_FTS_TABLE = literal_column("articles_fts")


def _sqlite_match(terms: Sequence[str]) -> str:
    """An FTS5 query of quoted terms (implicitly ANDed); terms hold no quotes, see _WORD."""
    return " ".join(f'"{term}"' for term in terms)


def _sqlite_ranked(
    session: Session, terms: Sequence[str], filters: list[ColumnElement[bool]], limit: int
) -> list[tuple[int, float, str]]:
    rank = func.bm25(_FTS_TABLE, TITLE_WEIGHT, BODY_WEIGHT)
    snippet = func.snippet(_FTS_TABLE, -1, HIGHLIGHT_START, HIGHLIGHT_END, ELLIPSIS, SNIPPET_TOKENS)
    query = (
        select(Article.id, rank, snippet)
        .select_from(_FTS)
        .join(Article, Article.id == _FTS.c.rowid)
        .join(Site, Article.site_id == Site.id)
        .where(_FTS_TABLE.op("MATCH")(_sqlite_match(terms)), *filters)
        .order_by(rank, Article.id)
        .limit(limit)
    )
    return [(article_id, -float(bm25), snippet or "") for article_id, bm25, snippet in session.execute(query)]


# --- PostgreSQL: generated tsvector column articles.search_vector (title 'A', body 'B'), GIN-indexed ---

_CONFIG = literal_column("'simple'::regconfig")
_VECTOR = literal_column("articles.search_vector")
_HEADLINE_OPTIONS = (
    f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=35, MinWords=15, "
    f'MaxFragments=1, FragmentDelimiter="{ELLIPSIS}"'
)


def _postgresql_ranked(
    session: Session, terms: Sequence[str], filters: list[ColumnElement[bool]], limit: int
) -> list[tuple[int, float, str]]:
    # plainto_tsquery ANDs the words and reads no operators; the terms are already bare words.
    tsquery = func.plainto_tsquery(_CONFIG, " ".join(terms))
    rank = func.ts_rank(_VECTOR, tsquery)
    query = (
        select(Article.id, rank)
        .join(Site, Article.site_id == Site.id)
        .where(_VECTOR.op("@@")(tsquery), *filters)
        .order_by(rank.desc(), Article.id)
        .limit(limit)
    )
    ranked = session.execute(query).all()
    if not ranked:
        return []
    # Headlines are costly: compute them for the page of hits only.
    body_matches = func.to_tsvector(_CONFIG, func.coalesce(Article.body, "")).op("@@")(tsquery)
    headline = case(
        (body_matches, func.ts_headline(_CONFIG, Article.body, tsquery, _HEADLINE_OPTIONS)),
        else_=func.ts_headline(_CONFIG, func.coalesce(Article.title, ""), tsquery, _HEADLINE_OPTIONS),
    )
    ids = [article_id for article_id, _ in ranked]
    snippets = dict(session.execute(select(Article.id, headline).where(Article.id.in_(ids))).tuples().all())
    return [(article_id, float(score), snippets.get(article_id) or "") for article_id, score in ranked]


# --- both ---


def _hits(session: Session, ranked: list[tuple[int, float, str]]) -> list[SearchHit]:
    if not ranked:
        return []
    ids = [article_id for article_id, _, _ in ranked]
    rows: dict[int, Any] = {
        row.id: row
        for row in session.execute(
            select(
                Article.id,
                Article.canonical_url,
                Article.title,
                Site.name,
                Article.published,
                Article.removed_at,
            )
            .join(Site, Article.site_id == Site.id)
            .where(Article.id.in_(ids))
        )
    }
    authors = authors_of(session, ids)
    return [
        SearchHit(
            article_id=article_id,
            url=rows[article_id].canonical_url,
            title=rows[article_id].title,
            site=rows[article_id].name,
            published=rows[article_id].published,
            authors=authors.get(article_id, []),
            snippet=snippet,
            score=score,
            removed=rows[article_id].removed_at is not None,
        )
        for article_id, score, snippet in ranked
    ]
