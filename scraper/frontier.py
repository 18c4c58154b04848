"""What the archive already knows about each URL, loaded once at the start of a run.

The crawl uses it for conditional requests (ETag / Last-Modified), the refresh also to skip known
articles whose sitemap lastmod did not move and to pick recent articles to re-check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.db import open_archive
from storage.models import Site, UrlState
from storage.repository import urls_to_recheck

#: How far back a refresh re-checks stored articles with conditional requests.
RECHECK_WINDOW = timedelta(days=3)
RECHECK_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class KnownUrl:
    kind: str
    etag: str | None
    last_modified: str | None
    sitemap_lastmod: datetime | None
    gone: bool


@dataclass
class Frontier:
    known: dict[str, KnownUrl] = field(default_factory=dict)
    #: site name -> article URLs to re-check with conditional requests
    recheck: dict[str, list[str]] = field(default_factory=dict)


def load_frontier(db_url: str | None, site_names: list[str], mode: str) -> Frontier:
    frontier = Frontier()
    with open_archive(db_url) as archive, archive.sessions() as session:
        rows = session.execute(
            select(UrlState, Site.name)
            .join(Site, UrlState.site_id == Site.id)
            .where(Site.name.in_(site_names))
        )
        for state, _site_name in rows:
            frontier.known[state.url] = KnownUrl(
                kind=state.kind,
                etag=state.etag,
                last_modified=state.last_modified,
                sitemap_lastmod=state.sitemap_lastmod,
                gone=state.gone_at is not None,
            )
        if mode == "refresh":
            since = datetime.now(UTC) - RECHECK_WINDOW
            for name in site_names:
                states = urls_to_recheck(session, name, since=since, limit=RECHECK_LIMIT)
                frontier.recheck[name] = [state.url for state in states]
    return frontier
