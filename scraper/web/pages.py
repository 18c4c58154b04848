"""The workbench's HTML pages: search with facets, the counts chart, one article with its history.

A bad query or parameter shows one line above the form (status 400), never an error trace.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from scraper.web import params
from scraper.web.api import MAX_ID, facets_or_none
from scraper.web.chart import build_chart, split_by_site
from scraper.web.diff import word_diff
from storage.copies import copies_of
from storage.counts import counts_over_time
from storage.reads import get_article, raw_pages_of
from storage.runs import get_raw_page
from storage.search import search_page, snippet_segments

if TYPE_CHECKING:
    from starlette.templating import _TemplateResponse

router = APIRouter(include_in_schema=False)

SEARCH_PARAMS = ("q", *params.FILTER_PARAMS, "collapse_copies")
CHART_PARAMS = ("q", "q2", *params.FILTER_PARAMS, "by", "measure", "per_site")
#: facet names of the query layer, and the parameter each one sets
FACETS = (("site", "site", "Site"), ("author", "author", "Author"), ("section", "section", "Section"),
          ("language", "lang", "Language"))
#: raw pages larger than this are shown cut, with a note
MAX_RAW_SHOWN = 2_000_000


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> _TemplateResponse:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


@router.get("/")
def search_view(request: Request) -> Response:
    echo = params.Echo.of(request.query_params, SEARCH_PARAMS)
    context: dict[str, Any] = {"echo": echo, "facets": [], "hits": [], "total": None, "error": None}
    try:
        query = params.query(request.query_params.get("q"))
        filters = params.filters(request.query_params)
        page = params.number("page", request.query_params.get("page"), default=1, maximum=params.MAX_PAGE)
        with request.app.state.archive.sessions() as session:
            found = search_page(
                session, query, filters, limit=params.PAGE_SIZE, offset=(page - 1) * params.PAGE_SIZE
            )
            counted = facets_or_none(session, query, filters) or {}
    except ValueError as error:
        context["error"] = str(error)
        return render(request, "search.html", context, status=400)
    context.update(
        total=found.total,
        page=page,
        pages=max(1, math.ceil(found.total / params.PAGE_SIZE)),
        first=(page - 1) * params.PAGE_SIZE + 1,
        hits=[(hit, snippet_segments(hit.snippet)) for hit in found.hits],
        facets=[(label, param, counted.get(name, [])) for name, param, label in FACETS],
    )
    return render(request, "search.html", context)


def _chart(request: Request) -> Any:
    """The chart for the request's parameters; raises ParamError or the query layer's ValueError."""
    get = request.query_params.get
    by = params.choice("by", get("by"), ("month", "week", "day"))
    measure = params.choice("measure", get("measure"), params.MEASURES)
    filters = params.filters(request.query_params)
    first = params.query(get("q"))
    second = params.query(get("q2"), "q2")
    with request.app.state.archive.sessions() as session:
        if params.flag("per_site", get("per_site")):
            rows = counts_over_time(session, first, filters, by=by, per_site=True)
            title = f"“{first}” per site" if first else "all articles per site"
            return build_chart(split_by_site(rows), measure=measure, by=by, title=title)
        queries = [first, second] if second else [first]
        series = [(query, counts_over_time(session, query, filters, by=by)) for query in queries]
    return build_chart(series, measure=measure, by=by)


@router.get("/chart")
def chart_view(request: Request) -> Response:
    echo = params.Echo.of(request.query_params, CHART_PARAMS)
    try:
        chart = _chart(request)
    except ValueError as error:
        return render(request, "chart.html", {"echo": echo, "chart": None, "error": str(error)}, status=400)
    return render(request, "chart.html", {"echo": echo, "chart": chart, "error": None})


@router.get("/chart.svg")
def chart_svg(request: Request) -> Response:
    try:
        chart = _chart(request)
    except ValueError as error:
        return Response(str(error), status_code=400, media_type="text/plain; charset=utf-8")
    response = render(request, "chart.svg", {"chart": chart})
    response.headers["content-type"] = "image/svg+xml; charset=utf-8"
    return response


def _revision_diffs(article: Any) -> list[dict[str, Any]]:
    """Each revision, newest first, with the word diff of its title and body against the one before."""
    shown = []
    previous = None
    for revision in article.revisions:
        entry: dict[str, Any] = {"revision": revision, "title": None, "body": None}
        if previous is not None:
            entry["title"] = word_diff(previous.title, revision.title, context=50)
            entry["body"] = word_diff(previous.body, revision.body)
        shown.append(entry)
        previous = revision
    return shown[::-1]


def _raw_source(session: Any, pages: list[Any], wanted: str | None) -> dict[str, Any] | None:
    if not pages:
        return None
    chosen = next((page for page in pages if str(page.id) == wanted), pages[0])
    stored = get_raw_page(session, chosen.id)
    if stored is None:
        return None
    content = stored.content
    try:
        text = content[:MAX_RAW_SHOWN].decode(chosen.encoding or "utf-8", errors="replace")
    except LookupError:
        text = content[:MAX_RAW_SHOWN].decode("utf-8", errors="replace")
    return {"page": chosen, "text": text, "cut": len(content) > MAX_RAW_SHOWN, "size": len(content)}


@router.get("/articles/{article_id}")
def article_view(request: Request, article_id: str) -> Response:
    if not (article_id.isascii() and article_id.isdigit()) or not 1 <= int(article_id) <= MAX_ID:
        return render(request, "error.html", {"status": 404, "message": "no such article"}, status=404)
    with request.app.state.archive.sessions() as session:
        article = get_article(session, int(article_id))
        if article is None:
            return render(
                request, "error.html", {"status": 404, "message": f"no article with id {article_id}"}, status=404
            )
        copies = copies_of(session, article.id)
        pages = raw_pages_of(session, article.id)
        raw = _raw_source(session, pages, request.query_params.get("raw"))
    context = {
        "article": article,
        "paragraphs": [part for part in article.body.split("\n") if part.strip()],
        "copies": copies,
        "revisions": _revision_diffs(article),
        "raw_pages": pages,
        "raw": raw,
    }
    return render(request, "article.html", context)
