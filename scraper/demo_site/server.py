"""DemoSite: The Daily Dispatch served over HTTP on loopback, for end-to-end crawls in tests and demos.

The engine's `SiteServer` with the demo's `Site` and `ROUTER`; its base URL ends in a slash, its request log
reads as (method, path with query, status) triples, and it adds lookups of the served articles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scraper.demo_site.engine.server import SiteServer
from scraper.demo_site.site import ROUTER, Site

if TYPE_CHECKING:
    from scraper.demo_site.content import Article

RequestLogEntry = tuple[str, str, int]


class DemoSite(SiteServer[Site]):
    """The demo news site on a free loopback port: `with DemoSite() as site: crawl(site.base_url)`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(Site(), ROUTER, host=host, port=port)

    @property
    def base_url(self) -> str:
        """The home page URL, with a trailing slash."""
        return self.origin + "/"

    @property
    def articles(self) -> dict[str, Article]:
        """Every article as currently served (after edits), by slug, newest first."""
        return {a.slug: a for a in self.site.latest}

    def url_for(self, slug: str) -> str:
        return self.origin + self.site.article(slug).path

    def article_urls(self) -> list[str]:
        return [self.origin + a.path for a in self.site.latest]

    def article_at(self, url: str) -> Article | None:
        """The article served at an absolute URL of this site, or None."""
        path = "/" + url.removeprefix(self.base_url)
        return next((a for a in self.site.latest if a.path == path), None)

    def edit_article(self, slug: str, paragraphs: list[str]) -> Article:
        """Change the served text and modified date of one article, so that a re-crawl sees a new revision."""
        return self.site.edit(slug, paragraphs)

    @property
    def requests(self) -> list[RequestLogEntry]:  # type: ignore[override]
        """(method, path with query, status) of every request answered so far, in order."""
        return [(r.method, r.path, r.status) for r in self.records()]

    def clear_requests(self) -> None:
        self.clear_log()
