"""The JSON API under /api/: search, one article, counts over time and the streamed export.

Parameters are those of the pages. A bad query or parameter answers 400 with `{"error": message}`,
an unknown article 404 the same way; keys are the project's record vocabulary (as `export` writes).
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy.exc import SQLAlchemyError

from scraper.web import export, params, schemas
from storage.copies import copies_of
from storage.counts import counts_over_time
from storage.reads import ArticleDetail, get_article, raw_pages_of
from storage.search import SearchFilters, facet_counts, plain_snippet, search_page, snippet_segments
from storage.timestamps import iso

router = APIRouter(prefix="/api", tags=["api"])
log = logging.getLogger(__name__)

#: the largest id an INTEGER key holds on PostgreSQL; a larger one cannot name an article
MAX_ID = 2**31 - 1

Text = Annotated[str | None, Query(max_length=params.MAX_TEXT)]
QueryText = Annotated[str, Query(max_length=params.MAX_TEXT, description="search query; empty: all articles")]
Since = Annotated[str | None, Query(max_length=64, description="published at or after (ISO date or datetime)")]
Until = Annotated[
    str | None, Query(max_length=64, description="published before (a bare date includes that day)")
]


def filter_params(
    site: Text = None,
    author: Text = None,
    section: Text = None,
    lang: Text = None,
    since: Since = None,
    until: Until = None,
    collapse_copies: bool = False,
) -> dict[str, str | None]:
    """The filters search, counts and export all take, as the pages name them; read with params.filters
    inside each endpoint, so a bad one answers 400 like a bad query."""
    return {
        "site": site,
        "author": author,
        "section": section,
        "lang": lang,
        "since": since,
        "until": until,
        "collapse_copies": "1" if collapse_copies else None,
    }


FilterArgs = Annotated[dict[str, str | None], Depends(filter_params)]


def facets_or_none(session: Any, query: str, filters: SearchFilters) -> dict[str, list[tuple[str, int]]] | None:
    """The facet counts; should they fail, the hits still stand (without facets) and the log says why."""
    try:
        with session.begin_nested():
            return facet_counts(session, query, filters)
    except SQLAlchemyError:
        log.exception("facet counts failed for query %r", query)
        return None


def _bad(error: ValueError) -> JSONResponse:
    return JSONResponse({"error": str(error)}, status_code=400)


def hit_dict(hit: Any) -> dict[str, Any]:
    return {
        "id": hit.article_id,
        "url": hit.url,
        "title": hit.title,
        "site": hit.site,
        "published": iso(hit.published),
        "authors": hit.authors,
        "section": hit.section,
        "language": hit.language,
        "removed": hit.removed,
        "copies": hit.copies,
        "score": hit.score,
        "snippet": plain_snippet(hit.snippet),
        "snippet_segments": [{"text": text, "match": match} for text, match in snippet_segments(hit.snippet)],
    }


@router.get(
    "/search",
    summary="Full-text search, best first, one page of hits",
    response_model=schemas.SearchAnswer,
    response_model_exclude_unset=True,
    responses=schemas.ERRORS,
)
def api_search(
    request: Request,
    filter_args: FilterArgs,
    q: QueryText = "",
    limit: Annotated[int, Query(ge=1, le=params.MAX_LIMIT)] = params.PAGE_SIZE,
    page: Annotated[int, Query(ge=1, le=params.MAX_PAGE)] = 1,
    facets: Annotated[bool, Query(description="add the top values of site, author, section, language")] = False,
) -> Any:
    try:
        query = params.query(q)
        filters = params.filters(filter_args)
        with request.app.state.archive.sessions() as session:
            found = search_page(session, query, filters, limit=limit, offset=(page - 1) * limit)
            counted = facets_or_none(session, query, filters) if facets else None
    except ValueError as error:
        return _bad(error)
    answer: dict[str, Any] = {
        "total": found.total,
        "page": page,
        "limit": limit,
        "hits": [hit_dict(hit) for hit in found.hits],
    }
    if counted is not None:
        answer["facets"] = {
            name: [{"value": value, "count": count} for value, count in pairs] for name, pairs in counted.items()
        }
    return answer


def article_dict(article: ArticleDetail) -> dict[str, Any]:
    """The article in the export's keys, with its revisions (bodies included)."""
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "authors": article.authors,
        "published": iso(article.published),
        "modified": iso(article.modified),
        "language": article.language,
        "section": article.section,
        "site_name": article.site_name,
        "lead_image": article.lead_image,
        "description": article.description,
        "body": article.body,
        "related_links": article.related_links,
        "site": article.site,
        "first_seen": iso(article.first_seen),
        "last_seen": iso(article.last_seen),
        "last_changed": iso(article.last_changed),
        "version": article.version,
        "removed": iso(article.removed_at),
        "revisions": [
            {
                "version": revision.version,
                "fetched_at": iso(revision.fetched_at),
                "content_hash": revision.content_hash,
                "title": revision.title,
                "body": revision.body,
            }
            for revision in article.revisions
        ],
    }


@router.get(
    "/articles/{article_id}",
    summary="One article with its revisions, copies and raw pages",
    response_model=schemas.ArticleAnswer,
    responses={**schemas.ERRORS, 404: {"model": schemas.ErrorAnswer, "description": "no such article"}},
)
def api_article(request: Request, article_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    with request.app.state.archive.sessions() as session:
        article = get_article(session, article_id)
        if article is None:
            return JSONResponse({"error": f"no article with id {article_id}"}, status_code=404)
        answer = article_dict(article)
        answer["copies"] = [
            {**asdict(copy), "id": copy.article_id, "published": iso(copy.published)}
            for copy in copies_of(session, article_id)
        ]
        for copy in answer["copies"]:
            copy.pop("article_id", None)
        answer["raw_pages"] = [
            {**asdict(page), "fetched_at": iso(page.fetched_at)} for page in raw_pages_of(session, article_id)
        ]
    return answer


@router.get(
    "/counts",
    summary="Matching articles per day, week or month, with their share of all",
    response_model=schemas.CountsAnswer,
    response_model_exclude_unset=True,
    responses=schemas.ERRORS,
)
def api_counts(
    request: Request,
    filter_args: FilterArgs,
    q: QueryText = "",
    by: Literal["day", "week", "month"] = "month",
    per_site: bool = False,
) -> Any:
    try:
        query = params.query(q)
        filters = params.filters(filter_args)
        with request.app.state.archive.sessions() as session:
            rows = counts_over_time(session, query, filters, by=by, per_site=per_site)
    except ValueError as error:
        return _bad(error)
    series = []
    for row in rows:
        point: dict[str, Any] = {"period": row.period, "count": row.count, "total": row.total, "share": row.share}
        if per_site:
            point["site"] = row.site
        series.append(point)
    return {"query": query, "by": by, "series": series}


@router.get(
    "/export",
    summary="Every matching article as CSV or JSON lines, streamed",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}, "application/jsonl": {}}, "description": "the rows, streamed"},
        **schemas.ERRORS,
    },
)
def api_export(
    request: Request,
    filter_args: FilterArgs,
    q: QueryText = "",
    format: Literal["csv", "jsonl"] = "jsonl",  # noqa: A002
) -> Any:
    try:
        query = params.query(q)
        filters = params.filters(filter_args)
        chunks = export.open_export(request.app.state.archive, query, filters, format)
    except ValueError as error:
        return _bad(error)
    return StreamingResponse(
        chunks,
        media_type=export.MEDIA_TYPES[format],
        headers={"content-disposition": f'attachment; filename="newsarchive-export.{format}"'},
    )
