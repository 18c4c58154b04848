"""URL scheme of the generated site: request target -> `Response` (status, body, validators).

Routes (`ROUTES`, first match wins; `<base>` is the server's `http://127.0.0.1:<port>`):

    /                                   home page
    /<section>/<slug>/                  article (canonical URL); any query string serves the same page,
                                        `?amp=1` serves the AMP layout; deleted -> site.deleted_status
    /<section>/<slug>                   same article, no trailing slash (200, canonical to the main URL)
    /amp/<section>/<slug>/              AMP duplicate (200, canonical to the main URL)
    /old/<slug>                         301 -> /<section>/<slug>/
    /section/<name>/[page/<n>/]         section listing, PAGE_SIZE per page (page/1/ -> 301 to page 1)
    /tag/<tag>/[page/<n>/]              tag listing
    /author/<slug>/[page/<n>/]          author listing
    /about/  /contact/                  static pages
    /search?q=...  /private/  /private/drafts/<n>/    robots-disallowed pages
    /feed/rss.xml  /feed/atom.xml  /feed/feed.json    feeds
    /robots.txt  /sitemap_index.xml  /sitemaps/<section>.xml[.gz]  /news-sitemap.xml
    /files/report.pdf  /images/<slug>.gif              non-HTML files
    anything else                       404

Validators: article pages (every variant) carry Last-Modified = the article's lastmod and a *weak* ETag
made from the article's own content, so changes in the sidebar caused by other articles do not
invalidate them. Every other 200 has a strong ETag (hash of the body, set by the server) and
Last-Modified = `site.changed_at` (aggregate pages) or `site.launched` (static pages and files).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from tests.sitegen import feeds, render, sitemaps
from tests.sitegen.site import PAGE_SIZE

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from tests.sitegen.site import Article, GeneratedSite

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"

#: A tiny valid PDF and a 1x1 GIF, so the non-HTML links answer with real files.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
GIF_BYTES = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = HTML
    last_modified: datetime | None = None
    #: set for article pages (weak); None lets the server hash the body into a strong ETag
    etag: str | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class Request:
    site: GeneratedSite
    base: str
    path: str
    query: dict[str, list[str]]


def not_found() -> Response:
    return Response(404, b"<!DOCTYPE html>\n<html><body><h1>Page not found</h1></body></html>\n")


def _html(page: str, last_modified: datetime, etag: str | None = None) -> Response:
    return Response(200, page.encode("utf-8"), HTML, last_modified, etag)


def _xml(document: str, last_modified: datetime, content_type: str = XML) -> Response:
    return Response(200, document.encode("utf-8"), content_type, last_modified)


def article_etag(article: Article, layout: str) -> str:
    """Weak validator from what the article says, not from the boilerplate around it."""
    key = "|".join(
        (article.slug, str(article.revision), article.title, ",".join(article.authors), article.template,
         article.published.isoformat(), article.lastmod.isoformat(), ",".join(article.tags), layout)
    )  # fmt: skip
    return f'W/"{hashlib.sha1(key.encode()).hexdigest()[:20]}"'


def _article_response(req: Request, article: Article, *, amp: bool) -> Response:
    page = render.article_page(req.site, article, req.base, amp=amp)
    return _html(page, article.lastmod, article_etag(article, "amp" if amp else "html"))


def _gone_or_missing(req: Request, section: str, slug: str) -> Response:
    if req.site.deleted(section, slug) is not None:
        return Response(
            req.site.deleted_status, b"<!DOCTYPE html>\n<html><body><h1>Gone</h1></body></html>\n"
        )
    return not_found()


def _article(req: Request, m: re.Match[str]) -> Response:
    section, slug = m["section"], m["slug"]
    if section not in req.site.sections:
        return not_found()
    article = req.site.find(section, slug)
    if article is None:
        return _gone_or_missing(req, section, slug)
    return _article_response(req, article, amp="1" in req.query.get("amp", ()))


def _amp(req: Request, m: re.Match[str]) -> Response:
    article = req.site.find(m["section"], m["slug"])
    if article is None:
        return _gone_or_missing(req, m["section"], m["slug"])
    return _article_response(req, article, amp=True)


def _old(req: Request, m: re.Match[str]) -> Response:
    try:
        article = req.site.article(m["slug"])
    except KeyError:
        return not_found()
    return Response(301, b"", HTML, location=req.base + article.path)


def _listing(
    req: Request, prefix: str, heading: str, items: tuple[Article, ...], page: str | None
) -> Response:
    number = int(page) if page else 1
    if page is not None and number == 1:
        return Response(301, b"", HTML, location=req.base + prefix)
    if number < 1 or (number - 1) * PAGE_SIZE >= max(len(items), 1):
        return not_found()
    html = render.listing_page(req.site, req.base, heading=heading, prefix=prefix, items=items, page=number)
    return _html(html, req.site.changed_at)


def _section(req: Request, m: re.Match[str]) -> Response:
    name = m["name"]
    if name not in req.site.sections:
        return not_found()
    items = req.site.index.by_section[name]
    return _listing(req, f"/section/{name}/", name.capitalize(), items, m["page"])


def _tag(req: Request, m: re.Match[str]) -> Response:
    items = req.site.index.by_tag.get(m["name"])
    if not items:
        return not_found()
    return _listing(req, f"/tag/{m['name']}/", f"Tag: {m['name']}", items, m["page"])


def _author(req: Request, m: re.Match[str]) -> Response:
    index = req.site.index
    items = index.by_author.get(m["name"])
    if not items:
        return not_found()
    return _listing(req, f"/author/{m['name']}/", index.author_names[m["name"]], items, m["page"])


def _home(req: Request, m: re.Match[str]) -> Response:
    return _html(render.home_page(req.site, req.base), req.site.changed_at)


def _static(req: Request, m: re.Match[str]) -> Response:
    return _html(render.static_page(req.site, req.base, m["name"]), req.site.launched)


def _search(req: Request, m: re.Match[str]) -> Response:
    query = " ".join(req.query.get("q", []))
    return _html(render.search_page(req.site, req.base, query), req.site.changed_at)


def _private(req: Request, m: re.Match[str]) -> Response:
    draft = int(m["draft"]) if m["draft"] else None
    if draft is not None and not 1 <= draft <= 3:
        return not_found()
    return _html(render.private_page(req.site, req.base, draft), req.site.launched)


def _robots(req: Request, m: re.Match[str]) -> Response:
    return _xml(sitemaps.robots(req.site, req.base), req.site.launched, "text/plain; charset=utf-8")


def _sitemap_index(req: Request, m: re.Match[str]) -> Response:
    return _xml(sitemaps.sitemap_index(req.site, req.base), req.site.changed_at)


def _section_sitemap(req: Request, m: re.Match[str]) -> Response:
    if req.path not in req.site.sitemap_paths():
        return not_found()
    document = sitemaps.section_sitemap(req.site, req.base, m["name"])
    if m["gz"]:
        return Response(200, sitemaps.gzipped(document), "application/gzip", req.site.changed_at)
    return _xml(document, req.site.changed_at)


def _news_sitemap(req: Request, m: re.Match[str]) -> Response:
    return _xml(sitemaps.news_sitemap(req.site, req.base), req.site.changed_at)


def _feed(req: Request, m: re.Match[str]) -> Response:
    kind = m["kind"]
    if kind == "rss.xml":
        return _xml(feeds.rss(req.site, req.base), req.site.changed_at, "application/rss+xml; charset=utf-8")
    if kind == "atom.xml":
        return _xml(
            feeds.atom(req.site, req.base), req.site.changed_at, "application/atom+xml; charset=utf-8"
        )
    return _xml(
        feeds.json_feed(req.site, req.base), req.site.changed_at, "application/feed+json; charset=utf-8"
    )


def _pdf(req: Request, m: re.Match[str]) -> Response:
    return Response(200, PDF_BYTES, "application/pdf", req.site.launched)


def _image(req: Request, m: re.Match[str]) -> Response:
    try:
        req.site.article(m["slug"])
    except KeyError:
        return not_found()
    return Response(200, GIF_BYTES, "image/gif", req.site.launched)


_NAME = r"[a-z0-9-]+"
_PAGE = r"(?:page/(?P<page>\d+)/)?"

#: (pattern on the path, handler) in match order; the article pattern comes last.
ROUTES: tuple[tuple[re.Pattern[str], Callable[[Request, re.Match[str]], Response]], ...] = tuple(
    (re.compile(pattern), handler)
    for pattern, handler in (
        (r"/", _home),
        (r"/robots\.txt", _robots),
        (r"/sitemap_index\.xml", _sitemap_index),
        (rf"/sitemaps/(?P<name>{_NAME})\.xml(?P<gz>\.gz)?", _section_sitemap),
        (r"/news-sitemap\.xml", _news_sitemap),
        (r"/feed/(?P<kind>rss\.xml|atom\.xml|feed\.json)", _feed),
        (rf"/section/(?P<name>{_NAME})/{_PAGE}", _section),
        (rf"/tag/(?P<name>{_NAME})/{_PAGE}", _tag),
        (rf"/author/(?P<name>{_NAME})/{_PAGE}", _author),
        (r"/(?P<name>about|contact)/", _static),
        (r"/search", _search),
        (r"/private/(?:drafts/(?P<draft>\d+)/)?", _private),
        (r"/files/report\.pdf", _pdf),
        (rf"/images/(?P<slug>{_NAME})\.gif", _image),
        (rf"/old/(?P<slug>{_NAME})", _old),
        (rf"/amp/(?P<section>{_NAME})/(?P<slug>{_NAME})/", _amp),
        (rf"/(?P<section>{_NAME})/(?P<slug>{_NAME})/?", _article),
    )
)


def resolve(site: GeneratedSite, target: str, base: str) -> Response:
    """Answer one request target (path with query); the caller holds `site.lock`."""
    parts = urlsplit(target)
    req = Request(site, base.rstrip("/"), parts.path or "/", parse_qs(parts.query))
    for pattern, handler in ROUTES:
        match = pattern.fullmatch(req.path)
        if match:
            return handler(req, match)
    return not_found()
