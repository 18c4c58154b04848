"""Routing for the fake sites: the response value, a table of URL patterns, listing pages, slash redirects.

A configuration declares its URL scheme as (regular expression, handler) pairs, first match wins; a handler
returns a `Response`, or None for "no such page", which serves the configuration's not-found page. Listings
share one pagination scheme: page 1 lives at `<prefix>` itself, page n at `<prefix>page/<n>/`, the
`page/1/` form redirects to `<prefix>` and a page past the end is not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Generic, TypeVar
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import datetime

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"

S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = HTML
    #: a 200 with a date is cacheable: the server answers conditional GETs and, without `etag`, hashes the body
    last_modified: datetime | None = None
    etag: str | None = None
    location: str | None = None


def html(
    text: str, last_modified: datetime | None = None, etag: str | None = None, status: int = 200
) -> Response:
    return Response(status, text.encode("utf-8"), HTML, last_modified, etag)


def document(text: str, content_type: str = XML, last_modified: datetime | None = None) -> Response:
    return Response(200, text.encode("utf-8"), content_type, last_modified)


def redirect(location: str) -> Response:
    return Response(301, b"", HTML, location=location)


@dataclass(frozen=True, slots=True)
class Request(Generic[S]):
    site: S
    base: str  #: the origin, without a trailing slash: "http://127.0.0.1:8123"
    path: str
    query: dict[str, list[str]]

    def url(self, path: str) -> str:
        return self.base + path


def page_count(n_items: int, page_size: int) -> int:
    """Listing pages needed for n items; an empty listing still has its first page."""
    return max(1, -(-n_items // page_size))


def listing_path(prefix: str, page: int) -> str:
    """`/section/politics/` for page 1, `/section/politics/page/3/` after."""
    return prefix if page == 1 else f"{prefix}page/{page}/"


def listing(
    req: Request[S],
    prefix: str,
    page: str | None,
    pages: int,
    render: Callable[[int], str],
    last_modified: datetime | None = None,
) -> Response | None:
    """Page `page` (the matched digits, None for the first page) of a listing of `pages` pages at `prefix`."""
    number = int(page) if page else 1
    if page is not None and number == 1:
        return redirect(req.url(prefix))
    if not 1 <= number <= pages:
        return None
    return html(render(number), last_modified)


class Router(Generic[S]):
    """A site's URL scheme: `resolve(site, target, base)` answers one request target (path with query)."""

    def __init__(
        self,
        routes: Iterable[tuple[str, Callable[[Request[S], re.Match[str]], Response | None]]],
        not_found: Callable[[Request[S]], Response],
        *,
        slash_redirect: bool = False,
    ) -> None:
        self.routes = tuple((re.compile(pattern), handler) for pattern, handler in routes)
        self.not_found = not_found
        #: WordPress-style: a slash-less page path (no dot in its last segment) 301s to the slashed page
        self.slash_redirect = slash_redirect

    def resolve(self, site: S, target: str, base: str) -> Response:
        parts = urlsplit(target)
        req = Request(site, base.rstrip("/"), parts.path or "/", parse_qs(parts.query))
        return self._match(req) or self.not_found(req)

    def _match(self, req: Request[S]) -> Response | None:
        if self.slash_redirect and not req.path.endswith("/") and "." not in req.path.rsplit("/", 1)[-1]:
            slashed = replace(req, path=req.path + "/")
            return redirect(req.url(slashed.path)) if self._match(slashed) else None
        for pattern, handler in self.routes:
            match = pattern.fullmatch(req.path)
            if match:
                return handler(req, match)
        return None
