"""The demo site as content plus a URL scheme: `Site` holds the articles and edits them, `ROUTER` serves them.

Kept free of sockets so the routing can be read (and tested) on its own; `server.DemoSite` puts it on the wire.
Article pages carry Last-Modified and an ETag made from the story (title, date, text), not from the page chrome
(whose date bar changes daily); other pages carry no validators.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from scraper.demo_site import magazine, pages, theme
from scraper.demo_site.content import SEED_ORIGIN, load_catalog, read_package_text
from scraper.demo_site.engine import feeds
from scraper.demo_site.engine.markup import slugify
from scraper.demo_site.engine.routing import TEXT, Router, document, html, listing, page_count
from scraper.demo_site.engine.store import ArticleStore
from scraper.demo_site.render import PAGE_SIZE, View

if TYPE_CHECKING:
    from scraper.demo_site.content import Article, Catalog
    from scraper.demo_site.engine.routing import Request, Response

RSS = "application/rss+xml; charset=utf-8"
FEED_SIZE = 20
#: Paths crawlers are asked to stay out of (the site search).
DISALLOWED = ("/search",)


class Site(ArticleStore["Article"]):
    """The demo's catalog (sections, authors, fixed pages) and its articles; `edit` swaps an article's text."""

    def __init__(self, catalog: Catalog | None = None, articles: list[Article] | None = None) -> None:
        if catalog is None:
            catalog, articles = load_catalog()
        super().__init__(articles or (), catalog.sections)
        self.catalog = catalog

    def edit(self, slug: str, paragraphs: list[str]) -> Article:
        """Replace an article's paragraphs and move its modified date forward (at least one second)."""
        if not paragraphs or not all(isinstance(p, str) and p.strip() for p in paragraphs):
            raise ValueError("paragraphs must be a non-empty list of non-empty strings")
        with self.lock:
            old = self.article(slug)
            now = datetime.now(UTC).replace(microsecond=0)
            modified = max(
                now, old.last_modified.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)
            )
            # A saved page cannot change, so an edited seed is rendered from data by the WordPress theme.
            template = "a" if old.template == "seed" else old.template
            new = dataclasses.replace(
                old, paragraphs=tuple(paragraphs), modified=modified, template=template, source=None
            )
            self.put(new)
            return new


def _view(req: Request[Site]) -> View:
    return View(req.site, req.base + "/")


def _robots(req: Request[Site], m: re.Match[str]) -> Response:
    return document(feeds.robots_txt(DISALLOWED, [req.url("/sitemap.xml")], allow=["/"]), TEXT)


def _sitemap(req: Request[Site], m: re.Match[str]) -> Response:
    return document(feeds.urlset((req.url(a.path), a.last_modified) for a in req.site.latest))


def _feed(req: Request[Site], m: re.Match[str]) -> Response:
    latest = req.site.latest[:FEED_SIZE]
    catalog = req.site.catalog
    built = max((a.last_modified for a in latest), default=datetime.now(UTC))
    channel = feeds.Channel(catalog.name, req.url("/"), catalog.tagline, "en-US", built)
    entries = (
        feeds.Entry(
            req.url(a.path), a.title, a.authors, a.published, a.last_modified, a.summary, (a.section,)
        )
        for a in latest
    )
    return document(feeds.rss(channel, req.url("/feed/"), entries), RSS)


def _archive(req: Request[Site], m: re.Match[str]) -> Response | None:
    view, kind, name = _view(req), m["kind"], m["name"]
    if kind == "category":
        section = view.catalog.sections.get(name)
        if section is None:
            return None
        heading, intro, articles = f"Category: {section.name}", section.description, view.in_section(name)
    elif kind == "author":
        author = view.catalog.authors.get(name)
        if author is None:
            return None
        heading, intro = f"Author: {author.name}", f"{author.role}. {author.bio}"
        articles = view.by_author(author.name)
    else:
        articles = view.tagged(name)
        if not articles:
            return None
        label = next(t for t in articles[0].tags if slugify(t) == name)
        heading, intro = f"Tag: {label}", f"Stories tagged {label}."
    prefix = f"/{kind}/{name}/"
    return listing(
        req,
        prefix,
        m["page"],
        page_count(len(articles), PAGE_SIZE),
        lambda page: pages.listing_page(
            view,
            base_path=prefix,
            heading=heading,
            intro=intro,
            articles=articles,
            page=page,
            body_class=f"{kind} {kind}-{name}",
        ),
    )


def _article(req: Request[Site], m: re.Match[str]) -> Response | None:
    article = req.site.find(m["section"], m["slug"])
    if article is None:
        return None
    view = _view(req)
    if article.source is not None:
        text = read_package_text(article.source).replace(SEED_ORIGIN, req.base)
    elif article.template == "b":
        text = magazine.article_page(view, article)
    else:
        text = theme.article_page(view, article)
    story = f"{article.title}\n{article.last_modified.isoformat()}\n{article.body}"
    etag = '"' + hashlib.sha1(story.encode()).hexdigest()[:20] + '"'
    return html(text, article.last_modified, etag)


def _fixed(req: Request[Site], m: re.Match[str]) -> Response | None:
    text = pages.fixed_page(_view(req), m["slug"])
    return html(text) if text else None


ROUTER: Router[Site] = Router(
    [
        (r"/", lambda req, m: html(pages.home_page(_view(req)))),
        (r"/robots\.txt", _robots),
        (r"/sitemap\.xml", _sitemap),
        (r"/feed/", _feed),
        (r"/search/", lambda req, m: html(pages.search_page(_view(req), req.query.get("q", [""])[-1]))),
        (r"/(?P<kind>category|author|tag)/(?P<name>[^/]+)/(?:page/(?P<page>\d+)/)?", _archive),
        (r"/(?P<section>[^/]+)/(?P<slug>[^/]+)/", _article),
        (r"/(?P<slug>[^/]+)/", _fixed),
    ],
    lambda req: html(pages.not_found_page(_view(req)), status=404),
    slash_redirect=True,
)
