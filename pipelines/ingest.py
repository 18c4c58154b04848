"""Storing one fetched page or failure: the path from an extraction result to rows, needing no crawler.

The crawl's store pipeline and `newsarchive import-warc` both call `ingest`, so a page read from a WARC
file lands in the archive exactly as the same page fetched by a crawl: raw page row, article upsert with
a revision when the clean content changed, URL state, failure rows.

`page` is a mapping with the keys of scraper.items.FetchedPage (a fetched page), FetchFailure (has
`reason`) or NotModified (no `body`); an ItemAdapter over those items is one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipelines.dedup import article_key
from pipelines.extraction.record import EXTRACTOR_VERSION, RECORD_FIELDS
from storage.articles import mark_removed, save_article
from storage.runs import record_failure, save_raw_page
from storage.url_states import get_url_state, upsert_url_state

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pipelines.extraction.record import ArticleRecord


@dataclass(frozen=True, slots=True)
class StoreContext:
    """What writing an item needs besides the item: picklable, for the worker process."""

    db_url: str
    run_id: int | None
    store_listings: bool


def record_mapping(record: ArticleRecord, key: str) -> dict[str, Any]:
    """The record as storage takes it: datetimes kept, links as dicts, canonical URL = the article key."""
    mapping = {name: getattr(record, name) for name in RECORD_FIELDS}
    mapping["related_links"] = [link.to_dict() for link in record.related_links]
    mapping["canonical_url"] = key
    return mapping


def _header(headers: dict[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


def ingest(context: StoreContext, session: Session, page: Mapping[str, Any]) -> str:
    """Write one page, failure or 304 in the caller's transaction; returns the outcome counted per run."""
    if "reason" in page:  # FetchFailure
        return ingest_failure(context, session, page)
    if "body" not in page:  # NotModified
        upsert_url_state(
            session,
            page["url"],
            site=page["site"],
            last_status=304,
            last_fetched_at=page["fetched_at"],
        )
        return "not_modified"
    return ingest_page(context, session, page)


def ingest_failure(context: StoreContext, session: Session, page: Mapping[str, Any]) -> str:
    url, site, status = page["url"], page["site"], page["status"]
    record_failure(
        session,
        url=url,
        reason=page["reason"],
        status=status,
        site=site,
        run_id=context.run_id,
        failed_at=page["failed_at"],
    )
    if status in (404, 410):
        state = get_url_state(session, url)
        if state is not None and state.kind == "article" and mark_removed(session, url, page["failed_at"]):
            upsert_url_state(
                session,
                url,
                site=site,
                last_status=status,
                gone_at=page["failed_at"],
                last_fetched_at=page["failed_at"],
            )
            return "removed"
    return "skipped" if page["skipped"] else "failed"


def ingest_page(context: StoreContext, session: Session, page: Mapping[str, Any]) -> str:
    url, site, headers = page["url"], page["site"], page["headers"]
    extraction = page["extraction"]
    error = page["error"]
    is_article = extraction is not None and extraction.is_article and not error
    page_type = "error" if error else "article" if is_article else "listing"
    raw_page_id = None
    if is_article or error or context.store_listings:
        raw_page_id = save_raw_page(
            session,
            url=url,
            status=page["status"],
            headers=headers,
            body=page["body"],
            fetched_at=page["fetched_at"],
            page_type=page_type,
            site=site,
            run_id=context.run_id,
            warc=page.get("warc"),
        )
    state = {
        "site": site,
        "etag": _header(headers, "etag"),
        "last_modified": _header(headers, "last-modified"),
        "last_status": page["status"],
        "last_fetched_at": page["fetched_at"],
        "gone_at": None,
    }
    if page["hints"].get("lastmod"):
        state["sitemap_lastmod"] = page["hints"]["lastmod"]
    if error:
        record_failure(
            session,
            url=url,
            reason=error,
            status=page["status"],
            site=site,
            run_id=context.run_id,
            failed_at=page["fetched_at"],
        )
        upsert_url_state(session, url, kind="other", **state)
        return "failed"
    if not is_article:
        upsert_url_state(session, url, kind="listing", **state)
        return "non_article"
    record = extraction.record
    key = article_key(record.canonical_url, url)
    saved = save_article(
        session,
        record_mapping(record, key),
        site=site,
        fetched_at=page["fetched_at"],
        extractor_version=EXTRACTOR_VERSION,
        raw_page_id=raw_page_id,
    )
    if saved.status != "unchanged":
        state["last_changed_at"] = page["fetched_at"]
    upsert_url_state(session, url, kind="article", article_id=saved.article_id, **state)
    if key != url:
        # Fetched through a duplicate (AMP, tracking, slash variant): the canonical URL is known too.
        upsert_url_state(
            session,
            key,
            kind="article",
            article_id=saved.article_id,
            site=site,
            last_fetched_at=page["fetched_at"],
            gone_at=None,
        )
    for source in page["redirect_urls"]:
        if source != url:
            upsert_url_state(
                session,
                source,
                kind="other",
                site=site,
                last_fetched_at=page["fetched_at"],
                last_status=301,
            )
    return saved.status
