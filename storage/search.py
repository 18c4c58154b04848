"""Search the archive with the query language (storage.querylang): a page of ranked hits, facets, all matches.

Only the page shown is ranked and given snippets; the total is a plain count. Snippets mark matched words
with HIGHLIGHT_START/HIGHLIGHT_END, two private-use characters no article text holds, so a front end can
escape the text and then mark the words (snippet_segments) without ever trusting HTML from the index.
An empty query matches every article (newest first), so a whole site can be listed, charted or exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from storage.dialects import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    index_ids,
    index_is_exact,
    index_rank,
    index_row_id,
    index_scans,
    index_snippets,
    index_window_id,
    newest_ids_pay,
)
from storage.matching import Plan, SearchFilters, plan_query
from storage.models import Article, ArticleAuthor, Author, Site
from storage.querylang import QuerySyntaxError
from storage.reads import authors_of, export_rows
from storage.wordpairs import uses_pairs

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "QuerySyntaxError",
    "SearchFilters",
    "SearchHit",
    "SearchPage",
    "facet_counts",
    "iter_matches",
    "plain_snippet",
    "search",
    "search_page",
    "snippet_segments",
]

#: words of the body shown as the snippet of a hit that has no full-text part (e.g. an empty query)
LEAD_WORDS = 30
#: the default: no filter beside the query
NO_FILTERS = SearchFilters()
#: a query with words counts its matches up to this many, and pages end there (SearchPage.total_capped
#: says when there are more); a query without words is counted exactly
TOTAL_CAP = 10_000
#: how many matches are ranked at most: past it, the most recently stored ones (see _ranked)
RANK_WINDOW = 1000
FACETS = ("site", "author", "section", "language")
EXPORT_BATCH = 500


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: int
    url: str
    title: str | None
    site: str
    published: datetime | None
    authors: list[str]
    snippet: str
    #: higher is more relevant; comparable only within one result list (0 when the query has no words)
    score: float
    #: the article was taken down by its publisher (it stays archived and searchable)
    removed: bool = False
    section: str | None = None
    language: str | None = None
    #: how many other articles are copies of this one (its copy cluster, storage.copies)
    copies: int = 0


@dataclass(frozen=True, slots=True)
class SearchPage:
    #: how many articles match; at most TOTAL_CAP for a query with words (see total_capped)
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    #: True when more than TOTAL_CAP articles match and total says TOTAL_CAP
    total_capped: bool = False


def snippet_segments(snippet: str) -> list[tuple[str, bool]]:
    """The snippet as (text, highlighted) pieces in order, markers removed; empty pieces left out."""
    segments: list[tuple[str, bool]] = []
    highlighted = False
    buffer: list[str] = []
    for char in snippet:
        if char in (HIGHLIGHT_START, HIGHLIGHT_END):
            if buffer:
                segments.append(("".join(buffer), highlighted))
                buffer = []
            highlighted = char == HIGHLIGHT_START
        else:
            buffer.append(char)
    if buffer:
        segments.append(("".join(buffer), highlighted))
    return segments


def plain_snippet(snippet: str) -> str:
    """The snippet without its highlight markers."""
    return snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")


def bracketed_snippet(snippet: str) -> str:
    """The snippet for a terminal: matched words as [word]."""
    return snippet.replace(HIGHLIGHT_START, "[").replace(HIGHLIGHT_END, "]")


def _plan(session: Session, query: str, filters: SearchFilters) -> Plan:
    return plan_query(session.get_bind().dialect.name, query, filters, session)


def search_page(
    session: Session, query: str, filters: SearchFilters = NO_FILTERS, *, limit: int = 20, offset: int = 0
) -> SearchPage:
    """One page of the articles matching query and filters, best first (newest first without words).

    The total of a query with words stops at TOTAL_CAP (total_capped then says so): `counts` counts all.
    Raises QuerySyntaxError (a ValueError) for a malformed query.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    if offset < 0:
        raise ValueError(f"offset must be 0 or more, not {offset}")
    plan = _plan(session, query, filters)
    if plan.text is not None:
        scan = bool(plan.where) and plan.scan_pays(session)
        with index_scans(session):
            exact = index_is_exact(plan.dialect, plan.text)
            paired = uses_pairs(plan.text)
            one_pass = newest_ids_pay(plan.dialect, exact, bool(plan.where), paired)
            newest = _newest(session, plan, exact or paired) if one_pass else None
            counted = len(newest) if newest is not None else _count(session, plan, scan)
            total = min(counted, TOTAL_CAP)
            if total <= offset:
                return SearchPage(total, [], counted > TOTAL_CAP)
            ranked = _ranked(session, plan, total, min(limit, total - offset), offset, scan, newest, paired)
        snippets = index_snippets(session, plan.text, [article_id for article_id, _ in ranked])
    else:
        total = session.scalar(plan.select(func.count())) or 0
        ids = session.scalars(
            plan.select(Article.id)
            .order_by(Article.published.desc().nulls_last(), Article.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        ranked = [(article_id, 0.0) for article_id in ids]
        snippets = {}
        counted = total
    return SearchPage(total, _hits(session, ranked, snippets), counted > total)


def _count(session: Session, plan: Plan, scan: bool) -> int:
    """How many articles match, counted up to TOTAL_CAP + 1 (a full count reads every match)."""
    assert plan.text is not None
    if plan.where:
        select_from = plan.select_scanning if scan else plan.select
        matches = select_from(Article.id).limit(TOTAL_CAP + 1).subquery()
    else:
        matches = index_ids(plan.dialect, plan.text).limit(TOTAL_CAP + 1).subquery()
    return session.scalar(select(func.count()).select_from(matches)) or 0


def _newest(session: Session, plan: Plan, by_index: bool) -> list[int]:
    """The ids of up to TOTAL_CAP + 1 matches, newest first, in one pass: how many there are is the total
    and the first RANK_WINDOW are the rank window (see newest_ids_pay; by_index: see index_window_id)."""
    assert plan.text is not None
    row_id = index_window_id(session, plan.select(Article.id), by_index)
    return list(session.scalars(plan.select(Article.id).order_by(row_id.desc()).limit(TOTAL_CAP + 1)))


def _ranked(
    session: Session,
    plan: Plan,
    total: int,
    limit: int,
    offset: int,
    scan: bool,
    newest: list[int] | None = None,
    by_index: bool = False,
) -> list[tuple[int, float]]:
    """The page of best matches. Past RANK_WINDOW matches, only the RANK_WINDOW most recently stored are
    ranked (found newest first by the index, cheaply): ranking costs per match, this bounds it.
    newest: the matches' ids newest first when _newest found them; the window is then ranked by id.
    by_index: the window is found from the index's matches, as for phrases looked up by their word pairs
    (see index_window_id); otherwise as the planner's estimate says."""
    assert plan.text is not None
    score, best_first = index_rank(plan.dialect, plan.text)
    query = plan.select(Article.id, score)
    windowed = total > RANK_WINDOW and offset + limit <= RANK_WINDOW
    if newest is not None and (windowed or len(newest) <= min(TOTAL_CAP, RANK_WINDOW)):
        # the window, or every match (newest holds them all): ranked by id, the matches are not read again
        query = select(Article.id, score).where(Article.id.in_(newest[:RANK_WINDOW]))
    elif windowed:
        row_id = index_window_id(session, plan.select(Article.id), by_index)
        if scan and plan.where:
            newest = plan.select_scanning(Article.id).order_by(Article.id.desc())
        else:
            newest = plan.select(row_id).order_by(row_id.desc())
        window_start = session.scalar(newest.offset(RANK_WINDOW - 1).limit(1))
        if window_start is not None:
            query = query.where(row_id >= window_start)
    rows = session.execute(query.order_by(best_first, Article.id).limit(limit).offset(offset)).all()
    return [(article_id, float(value)) for article_id, value in rows]


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
    """The best `limit` hits with snippets marked [like this], for terminal output (see search_page)."""
    filters = SearchFilters(site=site, author=author, since=since, until=until)
    hits = search_page(session, query, filters, limit=limit).hits
    return [_with_snippet(hit, bracketed_snippet(hit.snippet)) for hit in hits]


def _with_snippet(hit: SearchHit, snippet: str) -> SearchHit:
    values = {name: getattr(hit, name) for name in SearchHit.__slots__}
    return SearchHit(**(values | {"snippet": snippet}))


def _hits(session: Session, ranked: list[tuple[int, float]], snippets: dict[int, str]) -> list[SearchHit]:
    if not ranked:
        return []
    ids = [article_id for article_id, _ in ranked]
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
                Article.section,
                Article.language,
                Article.copy_cluster_id,
                func.substr(Article.body, 1, LEAD_WORDS * 12).label("lead"),
            )
            .join(Site, Article.site_id == Site.id)
            .where(Article.id.in_(ids))
        )
    }
    clusters = {row.copy_cluster_id for row in rows.values() if row.copy_cluster_id is not None}
    cluster_sizes: dict[int, int] = {}
    if clusters:
        cluster_sizes = dict(
            session.execute(
                select(Article.copy_cluster_id, func.count())
                .where(Article.copy_cluster_id.in_(clusters))
                .group_by(Article.copy_cluster_id)
            ).all()
        )
    authors = authors_of(session, ids)
    hits = []
    for article_id, score in ranked:
        row = rows[article_id]
        snippet = snippets.get(article_id)
        if snippet is None:
            words = (row.lead or "").split()
            snippet = " ".join(words[:LEAD_WORDS]) + (" …" if len(words) > LEAD_WORDS else "")
        hits.append(
            SearchHit(
                article_id=article_id,
                url=row.canonical_url,
                title=row.title,
                site=row.name,
                published=row.published,
                authors=authors.get(article_id, []),
                snippet=snippet,
                score=score,
                removed=row.removed_at is not None,
                section=row.section,
                language=row.language,
                copies=max(cluster_sizes.get(row.copy_cluster_id, 1) - 1, 0),
            )
        )
    return hits


def facet_counts(
    session: Session, query: str, filters: SearchFilters, *, top: int = 10
) -> dict[str, list[tuple[str, int]]]:
    """For each of site, author, section and language: its most frequent values among the matches, with counts."""
    plan = _plan(session, query, filters)
    count = func.count(Article.id.distinct()).label("n")
    facets: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        if name == "author":
            value: Any = Author.name
            query_ = (
                plan.select(value, count)
                .join(ArticleAuthor, ArticleAuthor.article_id == Article.id)
                .join(Author, Author.id == ArticleAuthor.author_id)
            )
        else:
            value = {"site": Site.name, "section": Article.section, "language": Article.language}[name]
            query_ = plan.select(value, count).where(value.is_not(None))
        with index_scans(session, plan.text is not None):
            rows = session.execute(query_.group_by(value).order_by(count.desc(), value).limit(top)).all()
        facets[name] = [(str(key), int(n)) for key, n in rows]
    return facets


def iter_matches(session: Session, query: str, filters: SearchFilters) -> Iterator[dict[str, Any]]:
    """Every matching article as an export row (the keys of `newsarchive export`), in id order, in batches."""
    # without the word-pair index (storage.wordpairs): walking the ids in order, each batch testing the
    # phrase on the rows' tsvectors, beat listing every match from the pair index for each batch
    plan = plan_query(session.get_bind().dialect.name, query, filters)
    columns = list(Article.__table__.columns)
    # keyset pagination on the id as the index sees it, so each batch starts where the last one ended
    row_id = index_row_id(plan.dialect) if plan.text is not None else Article.id
    last_id = 0
    while True:
        rows = session.execute(
            plan.select(*columns, Site.name.label("site_key"))
            .where(row_id > last_id)
            .order_by(row_id)
            .limit(EXPORT_BATCH)
        ).all()
        if not rows:
            return
        yield from export_rows(session, rows)
        last_id = rows[-1].id
