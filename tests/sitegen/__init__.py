"""A generated news site for crawl tests and benchmarks: deterministic, on-the-fly, served on loopback.

    from tests.sitegen import GeneratedSite, SiteServer

    site = GeneratedSite(n_articles=120, seed=1)
    with SiteServer(site) as server:
        base = server.base_url
        expected = set(site.article_urls(base))        # canonical URLs of live articles
        ...crawl base + "/" ...
        slug = site.add_article(); site.edit_article(slug); site.delete_article(slug)

Modules: `site` (the model, the facts tests rely on), `routes` (the URL scheme and validators),
`render` (HTML pages), `feeds`, `sitemaps`, `server` (HTTP, hazards, request log), `text` (word bank).
"""

from tests.sitegen.routes import Response, resolve
from tests.sitegen.server import RequestRecord, SiteServer
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
