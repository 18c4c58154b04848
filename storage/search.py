"""Full-text search over archived articles, one function for both dialects.

User text is never passed through as query syntax: it is cut into words, each word becomes a quoted
term, and all terms are ANDed. So quotes, NOT/OR/AND/NEAR, `*`, parentheses and SQL fragments only
ever match as the literal words they contain. The dialect's own ranking and snippet SQL is in
storage.dialects; snippets mark matched words as [word].
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, select

from storage.dialects import Ranked, ranked_matches
from storage.models import Article, ArticleAuthor, Author, Site
from storage.reads import authors_of
from storage.timestamps import as_utc

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import ColumnElement

#: A word as the full-text tokenizers see it: letters and digits (underscore separates, as in FTS5's unicode61).
_WORD = re.compile(r"[^\W_]+")


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
    return _hits(session, ranked_matches(session, terms, filters, limit))


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


def _hits(session: Session, ranked: Ranked) -> list[SearchHit]:
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
