"""What the archive already knows about each URL, loaded once at the start of a run.

The crawl uses it for conditional requests (ETag / Last-Modified); the refresh also to skip known
articles whose sitemap lastmod did not move since we fetched them, and to pick articles to re-check:
the recent ones (published within the site's `recheck_days`) plus a rolling slice of the stalest others,
so that deletions and edits of older articles are found over a few runs too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from scraper.urls import variant_key
from storage.db import open_archive
from storage.url_states import url_states_of_sites, urls_to_recheck

if TYPE_CHECKING:
    from scraper.sites import SiteConfig

RECENT_LIMIT = 2000


#: How far before our last fetch a first-seen sitemap lastmod must lie to prove the page unchanged: lastmod
#: values are often dates alone (midnight) and the site's clock may lag ours.
LASTMOD_MARGIN = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class KnownUrl:
    site: str
    kind: str
    etag: str | None
    last_modified: str | None
    sitemap_lastmod: datetime | None
    last_fetched_at: datetime | None
    gone: bool

    def unchanged_since(self, lastmod: datetime) -> bool:
        """True when a sitemap lastmod is no newer than the one we saw when we last fetched the page."""
        if self.sitemap_lastmod is not None:
            return lastmod <= self.sitemap_lastmod
        return self.last_fetched_at is not None and lastmod + LASTMOD_MARGIN <= self.last_fetched_at


@dataclass
class Frontier:
    known: dict[str, KnownUrl] = field(default_factory=dict)
    #: site name -> article URLs to re-check with conditional requests
    recheck: dict[str, list[str]] = field(default_factory=dict)
    #: variant keys of known articles and redirects: a refresh does not fetch their AMP or slash variants
    known_variants: set[str] = field(default_factory=set)


def load_frontier(db_url: str | None, sites: list[SiteConfig], mode: str, rolling: int = 50) -> Frontier:
    frontier = Frontier()
    names = [site.name for site in sites]
    with open_archive(db_url) as archive, archive.sessions() as session:
        for state, site_name in url_states_of_sites(session, names):
            frontier.known[state.url] = KnownUrl(
                site=site_name,
                kind=state.kind,
                etag=state.etag,
                last_modified=state.last_modified,
                sitemap_lastmod=state.sitemap_lastmod,
                last_fetched_at=state.last_fetched_at,
                gone=state.gone_at is not None,
            )
            if state.kind in ("article", "other"):
                frontier.known_variants.add(variant_key(state.url))
        if mode != "refresh":
            return frontier
        now = datetime.now(UTC)
        for site in sites:
            recent = urls_to_recheck(
                session, site.name, since=now - timedelta(days=site.recheck_days), limit=RECENT_LIMIT
            )
            stalest = urls_to_recheck(
                session, site.name, since=datetime(1970, 1, 1, tzinfo=UTC), limit=rolling
            )
            urls = dict.fromkeys(state.url for state in [*recent, *stalest])
            frontier.recheck[site.name] = list(urls)
    return frontier
