"""URL scheme of the generated site (`ROUTER`, `resolve`) and its server (`SiteServer`, with the flaky article).

Routes (first match wins; `<base>` is the server's `http://127.0.0.1:<port>`):

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
Robots.txt, sitemaps and feeds are the engine's (`scraper.demo_site.engine.feeds`) at the paths above.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from scraper.demo_site.engine import feeds
from scraper.demo_site.engine import server as engine
from scraper.demo_site.engine.routing import (
    TEXT,
    Response,
    Router,
    document,
    html,
    listing,
    page_count,
    redirect,
)
from tests.sitegen import render
from tests.sitegen.site import LATEST_IN_FEEDS, PAGE_SIZE

if TYPE_CHECKING:
    import re
    from collections.abc import Iterable

    from scraper.demo_site.engine.routing import Request
    from tests.sitegen.site import Article, GeneratedSite

    Req = Request[GeneratedSite]

#: A tiny valid PDF and a 1x1 GIF, so the non-HTML links answer with real files.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
GIF_BYTES = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
NOT_FOUND = b"<!DOCTYPE html>\n<html><body><h1>Page not found</h1></body></html>\n"
GONE = b"<!DOCTYPE html>\n<html><body><h1>Gone</h1></body></html>\n"
FEED_TYPES = {
    "rss.xml": (feeds.rss, "application/rss+xml; charset=utf-8"),
    "atom.xml": (feeds.atom, "application/atom+xml; charset=utf-8"),
    "feed.json": (feeds.json_feed, "application/feed+json; charset=utf-8"),
}


def article_etag(article: Article, layout: str) -> str:
    """Weak validator from what the article says, not from the boilerplate around it."""
    key = "|".join(
        (article.slug, str(article.revision), article.title, ",".join(article.authors), article.template,
         article.published.isoformat(), article.lastmod.isoformat(), ",".join(article.tags), layout)
    )  # fmt: skip
    return f'W/"{hashlib.sha1(key.encode()).hexdigest()[:20]}"'


def _article_page(req: Req, section: str, slug: str, *, amp: bool) -> Response | None:
    article = req.site.find(section, slug)
    if article is None:
        return Response(req.site.deleted_status, GONE) if req.site.deleted(section, slug) else None
    page = render.article_page(req.site, article, req.base, amp=amp)
    return html(page, article.lastmod, article_etag(article, "amp" if amp else "html"))


def _article(req: Req, m: re.Match[str]) -> Response | None:
    if m["section"] not in req.site.sections:
        return None
    return _article_page(req, m["section"], m["slug"], amp="1" in req.query.get("amp", ()))


def _amp(req: Req, m: re.Match[str]) -> Response | None:
    return _article_page(req, m["section"], m["slug"], amp=True)


def _old(req: Req, m: re.Match[str]) -> Response | None:
    article = req.site.get(m["slug"])
    return redirect(req.url(article.path)) if article else None


def _listing(
    req: Req, prefix: str, heading: str, items: tuple[Article, ...], page: str | None
) -> Response | None:
    return listing(
        req,
        prefix,
        page,
        page_count(len(items), PAGE_SIZE),
        lambda n: render.listing_page(
            req.site, req.base, heading=heading, prefix=prefix, items=items, page=n
        ),
        req.site.changed_at,
    )


def _section(req: Req, m: re.Match[str]) -> Response | None:
    name = m["name"]
    if name not in req.site.sections:
        return None
    return _listing(req, f"/section/{name}/", name.capitalize(), req.site.index.by_section[name], m["page"])


def _tag(req: Req, m: re.Match[str]) -> Response | None:
    items = req.site.index.by_tag.get(m["name"])
    return _listing(req, f"/tag/{m['name']}/", f"Tag: {m['name']}", items, m["page"]) if items else None


def _author(req: Req, m: re.Match[str]) -> Response | None:
    index = req.site.index
    items = index.by_author.get(m["name"])
    if not items:
        return None
    return _listing(req, f"/author/{m['name']}/", index.author_names[m["name"]], items, m["page"])


def _static(req: Req, m: re.Match[str]) -> Response:
    return html(render.static_page(req.site, req.base, m["name"]), req.site.launched)


def _search(req: Req, m: re.Match[str]) -> Response:
    query = " ".join(req.query.get("q", []))
    return html(render.search_page(req.site, req.base, query), req.site.changed_at)


def _private(req: Req, m: re.Match[str]) -> Response | None:
    draft = int(m["draft"]) if m["draft"] else None
    if draft is not None and not 1 <= draft <= 3:
        return None
    return html(render.private_page(req.site, req.base, draft), req.site.launched)


def _entries(req: Req) -> Iterable[feeds.Entry]:
    for a in req.site.latest[:LATEST_IN_FEEDS]:
        yield feeds.Entry(req.url(a.path), a.title, a.authors, a.published, a.lastmod, a.description, a.tags)


def _feed(req: Req, m: re.Match[str]) -> Response:
    site, (write, content_type) = req.site, FEED_TYPES[m["kind"]]
    channel = feeds.Channel(site.name, req.url("/"), f"Latest news from {site.name}", "en", site.changed_at)
    return document(write(channel, req.url(m[0]), _entries(req)), content_type, site.changed_at)


def _robots(req: Req, m: re.Match[str]) -> Response:
    sitemaps = [req.url("/sitemap_index.xml"), req.url("/news-sitemap.xml")]
    return document(feeds.robots_txt(req.site.disallowed_prefixes, sitemaps), TEXT, req.site.launched)


def _sitemap_index(req: Req, m: re.Match[str]) -> Response:
    site = req.site
    newest = (
        max((a.lastmod for a in site.index.by_section[s]), default=site.launched) for s in site.sections
    )
    urls = [req.url(path) for path in site.sitemap_paths()]
    return document(feeds.sitemap_index(zip(urls, newest, strict=True)), last_modified=site.changed_at)


def _section_sitemap(req: Req, m: re.Match[str]) -> Response | None:
    if req.path not in req.site.sitemap_paths():
        return None
    xml = feeds.urlset((req.url(a.path), a.lastmod) for a in req.site.index.by_section[m["name"]])
    if m["gz"]:
        return Response(200, feeds.gzipped(xml), "application/gzip", req.site.changed_at)
    return document(xml, last_modified=req.site.changed_at)


def _news_sitemap(req: Req, m: re.Match[str]) -> Response:
    recent = ((req.url(a.path), a.title, a.published) for a in req.site.news_articles())
    return document(feeds.news_sitemap(req.site.name, recent), last_modified=req.site.changed_at)


def _image(req: Req, m: re.Match[str]) -> Response | None:
    return Response(200, GIF_BYTES, "image/gif", req.site.launched) if req.site.get(m["slug"]) else None


_NAME = r"[a-z0-9-]+"
_PAGE = r"(?:page/(?P<page>\d+)/)?"

#: The URL scheme (see the module docstring); the article pattern comes last.
ROUTER: Router[GeneratedSite] = Router(
    [
        (r"/", lambda req, m: html(render.home_page(req.site, req.base), req.site.changed_at)),
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
        (
            r"/files/report\.pdf",
            lambda req, m: Response(200, PDF_BYTES, "application/pdf", req.site.launched),
        ),
        (rf"/images/(?P<slug>{_NAME})\.gif", _image),
        (rf"/old/(?P<slug>{_NAME})", _old),
        (rf"/amp/(?P<section>{_NAME})/(?P<slug>{_NAME})/", _amp),
        (rf"/(?P<section>{_NAME})/(?P<slug>{_NAME})/?", _article),
    ],
    lambda req: Response(404, NOT_FOUND),
)


def resolve(site: GeneratedSite, target: str, base: str) -> Response:
    """Answer one request target (path with query); the caller holds `site.lock`."""
    return ROUTER.resolve(site, target, base)


class SiteServer(engine.SiteServer["GeneratedSite"]):
    """The generated site on loopback (see `scraper.demo_site.engine.server`); by default its flaky article
    (`site.flaky_path`) answers 500 once per server, `fail_once=()` turns that off."""

    def __init__(
        self,
        site: GeneratedSite,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        fail_once: Iterable[str] | None = None,
        rate_limit_once: Iterable[str] = (),
    ) -> None:
        fail_once = (site.flaky_path,) if fail_once is None else fail_once
        super().__init__(
            site, ROUTER, host=host, port=port, fail_once=fail_once, rate_limit_once=rate_limit_once
        )
