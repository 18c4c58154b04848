"""The site as a function from request to response: URL routing, conditional GET and in-memory edits.

Kept free of sockets so the routing can be read (and tested) on its own; `server.DemoSite` puts it on the wire.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import TYPE_CHECKING

from scraper.demo_site import feeds, magazine, pages, theme
from scraper.demo_site.content import SEED_ORIGIN, load_catalog, read_package_text, slugify
from scraper.demo_site.render import View
from scraper.http_dates import not_modified

if TYPE_CHECKING:
    from collections.abc import Mapping

    from scraper.demo_site.content import Article, Catalog

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _html(status: int, text: str, **headers: str) -> Response:
    return Response(status, HTML, text.encode("utf-8"), dict(headers))


def _redirect(location: str) -> Response:
    return Response(301, HTML, b"", {"Location": location})


def _not_modified(article: Article, etag: str, request_headers: Mapping[str, str]) -> bool:
    return not_modified(request_headers, etag, article.last_modified)


class Site:
    """Routes paths to pages of the current catalog; `edit` swaps an article's text in place."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self._catalog = catalog or load_catalog()
        self._lock = threading.Lock()

    @property
    def catalog(self) -> Catalog:
        with self._lock:
            return self._catalog

    def edit(self, slug: str, paragraphs: list[str]) -> Article:
        """Replace an article's paragraphs and move its modified date forward (at least one second)."""
        if not paragraphs or not all(isinstance(p, str) and p.strip() for p in paragraphs):
            raise ValueError("paragraphs must be a non-empty list of non-empty strings")
        with self._lock:
            old = self._catalog.articles[slug]
            now = datetime.now(UTC).replace(microsecond=0)
            modified = max(
                now, old.last_modified.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)
            )
            # A saved page cannot change, so an edited seed is rendered from data by the WordPress theme.
            template = "a" if old.template == "seed" else old.template
            new = dataclasses.replace(
                old, paragraphs=tuple(paragraphs), modified=modified, template=template, source=None
            )
            articles = dict(self._catalog.articles)
            articles[slug] = new
            self._catalog = dataclasses.replace(self._catalog, articles=articles)
            return new

    def respond(
        self, path: str, query: Mapping[str, str], headers: Mapping[str, str], base_url: str
    ) -> Response:
        view = View(self.catalog, base_url)
        response = self._route(view, path, query, headers)
        if response is None:
            return _html(404, pages.not_found_page(view))
        return response

    def _route(
        self, view: View, path: str, query: Mapping[str, str], headers: Mapping[str, str]
    ) -> Response | None:
        segments = [segment for segment in path.split("/") if segment]
        if segments and segments[-1] not in ("robots.txt", "sitemap.xml") and not path.endswith("/"):
            # WordPress answers slash-less URLs with a permanent redirect to the canonical form.
            return _redirect(view.url(path + "/")) if self._route(view, path + "/", query, headers) else None
        match segments:
            case []:
                return _html(200, pages.home_page(view))
            case ["robots.txt"]:
                return Response(200, TEXT, feeds.robots_txt(view).encode())
            case ["sitemap.xml"]:
                return Response(200, XML, feeds.sitemap_xml(view).encode())
            case ["feed"]:
                return Response(200, RSS, feeds.rss_xml(view).encode())
            case ["search"]:
                return _html(200, pages.search_page(view, query.get("q", "")))
            case ["category" | "author" | "tag" as kind, name]:
                return self._archive(view, kind, name, 1)
            case ["category" | "author" | "tag" as kind, name, "page", number] if number.isdigit():
                if int(number) == 1:
                    return _redirect(view.url(f"/{kind}/{name}/"))
                return self._archive(view, kind, name, int(number))
            case [section, slug]:
                article = view.catalog.articles.get(slug)
                if article is None or article.section_slug != section:
                    return None
                return self._article(view, article, headers)
            case [slug]:
                text = pages.fixed_page(view, slug)
                return _html(200, text) if text else None
        return None

    def _archive(self, view: View, kind: str, name: str, page: int) -> Response | None:
        if kind == "category":
            section = view.catalog.sections.get(name)
            if section is None:
                return None
            heading, intro, articles = f"Category: {section.name}", section.description, view.in_section(name)
        elif kind == "author":
            author = view.catalog.authors.get(name)
            if author is None:
                return None
            heading, intro, articles = (
                f"Author: {author.name}",
                f"{author.role}. {author.bio}",
                view.by_author(author.name),
            )
        else:
            articles = view.tagged(name)
            if not articles:
                return None
            label = next(t for t in articles[0].tags if slugify(t) == name)
            heading, intro = f"Tag: {label}", f"Stories tagged {label}."
        text = pages.listing_page(
            view,
            base_path=f"/{kind}/{name}/",
            heading=heading,
            intro=intro,
            articles=articles,
            page=page,
            body_class=f"{kind} {kind}-{name}",
        )
        return _html(200, text) if text else None

    def _article(self, view: View, article: Article, headers: Mapping[str, str]) -> Response:
        if article.source is not None:
            text = read_package_text(article.source).replace(SEED_ORIGIN, view.base_url.rstrip("/"))
        elif article.template == "b":
            text = magazine.article_page(view, article)
        else:
            text = theme.article_page(view, article)
        body = text.encode("utf-8")
        # The ETag follows the story, not the page chrome (whose date bar changes daily).
        story = f"{article.title}\n{article.last_modified.isoformat()}\n{article.body}"
        etag = '"' + hashlib.sha1(story.encode()).hexdigest()[:20] + '"'
        validators = {
            "Last-Modified": format_datetime(article.last_modified.astimezone(UTC), usegmt=True),
            "ETag": etag,
        }
        if _not_modified(article, etag, headers):
            return Response(304, HTML, b"", validators)
        return Response(200, HTML, body, validators)
