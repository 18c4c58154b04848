"""The generated news site for crawl tests and benchmarks: deterministic, on-the-fly, served on loopback.

    from tests.sitegen import GeneratedSite, SiteServer

    site = GeneratedSite(n_articles=120, seed=1)
    with SiteServer(site) as server:
        base = server.base_url
        expected = set(site.article_urls(base))        # canonical URLs of live articles
        ...crawl base + "/" ...
        slug = site.add_article(); site.edit_article(slug); site.delete_article(slug)

It is the test configuration of the fake-site engine in `scraper.demo_site.engine` (server, routing, store,
feeds and sitemaps); what is here is its content and look: `site` (the model: generation, traps, the facts
tests rely on), `text` (word bank), `render` (HTML pages), `routes` (the URL scheme and `SiteServer`).
"""

from scraper.demo_site.engine.routing import Response
from scraper.demo_site.engine.server import RequestRecord
from tests.sitegen.routes import SiteServer, resolve
from tests.sitegen.site import (
    DEFAULT_NOW,
    LINK_VARIANTS,
    PAGE_SIZE,
    TEMPLATES,
    Article,
    GeneratedSite,
)

__all__ = [
    "DEFAULT_NOW",
    "LINK_VARIANTS",
    "PAGE_SIZE",
    "TEMPLATES",
    "Article",
    "GeneratedSite",
    "RequestRecord",
    "Response",
    "SiteServer",
    "resolve",
]
