"""Import WARC files: every HTML response goes through the crawl's extraction, classification and storage.

The record's WARC-Date is the fetch time, so an archive built from old WARCs has its articles' history in
the right order. Records are filtered by site (a sites file's domains, or hosts) and by date; a damaged
record becomes a failure row and the import goes on. Each page is written in its own transaction, as in
a crawl, and its raw page row points to the record instead of copying the body.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from pipelines.extraction import extract as extraction
from pipelines.extraction.decode import charset_from_content_type
from pipelines.ingest import StoreContext, ingest
from pipelines.warc_read import WarcDamage, WarcResponse, iter_responses
from scraper.items import FetchedPage
from storage.runs import record_failure

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import datetime

    from storage.db import Archive

#: Content types taken as HTML; a response without one is sniffed.
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_STARTS = (b"<!doctype html", b"<html")


@dataclass(frozen=True, slots=True)
class SiteRule:
    """The site a record belongs to, with that site's extraction overrides."""

    name: str
    overrides: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ImportFilter:
    """Which records to import: `site_of` maps a URL to its site (None: not wanted), dates bound WARC-Date."""

    site_of: Callable[[str], SiteRule | None]
    since: datetime | None = None
    until: datetime | None = None


@dataclass(slots=True)
class ImportProgress:
    """What an import did so far: `records` read, outcomes counted as in a crawl's summary, and `problems`:
    records lost to damage, database errors or extraction crashes (as in a crawl, a page extraction
    rejects is a failure row but no problem of the run)."""

    records: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    problems: int = 0


def is_html(response: WarcResponse) -> bool:
    content_type = response.content_type.lower()
    if content_type:
        return any(kind in content_type for kind in _HTML_TYPES)
    return response.body[:512].lstrip().lower().startswith(_HTML_STARTS)


def import_warcs(
    archive: Archive,
    paths: Iterable[str],
    wanted: ImportFilter,
    *,
    store_listings: bool = True,
    report: Callable[[str, ImportProgress], None] | None = None,
    every: int = 1000,
) -> ImportProgress:
    """Import every wanted HTML response of the files; `report(file, progress)` every `every` records."""
    progress = ImportProgress()
    context = StoreContext(archive.url, None, store_listings)
    for path in paths:
        for item in iter_responses(path):
            progress.records += 1
            if isinstance(item, WarcDamage):
                _record_damage(archive, item, wanted)
                progress.outcomes["failed"] += 1
                progress.problems += 1
            else:
                outcome, problem = _import_one(archive, context, item, wanted)
                progress.outcomes[outcome] += 1
                progress.problems += problem
            if report is not None and progress.records % every == 0:
                report(path, progress)
        if report is not None:
            report(path, progress)
    return progress


def _import_one(
    archive: Archive, context: StoreContext, response: WarcResponse, wanted: ImportFilter
) -> tuple[str, bool]:
    """(the outcome for one response: a crawl's outcome or why it was passed over, whether it is a problem)."""
    rule = wanted.site_of(response.url)
    if rule is None:
        return "other_site", False
    if (wanted.since and response.fetched_at < wanted.since) or (
        wanted.until and response.fetched_at >= wanted.until
    ):
        return "out_of_dates", False
    if not 200 <= response.status < 300:
        return "not_ok", False
    if not is_html(response) or not response.body:
        return "not_html", False
    page = _page(response, rule)
    crashed = bool(page.error and page.error.startswith("extraction crashed"))
    try:
        with archive.sessions.begin() as session:
            return ingest(context, session, page), crashed
    except SQLAlchemyError as error:
        _record(archive, response.url, rule.name, f"database error: {error}"[:500], response.status)
        return "failed", True


def _page(response: WarcResponse, rule: SiteRule) -> FetchedPage:
    """The page as a crawl's spider would have yielded it, extracted the way the crawl's extract stage does."""
    page = FetchedPage(
        url=response.url,
        request_url=response.url,
        status=response.status,
        headers=response.headers,
        body=response.body,
        fetched_at=response.fetched_at,
        site=rule.name,
        overrides=dict(rule.overrides),
        warc=response.pointer,
    )
    try:
        page.extraction = extraction.extract_page(
            response.body,
            response.url,
            charset_from_content_type(response.content_type),
            page.overrides or None,
        )
    except extraction.ExtractionError as error:
        page.error = f"extraction failed: {error}"
    except Exception as error:  # a bug must cost one page, not the import; it is recorded as a failure
        page.error = f"extraction crashed: {type(error).__name__}: {error}"
    return page


def _record_damage(archive: Archive, damage: WarcDamage, wanted: ImportFilter) -> None:
    url = damage.url or f"{damage.file}#offset={damage.offset}"
    rule = wanted.site_of(damage.url) if damage.url else None
    _record(archive, url, rule.name if rule else None, f"{damage.reason} ({damage.file} offset {damage.offset})")


def _record(archive: Archive, url: str, site: str | None, reason: str, status: int | None = None) -> None:
    with archive.sessions.begin() as session:
        record_failure(session, url=url, reason=reason, status=status, site=site)
