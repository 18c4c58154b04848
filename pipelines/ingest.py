"""Storing one fetched page or failure: the path from an extraction result to rows, needing no crawler.

The crawl's store pipeline and `newsarchive import-warc` both call `ingest`, so a page read from a WARC
file lands in the archive exactly as the same page fetched by a crawl: raw page row, article upsert with
a revision when the clean content changed, URL state, failure rows. Items are told apart by their type
(scraper.items: FetchedPage, FetchFailure, NotModified).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from pipelines.dedup import article_key
from pipelines.extraction.record import EXTRACTOR_VERSION
from scraper.items import FetchedPage, FetchFailure, NotModified
from storage.articles import mark_removed, save_article, stored_under
from storage.runs import record_failure, save_raw_page
from storage.url_states import put_url_state, url_kind

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
    """The record as storage takes it: extract's keys (ArticleRecord.to_dict), with the dates kept as
    datetimes in the page's own offset and the canonical URL set to the article key."""
    return {**record.to_dict(), "published": record.published, "modified": record.modified, "canonical_url": key}


def _header(headers: dict[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


def _key(session: Session, page: FetchedPage) -> tuple[str, str | None]:
    """The article key (DedupPipeline's, else computed) and why a declared canonical was not taken.

    Across runs: a canonical URL already holding a different text first fetched elsewhere, or known as a
    listing page, is not taken either; the page is stored under its own URL and the reason recorded.
    """
    record = page.extraction.record
    if page.article_key is not None:
        key, note = page.article_key, page.canonical_note
    else:
        key, note = article_key(record.canonical_url, page.url, page.domains, page.home_url)
    if key == page.url:
        return key, note
    if url_kind(session, key) == "listing":
        return page.url, f"canonical {key} not used: it was fetched as a listing page"
    stored = stored_under(session, key)
    if stored is not None and stored[0] != page.url and stored[1].strip() != (record.body or "").strip():
        return page.url, f"canonical {key} not used: {stored[0]} has a different text under it"
    return key, note


def ingest(context: StoreContext, session: Session, item: Any) -> str:
    """Write one fetched page, failure or 304 in the caller's transaction; returns the outcome counted per run."""
    adapter = ItemAdapter(item)
    if isinstance(item, FetchFailure):
        return ingest_failure(context, session, adapter)
    if isinstance(item, NotModified):
        put_url_state(
            session,
            adapter["url"],
            site=adapter["site"],
            last_status=304,
            last_fetched_at=adapter["fetched_at"],
        )
        return "not_modified"
    if isinstance(item, FetchedPage):
        return ingest_page(context, session, item, adapter)
    raise TypeError(f"the store pipeline does not know items of type {type(item).__name__}")


def ingest_failure(context: StoreContext, session: Session, adapter: ItemAdapter) -> str:
    url, site, status = adapter["url"], adapter["site"], adapter["status"]
    record_failure(
        session,
        url=url,
        reason=adapter["reason"],
        status=status,
        site=site,
        run_id=context.run_id,
        failed_at=adapter["failed_at"],
    )
    gone = status in (404, 410) and url_kind(session, url) == "article"
    if gone and mark_removed(session, url, adapter["failed_at"]):
        put_url_state(
            session,
            url,
            site=site,
            last_status=status,
            gone_at=adapter["failed_at"],
            last_fetched_at=adapter["failed_at"],
        )
        return "removed"
    return "skipped" if adapter["skipped"] else "failed"


def ingest_page(context: StoreContext, session: Session, page: FetchedPage, adapter: ItemAdapter) -> str:
    url, site, headers = adapter["url"], adapter["site"], adapter["headers"]
    extraction = adapter["extraction"]
    error = adapter["error"]
    is_article = extraction is not None and extraction.is_article and not error
    page_type = "error" if error else "article" if is_article else "listing"
    raw_page_id = None
    if is_article or error or context.store_listings:
        raw_page_id = save_raw_page(
            session,
            url=url,
            status=adapter["status"],
            headers=headers,
            body=adapter["body"],
            fetched_at=adapter["fetched_at"],
            page_type=page_type,
            site=site,
            run_id=context.run_id,
            warc=adapter.get("warc"),
        )
    state = {
        "site": site,
        "etag": _header(headers, "etag"),
        "last_modified": _header(headers, "last-modified"),
        "last_status": adapter["status"],
        "last_fetched_at": adapter["fetched_at"],
        "gone_at": None,
    }
    if adapter["hints"].get("lastmod"):
        state["sitemap_lastmod"] = adapter["hints"]["lastmod"]
    if error:
        record_failure(
            session,
            url=url,
            reason=error,
            status=adapter["status"],
            site=site,
            run_id=context.run_id,
            failed_at=adapter["fetched_at"],
        )
        put_url_state(session, url, kind="other", **state)
        return "failed"
    if not is_article:
        put_url_state(session, url, kind="listing", **state)
        return "non_article"
    record = extraction.record
    key, note = _key(session, page)
    if note:
        record_failure(session, url=url, reason=note[:500], site=site, run_id=context.run_id,
                       failed_at=adapter["fetched_at"])
    saved = save_article(
        session,
        record_mapping(record, key),
        site=site,
        fetched_at=adapter["fetched_at"],
        extractor_version=EXTRACTOR_VERSION,
        raw_page_id=raw_page_id,
    )
    if saved.status != "unchanged":
        state["last_changed_at"] = adapter["fetched_at"]
    put_url_state(session, url, kind="article", article_id=saved.article_id, **state)
    if key != url:
        # Fetched through a duplicate (AMP, tracking, slash variant): the canonical URL is known too.
        put_url_state(
            session,
            key,
            kind="article",
            article_id=saved.article_id,
            site=site,
            last_fetched_at=adapter["fetched_at"],
            gone_at=None,
        )
    for source in adapter["redirect_urls"]:
        if source != url:
            put_url_state(
                session,
                source,
                kind="other",
                site=site,
                last_fetched_at=adapter["fetched_at"],
                last_status=301,
            )
    return saved.status
