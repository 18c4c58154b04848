"""Re-run the current extractor over stored raw pages, so an extraction fix reaches the whole archive.

For each article, its latest raw page (from the database, or the WARC record it points to) is extracted
again. A new revision is written only where the clean content (title, authors, body) changed; other
fields are updated in place; `extractor_version` records the extractor that produced the row. A field
the new extraction leaves empty keeps its stored value when the crawl may have filled it from elsewhere
(a title or date from a sitemap or feed), so a second run finds nothing to change.
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipelines.extraction import extract as extraction
from pipelines.extraction.decode import charset_from_content_type
from pipelines.extraction.record import EXTRACTOR_VERSION
from pipelines.ingest import record_mapping
from pipelines.warc_read import WarcReadError, read_body
from storage.articles import save_article
from storage.reads import get_article
from storage.runs import get_raw_page, latest_article_pages
from storage.timestamps import as_utc

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

    from storage.db import Archive
    from storage.models import RawPage
    from storage.reads import ArticleDetail

#: Fields compared and counted, in the order the summary shows them.
FIELDS = (
    "title",
    "authors",
    "published",
    "modified",
    "body",
    "description",
    "language",
    "section",
    "site_name",
    "lead_image",
    "related_links",
)
#: Fields whose stored value stands when the new extraction finds none (discovery hints may have filled
#: them, or save_article keeps them): comparing this way makes a second run change nothing.
_KEPT_WHEN_EMPTY = ("title", "published", "modified", "description", "language", "section", "site_name", "lead_image")


@dataclass(slots=True)
class ReextractReport:
    extractor_version: str = EXTRACTOR_VERSION
    articles: int = 0
    changed_articles: int = 0
    new_revisions: int = 0
    fields: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def page_body(page: RawPage) -> bytes:
    """The raw page's body, from the database or the WARC record it points to (WarcReadError)."""
    if page.warc_file:
        return read_body(page.warc_file, page.warc_offset or 0, page.warc_length or 0)
    return zlib.decompress(page.body)


def _content_type(headers: Mapping[str, str]) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == "content-type"), None)


def _same(name: str, old: Any, new: Any) -> bool:
    if name in ("published", "modified"):
        return (as_utc(old) if old else None) == (as_utc(new) if new else None)
    if name == "authors":
        return [a.strip() for a in old or []] == [a.strip() for a in new or []]
    return (old or None) == (new or None)


def merged(stored: ArticleDetail, fresh: Mapping[str, Any]) -> dict[str, Any]:
    """The record to store: fresh values, stored ones where the fresh extraction found none."""
    result = dict(fresh)
    for name in _KEPT_WHEN_EMPTY:
        if not result.get(name):
            result[name] = getattr(stored, name)
    result["url"], result["canonical_url"] = stored.url, stored.canonical_url
    return result


def reextract(
    archive: Archive,
    *,
    site: str | None = None,
    since: datetime | None = None,
    dry_run: bool = False,
    overrides_of: Callable[[str], Mapping[str, str]] | None = None,
) -> ReextractReport:
    """Re-extract the latest raw page of every article (of `site`, fetched `since`); see the module doc."""
    report = ReextractReport(extractor_version=EXTRACTOR_VERSION)
    with archive.sessions() as session:
        pages = latest_article_pages(session, site=site, since=since)
    for article_id, page_id in pages:
        report.articles += 1
        with archive.sessions.begin() as session:
            stored = get_article(session, article_id)
            page = get_raw_page(session, page_id)
            if stored is None or page is None:
                continue
            try:
                result = extraction.extract_page(
                    page_body(page),
                    page.url,
                    charset_from_content_type(_content_type(page.headers)),
                    (overrides_of(stored.site) if overrides_of else None) or None,
                )
            except (extraction.ExtractionError, WarcReadError) as error:
                report.failures.append(f"{page.url}: {error}")
                continue
            record = merged(stored, record_mapping(result.record, stored.canonical_url))
            changed = [name for name in FIELDS if not _same(name, getattr(stored, name), record.get(name))]
            report.fields.update(changed)
            if changed:
                report.changed_articles += 1
            if dry_run:
                continue
            saved = save_article(
                session,
                record,
                site=stored.site,
                fetched_at=page.fetched_at,
                extractor_version=report.extractor_version,
            )
            if saved.status == "changed":
                report.new_revisions += 1
    return report
